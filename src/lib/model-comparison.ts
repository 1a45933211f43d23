/**
 * How far one model leads another on the same cross-validation folds: the mean of the fold-by-fold differences and
 * its standard error. Used by the Models page and the model card (scripts/model-card.ts), so both say the same.
 * Browser-safe: no imports.
 */

/** One fold's figures (the part of a ScoreSummary the comparisons read). */
export interface FoldFigures {
  repeat: number;
  fold: number;
  metrics: { rocAuc: number; brier: number; logLoss: number };
}

export type ComparedMetric = "rocAuc" | "brier" | "logLoss";

export interface Lead {
  /** mean over folds of a − b */
  mean: number;
  /** sample standard deviation of the fold differences */
  sd: number;
  /**
   * sd / √folds. The folds' training parts overlap, so this understates the true uncertainty a little; it is still
   * far smaller than the unpaired sd of either model's figures, because both models meet the same hard folds.
   */
  se: number;
  folds: number;
}

/** a − b fold by fold on `metric`; the folds must be the same ones, in any order (matched by repeat and fold). */
export function pairedLead(a: readonly FoldFigures[], b: readonly FoldFigures[], metric: ComparedMetric): Lead {
  if (!a.length || a.length !== b.length)
    throw new Error(`paired comparison needs the same non-empty folds (got ${a.length} and ${b.length})`);
  const key = (f: FoldFigures) => `${f.repeat}/${f.fold}`;
  const other = new Map(b.map((f) => [key(f), f]));
  const diffs = a.map((f) => {
    const g = other.get(key(f));
    if (!g) throw new Error(`fold ${key(f)} is missing from the second model`);
    return f.metrics[metric] - g.metrics[metric];
  });
  const n = diffs.length;
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const sd = n > 1 ? Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, se: sd / Math.sqrt(n), folds: n };
}

/**
 * Whether `a` beats `b` out of sample: higher ROC AUC and lower Brier score on the same folds (both means), the two
 * ways the pages judge a model. Says nothing about whether the difference exceeds the noise: see `pairedLead`.
 */
export function wins(a: readonly FoldFigures[], b: readonly FoldFigures[]): boolean {
  return pairedLead(a, b, "rocAuc").mean > 0 && pairedLead(a, b, "brier").mean < 0;
}

/** "leads by 0.0012 (± 0.0009 standard error)" style wording of a lead, for the page and the card. */
export function describeLead(lead: Lead, { digits = 4 } = {}): string {
  const size = Math.abs(lead.mean).toFixed(digits);
  const se = lead.se.toFixed(digits);
  const within = Math.abs(lead.mean) < 2 * lead.se;
  return `${lead.mean >= 0 ? "+" : "−"}${size} (standard error ${se}${within ? ", within the noise" : ""})`;
}
