/**
 * Calibration maps from the booster's margin (log-odds) to a probability, fitted on held-out rows.
 * Platt: p = σ(a·m + b) — exportable exactly to ONNX as Mul/Add/Sigmoid.
 * Isotonic: a monotone step function (pool adjacent violators) — the flexible alternative we measure against.
 */

export interface Platt {
  kind: "platt";
  a: number;
  b: number;
}

export interface Isotonic {
  kind: "isotonic";
  /** Increasing margins (block means) and the fitted probability at each; linear in between, flat outside. */
  x: number[];
  y: number[];
}

export type Calibrator = Platt | Isotonic;

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Fits Platt scaling by maximum likelihood (Newton–Raphson on the two parameters).
 * Plain 0/1 targets: with thousands of rows, Platt's prior smoothing of targets only biases the fit.
 */
export function fitPlatt(margin: ArrayLike<number>, y: ArrayLike<number>, weight?: ArrayLike<number>): Platt {
  if (margin.length !== y.length)
    throw new Error(`margins (${margin.length}) and labels (${y.length}) differ in length`);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    // Gradient and Hessian of the negative log-likelihood.
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < margin.length; i++) {
      const w = weight ? weight[i] : 1;
      const p = sigmoid(a * margin[i] + b);
      const r = w * (p - y[i]);
      const s = w * p * (1 - p);
      ga += r * margin[i];
      gb += r;
      haa += s * margin[i] * margin[i];
      hab += s * margin[i];
      hbb += s;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) throw new Error(`Platt scaling: singular Hessian (det ${det}); are all margins equal?`);
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break;
  }
  return { kind: "platt", a, b };
}

/** Fits isotonic regression of y on the margin by pool-adjacent-violators. */
export function fitIsotonic(margin: ArrayLike<number>, y: ArrayLike<number>): Isotonic {
  if (margin.length !== y.length)
    throw new Error(`margins (${margin.length}) and labels (${y.length}) differ in length`);
  const order = Array.from({ length: margin.length }, (_, i) => i).sort((i, j) => margin[i] - margin[j]);
  // Blocks: sum of x, sum of y, count. Tied margins start in one block (they must get one value).
  const sx: number[] = [];
  const sy: number[] = [];
  const n: number[] = [];
  for (const i of order) {
    const last = n.length - 1;
    if (last >= 0 && margin[i] === sx[last] / n[last]) {
      sx[last] += margin[i];
      sy[last] += y[i];
      n[last]++;
    } else {
      sx.push(margin[i]);
      sy.push(y[i]);
      n.push(1);
    }
    while (n.length > 1 && sy[n.length - 2] / n[n.length - 2] >= sy[n.length - 1] / n[n.length - 1]) {
      const k = n.length - 1;
      sx[k - 1] += sx[k];
      sy[k - 1] += sy[k];
      n[k - 1] += n[k];
      sx.pop();
      sy.pop();
      n.pop();
    }
  }
  return { kind: "isotonic", x: sx.map((s, k) => s / n[k]), y: sy.map((s, k) => s / n[k]) };
}

/** Applies a calibrator to one margin. */
export function calibrate(cal: Calibrator, margin: number): number {
  if (cal.kind === "platt") return sigmoid(cal.a * margin + cal.b);
  const { x, y } = cal;
  if (margin <= x[0]) return y[0];
  if (margin >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= margin) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (margin - x[lo])) / (x[hi] - x[lo]);
}

/** Applies a calibrator to many margins. */
export function calibrateAll(cal: Calibrator, margins: ArrayLike<number>): Float64Array {
  return Float64Array.from(margins as ArrayLike<number>, (m) => calibrate(cal, m));
}
