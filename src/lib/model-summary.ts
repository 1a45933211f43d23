/**
 * The Models page's comparison of the models, from one data set's metrics: the table rows (XGBoost, the fair and the
 * old logistic baseline, and the 50/50 blend only when it beats XGBoost out of sample) and the sentences that say how
 * far XGBoost leads — computed from the paired fold differences, so the page never claims a lead the numbers lack.
 * Browser-safe: the metrics type is erased.
 */
import type { PublishedMetrics } from "./artifacts.js";
import { type FoldFigures, type Lead, pairedLead, wins } from "./model-comparison.js";

export type Verdict = "xgboost-leads" | "tie" | "baseline-leads";

const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number) => x.toFixed(4);
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${f4(Math.abs(x))}`;

const plattFolds = (cv: PublishedMetrics["cv"]["xgboost"]): FoldFigures[] =>
  cv.folds.map((f) => ({ repeat: f.repeat, fold: f.fold, metrics: f.metrics.platt }));

/** Whether the blend beats XGBoost on both ROC AUC and Brier, on the same folds. */
export function blendWins(m: PublishedMetrics): boolean {
  return wins(m.cv.blend.folds, plattFolds(m.cv.xgboost));
}

/** The features the fair baseline takes as log(1 + x), as people read them: "tenure and total charges". */
export function logFeatures(m: PublishedMetrics, label: (feature: string) => string): string {
  const names = m.logistic.log1p.map((f) => label(f).toLowerCase());
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * The rows of the model table: CV mean ± sd across folds of ROC AUC and Brier (4 decimals: the models differ in the
 * third), log loss, the pooled out-of-fold ECE, and the test split's ROC AUC and Brier.
 */
export function modelRows(m: PublishedMetrics) {
  type Cv = PublishedMetrics["cv"]["blend"];
  const row = (
    model: string,
    s: Cv["perFold"],
    pooled: Cv["pooled"]["summary"],
    test: { rocAuc: number; brier: number },
  ) => ({
    model,
    auc: `${f4(s.rocAuc.mean)} ± ${f3(s.rocAuc.sd)}`,
    brier: `${f4(s.brier.mean)} ± ${f3(s.brier.sd)}`,
    logLoss: f3(s.logLoss.mean),
    ece: f3(pooled.ece.mean),
    testAuc: f4(test.rocAuc),
    testBrier: f4(test.brier),
  });
  const { xgboost, logistic, logisticRaw, blend } = m.cv;
  return [
    row("XGBoost + Platt (published)", xgboost.perFold.platt, xgboost.pooled.platt.summary, m.test.calibrated),
    row(
      m.model.params.scale_pos_weight > 1 ? "XGBoost, class-weighted, raw" : "XGBoost, not recalibrated",
      xgboost.perFold.uncalibrated,
      xgboost.pooled.uncalibrated.summary,
      m.test.uncalibrated,
    ),
    row(
      `Logistic, ${m.logistic.log1p.length} features logged (fair)`,
      logistic.perFold.platt,
      logistic.pooled.platt.summary,
      m.test.logistic,
    ),
    row("Logistic, raw columns (old)", logisticRaw.perFold.platt, logisticRaw.pooled.platt.summary, m.test.logisticRaw),
    ...(blendWins(m) ? [row("50/50 blend (comparison)", blend.perFold, blend.pooled.summary, m.test.blend)] : []),
  ];
}

function verdictOf(lead: Lead): Verdict {
  if (Math.abs(lead.mean) < 2 * lead.se) return "tie";
  return lead.mean > 0 ? "xgboost-leads" : "baseline-leads";
}

/** How far XGBoost leads the baselines, and what the blend adds, in sentences for the page. */
export function leadSummary(m: PublishedMetrics, label: (feature: string) => string) {
  const xgb = plattFolds(m.cv.xgboost);
  const auc = pairedLead(xgb, plattFolds(m.cv.logistic), "rocAuc");
  const brier = pairedLead(xgb, plattFolds(m.cv.logistic), "brier");
  const old = pairedLead(xgb, plattFolds(m.cv.logisticRaw), "rocAuc");
  const verdict = verdictOf(auc);
  const figures =
    `paired over the same ${auc.folds} folds, XGBoost's ROC AUC minus the baseline's is ${signed(auc.mean)} ` +
    `(standard error ${f4(auc.se)}) and its Brier score minus the baseline's ${signed(brier.mean)} ` +
    `(standard error ${f4(brier.se)})`;
  const baseline = `a logistic regression that takes the log of ${logFeatures(m, label)}`;
  const head = {
    tie: `XGBoost and ${baseline} rank customers equally well within the noise: ${figures}.`,
    "xgboost-leads": `XGBoost ranks customers better than ${baseline}: ${figures}.`,
    "baseline-leads": `On this data ${baseline} ranks customers slightly better than XGBoost: ${figures}.`,
  }[verdict];
  const oldText = `Against the same regression on raw columns XGBoost's lead is ${signed(old.mean)} ROC AUC: the trees' apparent lead over that one came from a misspecified baseline.`;
  const blendLead = pairedLead(m.cv.blend.folds, xgb, "rocAuc");
  const blendText = blendWins(m)
    ? `A 50/50 blend of the two (the average of their calibrated log-odds) beats XGBoost out of sample — ROC AUC ` +
      `${f4(m.cv.blend.perFold.rocAuc.mean)}, Brier ${f4(m.cv.blend.perFold.brier.mean)}, a lead of ` +
      `${signed(blendLead.mean)} ROC AUC (standard error ${f4(blendLead.se)}) — and is in the table for comparison. ` +
      "The site still scores and explains customers with XGBoost alone: the what-if form and the per-customer " +
      "explanations need one tree model."
    : "A 50/50 blend of XGBoost and the fair baseline does not beat XGBoost out of sample, so it is not shown.";
  const logisticSentence = {
    tie: "It ranks customers about as well as XGBoost (the difference is within the noise).",
    "xgboost-leads": "It ranks customers a little worse than XGBoost.",
    "baseline-leads": "On this data it ranks customers slightly better than XGBoost.",
  }[verdict];
  return { verdict, text: `${head} ${oldText}`, blendText, logisticSentence, auc, brier, old, blendLead };
}
