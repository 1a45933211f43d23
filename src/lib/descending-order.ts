/**
 * The order of numeric keys, largest first, ties by index, in O(n): an LSD radix sort on the keys' IEEE-754 bits.
 * Browser-safe.
 *
 * Why: under the coupon model a change of acceptance or offer cost re-sorts the customers (targeting.ts). A comparator
 * sort of a million indices took over a second; four 16-bit counting passes take a few tens of milliseconds, and being
 * stable they keep equal keys in index order without comparing indices.
 */

// Typed arrays use the platform's byte order; find which 32-bit half of a float64 holds the sign and exponent.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const [LOW, HIGH] = LITTLE_ENDIAN ? [0, 1] : [1, 0];

/** Row indices ordered by descending key, equal keys by ascending index; NaN keys throw naming the row. */
export function descendingOrder(keys: ArrayLike<number>): Uint32Array {
  const n = keys.length;
  if (n === 0) return new Uint32Array(0);
  const floats = new Float64Array(2);
  const halves = new Uint32Array(floats.buffer);
  // each key as two unsigned halves whose ascending order is the keys' descending order
  let high = new Uint32Array(n);
  let low = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (Number.isNaN(k)) throw new Error(`invalid key at row ${i}: ${k}`);
    floats[0] = k + 0; // −0 becomes +0, so the two zeros tie
    const [h, l] = [halves[HIGH], halves[LOW]];
    // ascending bits: flip every bit of a negative number, only the sign bit of a positive one; then invert for descending
    const negative = h >>> 31 === 1;
    high[i] = ~(negative ? ~h : h | 0x80000000) >>> 0;
    low[i] = ~(negative ? ~l : l) >>> 0;
  }
  // the halves travel with the indices, so every pass reads its keys in order rather than by random access
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let [spareOrder, spareHigh, spareLow] = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  const counts = new Uint32Array(65536);
  for (const [word, shift] of [
    ["low", 0],
    ["low", 16],
    ["high", 0],
    ["high", 16],
  ] as const) {
    const digits = word === "low" ? low : high;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(digits[i] >>> shift) & 0xffff]++;
    if (counts[(digits[0] >>> shift) & 0xffff] === n) continue; // one bucket: this pass would not move anything
    for (let b = 0, sum = 0; b < 65536; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const to = counts[(digits[i] >>> shift) & 0xffff]++;
      spareOrder[to] = order[i];
      spareHigh[to] = high[i];
      spareLow[to] = low[i];
    }
    [order, spareOrder] = [spareOrder, order];
    [high, spareHigh] = [spareHigh, high];
    [low, spareLow] = [spareLow, low];
  }
  return order;
}
