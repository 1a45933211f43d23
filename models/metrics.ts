/**
 * Classification metrics for probabilistic predictions (labels 0/1). Pure functions, no dependencies,
 * exact handling of tied scores (they matter: calibrated isotonic outputs and shallow trees tie a lot).
 */

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

function checkLengths(y: Labels, p: Scores): void {
  if (y.length !== p.length) throw new Error(`labels (${y.length}) and scores (${p.length}) differ in length`);
  if (y.length === 0) throw new Error("no rows to evaluate");
}

/** Indices sorted by descending score (stable). */
function byScoreDesc(p: Scores): Uint32Array {
  const order = Uint32Array.from({ length: p.length }, (_, i) => i);
  return order.sort((a, b) => p[b] - p[a] || a - b);
}

/** Points of the ROC and PR curves, one per distinct threshold (ties form one step). */
export interface CurvePoint {
  threshold: number;
  tp: number;
  fp: number;
}

function thresholdSteps(y: Labels, p: Scores): { steps: CurvePoint[]; positives: number; negatives: number } {
  checkLengths(y, p);
  const order = byScoreDesc(p);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i] === 1 ? 1 : 0;
  const negatives = y.length - positives;
  const steps: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || p[order[k + 1]] !== p[i]) steps.push({ threshold: p[i], tp, fp });
  }
  return { steps, positives, negatives };
}

/** ROC AUC by the trapezoid over distinct thresholds (= Mann–Whitney with ties counted ½). */
export function rocAuc(y: Labels, p: Scores): number {
  const { steps, positives, negatives } = thresholdSteps(y, p);
  if (positives === 0 || negatives === 0) throw new Error(`ROC AUC needs both classes (positives: ${positives})`);
  let area = 0;
  let tp0 = 0;
  let fp0 = 0;
  for (const { tp, fp } of steps) {
    area += ((fp - fp0) * (tp + tp0)) / 2;
    tp0 = tp;
    fp0 = fp;
  }
  return area / (positives * negatives);
}

/** PR AUC as average precision: Σ (R_k − R_{k−1}) P_k over distinct thresholds (scikit-learn's definition). */
export function prAuc(y: Labels, p: Scores): number {
  const { steps, positives } = thresholdSteps(y, p);
  if (positives === 0) throw new Error("PR AUC needs at least one positive");
  let ap = 0;
  let recall0 = 0;
  for (const { tp, fp } of steps) {
    const recall = tp / positives;
    ap += (recall - recall0) * (tp / (tp + fp));
    recall0 = recall;
  }
  return ap;
}

/** Mean negative log-likelihood; probabilities are clipped to [eps, 1 − eps] so a confident miss is finite. */
export function logLoss(y: Labels, p: Scores, eps = 1e-15): number {
  checkLengths(y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    sum -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / y.length;
}

/** Mean squared error of the probability. */
export function brier(y: Labels, p: Scores): number {
  checkLengths(y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (p[i] - y[i]) ** 2;
  return sum / y.length;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

/** Equal-width reliability bins over [0, 1]; p = 1 falls in the last bin. */
export function reliabilityBins(y: Labels, p: Scores, bins = 10): ReliabilityBin[] {
  checkLengths(y, p);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i] * bins)));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b],
    meanPredicted: count[b] ? sumP[b] / count[b] : null,
    observedRate: count[b] ? sumY[b] / count[b] : null,
  }));
}

/** Expected calibration error: Σ_b (n_b / n) |mean p_b − rate_b| over 10 equal-width bins by default. */
export function ece(y: Labels, p: Scores, bins = 10): number {
  let sum = 0;
  for (const bin of reliabilityBins(y, p, bins))
    if (bin.count) sum += (bin.count / y.length) * Math.abs(bin.meanPredicted! - bin.observedRate!);
  return sum;
}

export interface Confusion {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

/** Confusion matrix for "churn" = p ≥ threshold. */
export function confusion(y: Labels, p: Scores, threshold: number): Confusion {
  checkLengths(y, p);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = p[i] >= threshold;
    if (y[i] === 1) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, tp, fp, tn, fn, precision, recall, f1, accuracy: (tp + tn) / y.length };
}

/** The threshold maximising F1 over the distinct scores (a default for the confusion matrix). */
export function bestF1Threshold(y: Labels, p: Scores): number {
  const { steps, positives } = thresholdSteps(y, p);
  let best = { f1: -1, threshold: 0.5 };
  for (const { threshold, tp, fp } of steps) {
    const f1 = (2 * tp) / (tp + fp + positives);
    if (f1 > best.f1) best = { f1, threshold };
  }
  return best.threshold;
}

/** Picks at most n items evenly (first and last kept), so charts get small curve arrays. */
function downsample<T>(points: T[], n: number): T[] {
  if (points.length <= n) return points;
  return Array.from({ length: n }, (_, k) => points[Math.round((k * (points.length - 1)) / (n - 1))]);
}

const round = (x: number, digits = 5) => Number(x.toFixed(digits));

/** ROC curve points {fpr, tpr, threshold}, starting at (0, 0), downsampled for charts. */
export function rocCurve(y: Labels, p: Scores, maxPoints = 101): { fpr: number; tpr: number; threshold: number }[] {
  const { steps, positives, negatives } = thresholdSteps(y, p);
  const points = [{ fpr: 0, tpr: 0, threshold: 1 }];
  for (const s of steps)
    points.push({ fpr: round(s.fp / negatives), tpr: round(s.tp / positives), threshold: round(s.threshold) });
  return downsample(points, maxPoints);
}

/** Precision–recall curve points {recall, precision, threshold}, downsampled for charts. */
export function prCurve(
  y: Labels,
  p: Scores,
  maxPoints = 101,
): { recall: number; precision: number; threshold: number }[] {
  const { steps, positives } = thresholdSteps(y, p);
  const points = steps.map((s) => ({
    recall: round(s.tp / positives),
    precision: round(s.tp / (s.tp + s.fp)),
    threshold: round(s.threshold),
  }));
  return downsample(points, maxPoints);
}

export interface ScoreSummary {
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  ece: number;
  meanPredicted: number;
  observedRate: number;
}

/** The headline metrics of one set of predictions. */
export function summarize(y: Labels, p: Scores): ScoreSummary {
  let sp = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    sp += p[i];
    sy += y[i];
  }
  return {
    rocAuc: rocAuc(y, p),
    prAuc: prAuc(y, p),
    logLoss: logLoss(y, p),
    brier: brier(y, p),
    ece: ece(y, p),
    meanPredicted: sp / y.length,
    observedRate: sy / y.length,
  };
}

/** Mean and sample standard deviation of each metric across folds. */
export function meanSd(values: readonly ScoreSummary[]): Record<keyof ScoreSummary, { mean: number; sd: number }> {
  const keys = Object.keys(values[0]) as (keyof ScoreSummary)[];
  const result = {} as Record<keyof ScoreSummary, { mean: number; sd: number }>;
  for (const k of keys) {
    const xs = values.map((v) => v[k]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
    result[k] = { mean, sd };
  }
  return result;
}
