/**
 * Seeded stratified splits: a train/validation/test split and repeated stratified k-fold CV.
 * Stratifying keeps the churn rate equal across parts, which matters for Brier/ECE comparisons.
 */
import { randomLcg, shuffler } from "d3";

/** Row indices of each class, each list shuffled by the seeded generator. */
function shuffledByClass(labels: ArrayLike<number>, random: () => number): number[][] {
  const classes = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`invalid label at row ${i}: ${y} (expected 0 or 1)`);
    if (!classes.has(y)) classes.set(y, []);
    classes.get(y)!.push(i);
  }
  const shuffle = shuffler(random);
  return [0, 1].filter((c) => classes.has(c)).map((c) => shuffle(classes.get(c)!));
}

export interface Split {
  train: number[];
  valid: number[];
  test: number[];
}

/** Stratified split into train/valid/test by fractions (default 60/20/20), seeded. Indices sorted. */
export function stratifiedSplit(labels: ArrayLike<number>, { seed = 42, valid = 0.2, test = 0.2 } = {}): Split {
  if (!(valid >= 0 && test >= 0 && valid + test < 1))
    throw new Error(`invalid split fractions: valid ${valid}, test ${test}`);
  const split: Split = { train: [], valid: [], test: [] };
  for (const rows of shuffledByClass(labels, randomLcg(seed))) {
    const nTest = Math.round(rows.length * test);
    const nValid = Math.round(rows.length * valid);
    // A loop, not push(...rows): spreading more than ~125,000 arguments overflows V8's stack.
    for (const row of rows.slice(0, nTest)) split.test.push(row);
    for (const row of rows.slice(nTest, nTest + nValid)) split.valid.push(row);
    for (const row of rows.slice(nTest + nValid)) split.train.push(row);
  }
  for (const part of [split.train, split.valid, split.test]) part.sort((a, b) => a - b);
  return split;
}

export interface Fold {
  repeat: number;
  fold: number;
  train: number[];
  test: number[];
}

/** Repeated stratified k-fold: every row is in exactly one test fold per repeat. */
export function repeatedStratifiedKFold(labels: ArrayLike<number>, { k = 5, repeats = 1, seed = 42 } = {}): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`invalid k: ${k}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`invalid repeats: ${repeats}`);
  const random = randomLcg(seed);
  const folds: Fold[] = [];
  for (let r = 0; r < repeats; r++) {
    const assignment = new Int32Array(labels.length);
    // Deal each class round-robin from a random starting fold so fold sizes differ by at most one.
    for (const rows of shuffledByClass(labels, random)) {
      const start = Math.floor(random() * k);
      rows.forEach((row, i) => {
        assignment[row] = (start + i) % k;
      });
    }
    for (let f = 0; f < k; f++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < labels.length; i++) (assignment[i] === f ? test : train).push(i);
      folds.push({ repeat: r, fold: f, train, test });
    }
  }
  return folds;
}

/** Gathers rows `index` of a row-major matrix with `ncol` columns. */
export function takeRows(data: Float32Array, ncol: number, index: readonly number[]): Float32Array {
  const out = new Float32Array(index.length * ncol);
  index.forEach((row, i) => {
    out.set(data.subarray(row * ncol, (row + 1) * ncol), i * ncol);
  });
  return out;
}

/** Gathers entries `index` of a vector. */
export function take(values: ArrayLike<number>, index: readonly number[]): Float32Array {
  return Float32Array.from(index, (i) => values[i]);
}
