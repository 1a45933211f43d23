/** Seeded randomness for the statistics that resample (bootstraps), so an interval is the same on every build. */

/**
 * A seeded uniform [0, 1) source (mulberry32, a small 32-bit generator): the same stream in Node and the browser;
 * good enough for resampling, not for cryptography.
 */
export function seededUniform(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new Error(`invalid seed: ${seed}`);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
