/** Seeded pseudo-random numbers, so that a bootstrap gives the same interval on every build. Browser-safe. */

/** mulberry32: a small 32-bit generator, uniform on [0, 1); good enough for resampling, not for cryptography. */
export function mulberry32(seed: number): () => number {
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
