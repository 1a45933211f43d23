/**
 * Settled values, for views too costly to redraw on every frame of a slider drag.
 *
 * The page pushes its state on every update; `values()` is a generator (for an Observable/Framework cell) that yields
 * the latest state once no push has come for `delay` ms. The first push is yielded at once, so the first render is
 * not delayed. Values pushed while the consumer is busy are not queued: only the latest one is ever yielded.
 */
export interface Settler<T> {
  /** a new state; it settles `delay` ms after the last push (the first push settles at once) */
  push(value: T): void;
  /** a pushed state has not settled yet */
  readonly pending: boolean;
  /** the settled states, latest first-come: one consumer at a time */
  values(): AsyncGenerator<T, void, undefined>;
  /** drops any state waiting to settle and ends the generator */
  dispose(): void;
}

export function settler<T>(delay: number): Settler<T> {
  if (!(Number.isFinite(delay) && delay >= 0)) throw new RangeError(`settler: delay ${delay} is not a duration in ms`);
  let first = true;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled: { value: T } | null = null;
  let wake: (() => void) | null = null;
  const settle = (value: T) => {
    timer = undefined;
    settled = { value };
    wake?.();
    wake = null;
  };
  return {
    push(value) {
      if (disposed) return;
      clearTimeout(timer);
      if (first) {
        first = false;
        settle(value);
      } else timer = setTimeout(settle, delay, value);
    },
    get pending() {
      return timer !== undefined;
    },
    async *values() {
      while (!disposed) {
        if (!settled) await new Promise<void>((resolve) => (wake = resolve));
        if (disposed || !settled) return;
        const { value } = settled;
        settled = null;
        yield value;
      }
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      timer = undefined;
      settled = null;
      wake?.();
      wake = null;
    },
  };
}
