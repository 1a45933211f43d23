/**
 * Long computations that leave the page responsive: a generator of steps run in slices of a few milliseconds, the
 * browser free to handle input and paint between slices. Browser-safe (timers only).
 */

/** Waits for the event loop: input, rendering and other tasks run in between. */
export const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs `steps` to its end in slices of about `sliceMs` milliseconds (at least one step each), awaiting `pause` between
 * slices; resolves to the generator's return value, rejects with its error.
 */
export async function runInSlices<R>(
  steps: Iterator<unknown, R>,
  { sliceMs = 10, pause = yieldToBrowser, now = () => performance.now() } = {},
): Promise<R> {
  for (;;) {
    const end = now() + sliceMs;
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (now() >= end) break;
    }
    await pause();
  }
}
