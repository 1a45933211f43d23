import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bestF1Threshold,
  brier,
  confusion,
  ece,
  logLoss,
  meanSd,
  prAuc,
  reliabilityBins,
  rocAuc,
  rocCurve,
} from "../../models/metrics.js";

const close = (actual: number, expected: number, eps = 1e-12) =>
  assert.ok(Math.abs(actual - expected) < eps, `${actual} is not ${expected}`);

describe("metrics", () => {
  it("rocAuc counts tied positive/negative pairs as one half", () => {
    // Pairs won: 0.35 beats 0.1 (1); 0.8 beats all (3); 0.4 beats 0.1 and ties two 0.4s (1 + ½ + ½) → 6/9.
    close(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4]), 6 / 9);
    close(rocAuc([1, 0], [0.5, 0.5]), 0.5);
    close(rocAuc([0, 1], [0.2, 0.9]), 1);
  });
  it("rocAuc needs both classes", () => {
    assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), /both classes/);
  });
  it("prAuc is average precision over distinct thresholds", () => {
    close(prAuc([1, 0, 1], [0.9, 0.8, 0.7]), 0.5 * 1 + 0.5 * (2 / 3));
    close(prAuc([1, 0], [0.5, 0.5]), 0.5);
  });
  it("brier is the mean squared error of the probability", () => {
    close(brier([0, 1], [0.2, 0.7]), (0.04 + 0.09) / 2);
  });
  it("logLoss is the mean negative log-likelihood, finite for confident misses", () => {
    close(logLoss([0, 1], [0.2, 0.7]), -(Math.log(0.8) + Math.log(0.7)) / 2);
    assert.ok(Number.isFinite(logLoss([1], [0])));
  });
  it("ece weights each of 10 equal-width bins' |mean p − rate| by its share of rows", () => {
    close(ece([0, 1, 1, 0], [0.05, 0.15, 0.95, 0.85]), (0.05 + 0.85 + 0.05 + 0.85) / 4);
    close(ece([1, 0], [0.5, 0.5]), 0);
  });
  it("reliabilityBins puts p = 1 in the last bin and leaves empty bins null", () => {
    const bins = reliabilityBins([1, 0], [1, 0]);
    assert.equal(bins.length, 10);
    assert.equal(bins[9].count, 1);
    assert.equal(bins[0].count, 1);
    assert.equal(bins[5].meanPredicted, null);
  });
  it("confusion counts p ≥ threshold as churn", () => {
    const c = confusion([1, 1, 0, 0, 1], [0.9, 0.4, 0.5, 0.1, 0.5], 0.5);
    assert.deepEqual([c.tp, c.fp, c.tn, c.fn], [2, 1, 1, 1]);
    close(c.precision, 2 / 3);
    close(c.recall, 2 / 3);
    close(c.accuracy, 3 / 5);
  });
  it("bestF1Threshold picks the score that maximises F1", () => {
    assert.equal(bestF1Threshold([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1]), 0.8);
  });
  it("rocCurve starts at (0, 0), ends at (1, 1) and is downsampled", () => {
    const y = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const p = y.map((_, i) => ((i * 7919) % 1000) / 1000);
    const curve = rocCurve(y, p, 50);
    assert.equal(curve.length, 50);
    assert.deepEqual([curve[0].fpr, curve[0].tpr], [0, 0]);
    assert.deepEqual([curve.at(-1)!.fpr, curve.at(-1)!.tpr], [1, 1]);
  });
  it("meanSd gives the mean and the sample standard deviation", () => {
    const s = { rocAuc: 0, prAuc: 0, logLoss: 0, brier: 0, ece: 0, meanPredicted: 0, observedRate: 0 };
    const r = meanSd([
      { ...s, brier: 1 },
      { ...s, brier: 3 },
    ]);
    close(r.brier.mean, 2);
    close(r.brier.sd, Math.SQRT2);
  });
});
