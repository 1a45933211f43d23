/** Seeded randomness for the statistics that resample (bootstrap): no Node or DOM imports. */

/** A seeded uniform [0, 1) source (mulberry32): small, fast, and the same stream in Node and the browser. */
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
