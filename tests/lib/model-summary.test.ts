import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PublishedMetrics } from "../../src/lib/artifacts.js";
import { blendWins, leadSummary, logFeatures, modelRows } from "../../src/lib/model-summary.js";

/** Metrics with only what the summary reads: per-fold ROC AUC and Brier of each model (3 folds). */
function metrics(xgb: number[], fair: number[], blend: number[], brier = { xgb: 0.13, fair: 0.131, blend: 0.129 }) {
  const s = (mean: number) => ({ mean, sd: 0.01 });
  const summary = (auc: number, b: number) => ({
    rocAuc: s(auc),
    prAuc: s(0.6),
    logLoss: s(0.4),
    brier: s(b),
    ece: s(0.02),
    meanPredicted: s(0.26),
    observedRate: s(0.26),
  });
  const score = (auc: number, b: number) => ({ rocAuc: auc, prAuc: 0.6, logLoss: 0.4, brier: b, ece: 0.02 });
  const cv = (aucs: number[], b: number) => ({
    folds: aucs.map((auc, fold) => ({ repeat: 0, fold, metrics: { platt: score(auc, b) } })),
    perFold: { platt: summary(aucs[0], b), uncalibrated: summary(aucs[0], b) },
    pooled: { platt: { summary: summary(aucs[0], b) }, uncalibrated: { summary: summary(aucs[0], b) } },
  });
  return {
    model: { params: { scale_pos_weight: 1 } },
    logistic: { log1p: ["tenure", "total_charges"] },
    cv: {
      xgboost: cv(xgb, brier.xgb),
      logistic: cv(fair, brier.fair),
      logisticRaw: cv(
        fair.map((a) => a - 0.01),
        0.137,
      ),
      blend: {
        folds: blend.map((auc, fold) => ({ repeat: 0, fold, metrics: score(auc, brier.blend) })),
        perFold: summary(blend[0], brier.blend),
        pooled: { summary: summary(blend[0], brier.blend) },
      },
    },
    test: Object.fromEntries(
      ["calibrated", "uncalibrated", "logistic", "logisticRaw", "blend"].map((k) => [k, score(0.85, 0.13)]),
    ),
  } as unknown as PublishedMetrics;
}
const label = (f: string) => ({ tenure: "Tenure", total_charges: "Total charges" })[f] ?? f;

describe("leadSummary", () => {
  it("calls a lead within two standard errors a tie, and never says XGBoost ranks better then", () => {
    // differences 0.001, −0.001, 0.002: mean 0.00067, se 0.00088
    const s = leadSummary(metrics([0.851, 0.849, 0.852], [0.85, 0.85, 0.85], [0.8515, 0.8495, 0.8525]), label);
    assert.equal(s.verdict, "tie");
    assert.match(s.text, /equally well within the noise/);
    assert.match(s.logisticSentence, /about as well as XGBoost/);
    assert.doesNotMatch(s.text + s.logisticSentence, /a little worse/);
  });
  it("says XGBoost leads only when it does by more than two standard errors", () => {
    const s = leadSummary(metrics([0.86, 0.861, 0.862], [0.85, 0.85, 0.85], [0.855, 0.855, 0.856]), label);
    assert.equal(s.verdict, "xgboost-leads");
    assert.match(s.logisticSentence, /a little worse than XGBoost/);
  });
  it("says so when the baseline ranks better", () => {
    const s = leadSummary(metrics([0.84, 0.841, 0.842], [0.85, 0.85, 0.851], [0.85, 0.85, 0.85]), label);
    assert.equal(s.verdict, "baseline-leads");
    assert.match(s.text, /slightly better than XGBoost/);
  });
  it("names the logged features as people read them", () => {
    assert.equal(logFeatures(metrics([0.85], [0.85], [0.85]), label), "tenure and total charges");
  });
});

describe("the blend on the page", () => {
  it("is in the table only when it beats XGBoost on both ROC AUC and Brier", () => {
    const better = metrics([0.85, 0.85], [0.85, 0.85], [0.851, 0.851]);
    assert.equal(blendWins(better), true);
    assert.equal(modelRows(better).length, 5);
    assert.match(leadSummary(better, label).blendText, /beats XGBoost out of sample/);
    const worseBrier = metrics([0.85, 0.85], [0.85, 0.85], [0.851, 0.851], { xgb: 0.13, fair: 0.13, blend: 0.131 });
    assert.equal(blendWins(worseBrier), false);
    assert.equal(modelRows(worseBrier).length, 4);
    assert.match(leadSummary(worseBrier, label).blendText, /does not beat XGBoost out of sample, so it is not shown/);
  });
  it("formats the figures for people: four decimals where models differ in the third", () => {
    const [first] = modelRows(metrics([0.85012], [0.85], [0.85]));
    assert.equal(first.auc, "0.8501 ± 0.010");
    assert.equal(first.model, "XGBoost + Platt (published)");
  });
});
