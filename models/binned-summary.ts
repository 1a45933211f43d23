/**
 * The figures of models/metrics.ts summarize() accumulated one row at a time, in memory that does not grow with the
 * number of rows: Brier, log loss, ECE (10 bins), the mean prediction and the churn rate are exact sums; ROC AUC and
 * PR AUC are computed from the scores rounded down to 1 / 100,000 (rows in one bin count as tied, so the ROC AUC is
 * off by at most half the share of churner/non-churner pairs that share a bin).
 */
import type { ScoreSummary } from "./metrics.js";

const FINE_BINS = 100_000;
const ECE_BINS = 10;
const EPS = 1e-15;

export class BinnedSummary {
  private readonly positives = new Float64Array(FINE_BINS);
  private readonly negatives = new Float64Array(FINE_BINS);
  private readonly eceCount = new Float64Array(ECE_BINS);
  private readonly eceP = new Float64Array(ECE_BINS);
  private readonly eceY = new Float64Array(ECE_BINS);
  private n = 0;
  private sumP = 0;
  private sumY = 0;
  private sumBrier = 0;
  private sumLogLoss = 0;

  get rows(): number {
    return this.n;
  }

  add(y: number, p: number): void {
    if (y !== 0 && y !== 1) throw new Error(`invalid label ${y} (expected 0 or 1)`);
    if (!(p >= 0 && p <= 1)) throw new Error(`invalid probability ${p}`);
    const fine = Math.min(FINE_BINS - 1, Math.floor(p * FINE_BINS));
    (y === 1 ? this.positives : this.negatives)[fine]++;
    const b = Math.min(ECE_BINS - 1, Math.floor(p * ECE_BINS));
    this.eceCount[b]++;
    this.eceP[b] += p;
    this.eceY[b] += y;
    this.n++;
    this.sumP += p;
    this.sumY += y;
    this.sumBrier += (p - y) ** 2;
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    this.sumLogLoss -= y === 1 ? Math.log(q) : Math.log(1 - q);
  }

  summary(): ScoreSummary {
    const { n } = this;
    if (n === 0) throw new Error("no rows to evaluate");
    const positives = this.sumY;
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) throw new Error(`ROC AUC needs both classes (positives: ${positives})`);
    // Bins from the highest score down: trapezoids for ROC, precision at each step's recall for PR (average precision).
    let tp = 0;
    let fp = 0;
    let roc = 0;
    let ap = 0;
    for (let b = FINE_BINS - 1; b >= 0; b--) {
      const dp = this.positives[b];
      const dn = this.negatives[b];
      if (dp === 0 && dn === 0) continue;
      roc += (dn * (tp + tp + dp)) / 2;
      tp += dp;
      fp += dn;
      ap += (dp / positives) * (tp / (tp + fp));
    }
    let ece = 0;
    for (let b = 0; b < ECE_BINS; b++) {
      const c = this.eceCount[b];
      if (c) ece += (c / n) * Math.abs(this.eceP[b] / c - this.eceY[b] / c);
    }
    return {
      rocAuc: roc / (positives * negatives),
      prAuc: ap,
      logLoss: this.sumLogLoss / n,
      brier: this.sumBrier / n,
      ece,
      meanPredicted: this.sumP / n,
      observedRate: positives / n,
    };
  }
}

/**
 * Hanley & McNeil's (1982) standard error of a ROC AUC `auc` measured on `positives` churners and `negatives`
 * others: what justifies the size of the model-selection sample (docs/scale.md).
 */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const a2 = auc * auc;
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(variance);
}
