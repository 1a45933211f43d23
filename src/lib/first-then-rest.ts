/**
 * Loads that should not compete with the first one: the Embed gallery draws its first preview from a few kilobytes,
 * and the others (a customer's explanation, the campaign) start only once it has been drawn, so their downloads never
 * delay the first chart; the A/B page starts its row-level analyses once its headline is on screen. Browser-safe (the
 * frame to wait for can be injected: the tests advance it by hand).
 */

/** Schedules a callback after the next painted frame. */
export type NextFrame = (callback: () => void) => void;

/** The browser's: a task queued from the next animation frame runs once that frame has been painted. */
export const afterPaint: NextFrame = (callback) => requestAnimationFrame(() => setTimeout(callback, 0));

/** Resolves once the next frame has been painted (what is in the document now is on screen). */
export const painted = (nextFrame: NextFrame = afterPaint) => new Promise<void>((resolve) => nextFrame(resolve));

/**
 * Resolves after the first painted frame at whose end `isShown()` holds (e.g. a page's first chart is in the document):
 * work started then cannot delay that chart's first paint.
 */
export async function shown(isShown: () => boolean, nextFrame: NextFrame = afterPaint): Promise<void> {
  do await painted(nextFrame);
  while (!isShown());
}

/**
 * Starts `tasks[0]` at once and every other task once it has settled (fulfilled or rejected) and `nextFrame` has
 * called back; returns each task's promise, in order. A failed first task does not hold the others back.
 */
export function firstThenRest<T>(tasks: readonly (() => Promise<T>)[], nextFrame: NextFrame): Promise<T>[] {
  if (!tasks.length) return [];
  const first = tasks[0]();
  const drawn = first.then(
    () => undefined,
    () => undefined,
  );
  const shown = drawn.then(() => painted(nextFrame));
  return [first, ...tasks.slice(1).map((task) => shown.then(task))];
}
