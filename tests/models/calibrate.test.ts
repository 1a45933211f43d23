import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomLcg } from "d3";
import { calibrate, fitIsotonic, fitPlatt, sigmoid } from "../../models/calibrate.js";
import { repeatedStratifiedKFold, stratifiedSplit } from "../../models/splits.js";

describe("calibration", () => {
  it("fitPlatt recovers the slope and intercept that generated the labels", () => {
    const random = randomLcg(1);
    const margin = Array.from({ length: 20000 }, () => random() * 8 - 4);
    const y = margin.map((m) => (random() < sigmoid(0.6 * m - 0.4) ? 1 : 0));
    const { a, b } = fitPlatt(margin, y);
    assert.ok(Math.abs(a - 0.6) < 0.05, `a = ${a}`);
    assert.ok(Math.abs(b + 0.4) < 0.05, `b = ${b}`);
  });
  it("fitIsotonic is monotone and pools violators", () => {
    const iso = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    assert.deepEqual(iso.y, [0, 0.5, 1]);
    assert.equal(calibrate(iso, -10), 0);
    assert.equal(calibrate(iso, 10), 1);
  });
});

describe("splits", () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  it("stratifiedSplit keeps the positive rate in every part and is seeded", () => {
    const s = stratifiedSplit(labels, { seed: 3 });
    assert.deepEqual([s.train.length, s.valid.length, s.test.length], [600, 200, 200]);
    for (const part of [s.train, s.valid, s.test])
      assert.equal(part.filter((i) => labels[i] === 1).length / part.length, 0.25);
    assert.deepEqual(stratifiedSplit(labels, { seed: 3 }), s);
    assert.notDeepEqual(stratifiedSplit(labels, { seed: 4 }).test, s.test);
  });
  it("stratifiedSplit handles the largest bases the generator makes (1,000,000 rows)", () => {
    // push(...rows) with hundreds of thousands of arguments overflowed V8's stack at FOOD_N = 1,000,000.
    const big = Array.from({ length: 1_000_000 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const s = stratifiedSplit(big, { seed: 1 });
    assert.equal(s.train.length + s.valid.length + s.test.length, 1_000_000);
  });
  it("repeatedStratifiedKFold puts every row in exactly one test fold per repeat", () => {
    const folds = repeatedStratifiedKFold(labels, { k: 5, repeats: 2, seed: 1 });
    assert.equal(folds.length, 10);
    for (const r of [0, 1]) {
      const seen = folds
        .filter((f) => f.repeat === r)
        .flatMap((f) => f.test)
        .sort((a, b) => a - b);
      assert.deepEqual(
        seen,
        labels.map((_, i) => i),
      );
    }
    assert.throws(() => repeatedStratifiedKFold(labels, { k: 1 }), /invalid k: 1/);
  });
});
