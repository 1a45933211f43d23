/**
 * The model-selection sample of a large base: a fixed number of customers, stratified by the label and drawn in one
 * streaming pass in memory bounded by the sample size (not the base). Each customer gets a seeded pseudo-random key
 * from its position; per class the smallest keys win, with each class's share of the sample equal to its share of
 * the base (rounded). A base no larger than the sample is the sample: every customer, in order.
 */
import { streamSeed } from "../util/seed.js";

/** Default size of the model-selection sample (docs/scale.md: the AUC's standard error at this size). */
export const SAMPLE_SIZE = 50_000;

export interface Sample<T> {
  /** the sample's rows, in base order */
  rows: T[];
  /** each sample row's 0-based position in the base (ascending) */
  index: number[];
  /** customers in the base, and the churners among them */
  base: number;
  positives: number;
  /** false when the base is no larger than the sample (then rows = the whole base) */
  sampled: boolean;
}

/**
 * A seeded key in [0, 1) for base position `i` (murmur3's finaliser over the position and the seed); each named
 * stream draws independent keys.
 */
export function sampleKey(i: number, seed: number, stream = "sample"): number {
  let h = (Math.imul(i, 0x9e3779b1) ^ streamSeed(seed, stream)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

interface Entry<T> {
  key: number;
  index: number;
  row: T;
}

/** A max-heap by (key, index) holding at most `capacity` entries: the smallest keys seen so far. */
class Smallest<T> {
  readonly heap: Entry<T>[] = [];
  constructor(private readonly capacity: number) {}

  private static above<T>(a: Entry<T>, b: Entry<T>): boolean {
    return a.key > b.key || (a.key === b.key && a.index > b.index);
  }

  offer(e: Entry<T>): void {
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(e);
      let i = h.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!Smallest.above(h[i], h[parent])) break;
        [h[i], h[parent]] = [h[parent], h[i]];
        i = parent;
      }
      return;
    }
    if (this.capacity === 0 || !Smallest.above(h[0], e)) return;
    h[0] = e;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < h.length && Smallest.above(h[l], h[top])) top = l;
      if (r < h.length && Smallest.above(h[r], h[top])) top = r;
      if (top === i) break;
      [h[i], h[top]] = [h[top], h[i]];
      i = top;
    }
  }

  /** The `k` smallest entries. */
  take(k: number): Entry<T>[] {
    return [...this.heap].sort((a, b) => a.key - b.key || a.index - b.index).slice(0, k);
  }
}

/**
 * Draws the stratified sample of `size` rows from batches of a base, in one pass; `label` reads a row's 0/1 label
 * (anything else is an error naming the position).
 */
export async function stratifiedSample<T>(
  batches: AsyncIterable<readonly T[]>,
  label: (row: T) => number,
  { size = SAMPLE_SIZE, seed = 42 }: { size?: number; seed?: number } = {},
): Promise<Sample<T>> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid sample size: ${size}`);
  const smallest = [new Smallest<T>(size), new Smallest<T>(size)];
  let all: T[] | undefined = [];
  let base = 0;
  let positives = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      const y = label(row);
      if (y !== 0 && y !== 1) throw new Error(`row ${base + 1}: label ${JSON.stringify(y)} is not 0 or 1`);
      positives += y;
      smallest[y].offer({ key: sampleKey(base, seed), index: base, row });
      if (all) {
        all.push(row);
        if (all.length > size) all = undefined;
      }
      base++;
    }
  }
  if (all) return { rows: all, index: all.map((_, i) => i), base, positives, sampled: false };
  const k1 = Math.round((size * positives) / base);
  const chosen = [...smallest[0].take(size - k1), ...smallest[1].take(k1)].sort((a, b) => a.index - b.index);
  return { rows: chosen.map((e) => e.row), index: chosen.map((e) => e.index), base, positives, sampled: true };
}
