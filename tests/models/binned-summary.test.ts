// The streamed metrics equal summarize()'s where they are sums, and come within the bin width where they rank.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomLcg } from "d3";
import { aucStandardError, BinnedSummary } from "../../models/binned-summary.js";
import { summarize } from "../../models/metrics.js";

describe("BinnedSummary", () => {
  it("matches summarize(): sums exactly, the AUCs within 1e-4", () => {
    const random = randomLcg(5);
    const n = 20_000;
    const y = new Float64Array(n);
    const p = new Float64Array(n);
    const s = new BinnedSummary();
    for (let i = 0; i < n; i++) {
      p[i] = random();
      y[i] = random() < p[i] ** 2 ? 1 : 0;
      s.add(y[i], p[i]);
    }
    const exact = summarize(y, p);
    const binned = s.summary();
    for (const k of ["logLoss", "brier", "ece", "meanPredicted", "observedRate"] as const)
      assert.ok(Math.abs(binned[k] - exact[k]) < 1e-12, `${k}: ${binned[k]} vs ${exact[k]}`);
    assert.ok(Math.abs(binned.rocAuc - exact.rocAuc) < 1e-4, `ROC AUC ${binned.rocAuc} vs ${exact.rocAuc}`);
    assert.ok(Math.abs(binned.prAuc - exact.prAuc) < 1e-4, `PR AUC ${binned.prAuc} vs ${exact.prAuc}`);
  });

  it("is exact on scores that fall on bin edges, and refuses bad input", () => {
    const y = [0, 1, 0, 1, 1, 0];
    const p = [0.1, 0.9, 0.5, 0.5, 0.7, 0.2];
    const s = new BinnedSummary();
    for (let i = 0; i < y.length; i++) s.add(y[i], p[i]);
    assert.equal(s.summary().rocAuc, summarize(y, p).rocAuc);
    assert.throws(() => s.add(2, 0.5), /invalid label/);
    assert.throws(() => s.add(1, Number.NaN), /invalid probability/);
    assert.throws(() => new BinnedSummary().summary(), /no rows/);
  });
});

describe("aucStandardError", () => {
  it("gives Hanley & McNeil's figure and shrinks as 1/√n", () => {
    // By hand: Q1 = 0.8/1.2 = 0.6667, Q2 = 1.28/1.8 = 0.7111; SE² = (0.16 + 49·0.0267 + 49·0.0711) / 2500 → 0.0445.
    assert.ok(Math.abs(aucStandardError(0.8, 50, 50) - 0.0445) < 1e-4);
    const ratio = aucStandardError(0.85, 1_325, 3_675) / aucStandardError(0.85, 13_250, 36_750);
    assert.ok(Math.abs(ratio - Math.sqrt(10)) < 0.01, `ratio ${ratio}`);
  });
});
