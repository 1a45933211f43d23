import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bootstrapOptima, optimumProfit, quantile, resampleCounts } from "../../src/lib/bootstrap.js";
import { mulberry32 } from "../../src/lib/random.js";
import { rankByChurn, rankByExpectedProfit } from "../../src/lib/targeting.js";
import { customers, gift } from "./value-fixture.js";

describe("mulberry32", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = mulberry32(14);
    const b = mulberry32(14);
    const draws = Array.from({ length: 10_000 }, () => a());
    assert.deepEqual(
      draws.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.notEqual(mulberry32(15)(), mulberry32(14)());
    assert.throws(() => mulberry32(1.5), /invalid seed: 1.5/);
  });
});

describe("resampleCounts and quantile", () => {
  it("draws n customers with replacement", () => {
    const counts = resampleCounts(1000, mulberry32(1));
    assert.equal(
      counts.reduce((s, c) => s + c, 0),
      1000,
    );
    assert.ok(counts.some((c) => c === 0) && counts.some((c) => c > 1));
  });

  it("interpolates between order statistics like R's quantile type 7", () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantile([7], 0.975), 7);
  });
});

describe("optimumProfit", () => {
  it("prices the expected-profit optimum against the labels (gift: top 4 by value earns 50, top 5 by churn 50)", () => {
    assert.equal(optimumProfit(rankByExpectedProfit(customers, gift), gift), 50);
    assert.equal(optimumProfit(rankByChurn(customers), gift), 50);
  });

  it("takes the best k in hindsight with the hindsight rule (value ranking 50, churn ranking 74)", () => {
    assert.equal(optimumProfit(rankByExpectedProfit(customers, gift), gift, { rule: "hindsight" }), 50);
    assert.equal(optimumProfit(rankByChurn(customers), gift, { rule: "hindsight" }), 74);
  });
});

describe("bootstrapOptima", () => {
  // 2,000 customers with values: a noisy model and a better one of the same churners
  const random = mulberry32(7);
  const n = 2000;
  const truth = Array.from({ length: n }, () => random() * 0.6);
  const churned = truth.map((t) => (random() < t ? 1 : 0));
  const value = truth.map(() => 100 + Math.floor(random() * 900));
  const good = { probability: truth, value, churned };
  const noisy = { probability: truth.map((t) => Math.min(1, Math.max(0, t + (random() - 0.5) * 0.5))), value, churned };
  const candidates = [
    { columns: good, ranking: rankByExpectedProfit(good, gift) },
    { columns: noisy, ranking: rankByExpectedProfit(noisy, gift) },
  ];

  it("is deterministic for a seed and brackets the full-data estimates", () => {
    const a = bootstrapOptima(candidates, gift, { resamples: 200, seed: 3 });
    const b = bootstrapOptima(candidates, gift, { resamples: 200, seed: 3 });
    assert.deepEqual(a, b);
    for (const p of a.profit) {
      assert.ok(p.lower < p.estimate && p.estimate < p.upper, JSON.stringify(p));
      assert.equal(p.resamples, 200);
    }
    assert.equal(a.profit[0].estimate, optimumProfit(candidates[0].ranking, gift));
  });

  it("pairs the resamples: a candidate's lead over itself is exactly zero and leads are antisymmetric", () => {
    const { lead, profit } = bootstrapOptima(candidates, gift, { resamples: 100 });
    assert.deepEqual([lead[0][0].lower, lead[0][0].upper], [0, 0]);
    assert.equal(lead[0][1].estimate, profit[0].estimate - profit[1].estimate);
    assert.ok(Math.abs(lead[0][1].lower + lead[1][0].upper) < 1e-9);
  });

  it("rejects candidates that are not the same customers", () => {
    const short = { probability: [0.5], value: [1], churned: [1] };
    assert.throws(
      () => bootstrapOptima([candidates[0], { columns: short, ranking: rankByChurn(short) }], gift),
      /invalid candidate 1: 1 rows, not 2000/,
    );
  });
});
