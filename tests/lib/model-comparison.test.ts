import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeLead, pairedLead, wins, type FoldFigures } from "../../src/lib/model-comparison.js";

const folds = (auc: number[], brier: number[]): FoldFigures[] =>
  auc.map((rocAuc, i) => ({
    repeat: Math.floor(i / 2),
    fold: i % 2,
    metrics: { rocAuc, brier: brier[i], logLoss: 0 },
  }));

describe("pairedLead", () => {
  // Differences a − b: 0.01, 0.03, 0.02, 0.02 → mean 0.02, sd √(0.0002/3) = 0.008165, se 0.004082.
  const a = folds([0.81, 0.83, 0.82, 0.84], [0.2, 0.2, 0.2, 0.2]);
  const b = folds([0.8, 0.8, 0.8, 0.82], [0.21, 0.19, 0.2, 0.22]);

  it("is the mean and standard error of the fold-by-fold differences (hand-computed)", () => {
    const lead = pairedLead(a, b, "rocAuc");
    assert.ok(Math.abs(lead.mean - 0.02) < 1e-12);
    assert.ok(Math.abs(lead.sd - Math.sqrt(0.0002 / 3)) < 1e-12);
    assert.ok(Math.abs(lead.se - Math.sqrt(0.0002 / 3) / 2) < 1e-12);
    assert.equal(lead.folds, 4);
  });
  it("pairs folds by repeat and fold, not by position", () => {
    assert.deepEqual(pairedLead(a, [...b].reverse(), "rocAuc"), pairedLead(a, b, "rocAuc"));
  });
  it("refuses folds that do not match", () => {
    assert.throws(() => pairedLead(a, b.slice(1), "rocAuc"), /same non-empty folds/);
    assert.throws(
      () =>
        pairedLead(
          a,
          b.map((f) => ({ ...f, repeat: f.repeat + 5 })),
          "rocAuc",
        ),
      /fold 0\/0 is missing/,
    );
  });
  it("a model wins only with a higher AUC and a lower Brier score", () => {
    // Brier differences: −0.01, +0.01, 0, −0.02 → mean −0.005: lower, and the AUC is higher.
    assert.equal(wins(a, b), true);
    assert.equal(wins(b, a), false);
    assert.equal(wins(a, folds([0.8, 0.8, 0.8, 0.82], [0.1, 0.1, 0.1, 0.1])), false);
  });
  it("says when a lead is within two standard errors", () => {
    assert.equal(
      describeLead({ mean: 0.0012, sd: 0, se: 0.0009, folds: 15 }),
      "+0.0012 (standard error 0.0009, within the noise)",
    );
    assert.equal(describeLead({ mean: -0.005, sd: 0, se: 0.001, folds: 15 }), "−0.0050 (standard error 0.0010)");
  });
});
