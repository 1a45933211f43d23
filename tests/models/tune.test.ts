import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foodRows } from "../../data-loaders/food/generate.js";
import { stratifiedSplit } from "../../models/splits.js";
import { report, searchRecipes, treeGrid } from "../../scripts/tune.js";

// A small food base and one fast tree candidate: this checks that the search reads development rows only.
const rows = [...foodRows({ n: 1500, seed: 5 })];
const grid = [{ ...treeGrid("food", true)[0], eta: 0.3 }];
const seed = 11;

describe("scripts/tune.ts searchRecipes", () => {
  const a = searchRecipes("food", rows, { seed, grid });

  it("uses the pipeline's development rows and scores every candidate and baseline variant", () => {
    assert.deepEqual(a.rows, { dev: 1200, test: 300 });
    assert.equal(a.trees.length, 1);
    assert.deepEqual(
      a.logistic.map((l) => l.variant),
      [
        "raw columns",
        "log1p as in models/recipes.ts",
        "log1p of every numeric column with skewness > 1",
        "log1p of every numeric column",
      ],
    );
    for (const f of [...a.trees, ...a.logistic].map((t) => t.cv)) assert.ok(f.rocAuc > 0.6 && f.brier < 0.25);
    assert.ok(a.blend.cv.rocAuc > 0.6);
  });

  it("never reads a test row: changing every test row's features leaves every figure as it was", () => {
    const label = rows.map((r) => r.churned);
    const test = new Set(stratifiedSplit(label, { seed, valid: 0, test: 0.2 }).test);
    const changed = rows.map((r, i) =>
      test.has(i)
        ? {
            ...r,
            recency_days: 365 - r.recency_days,
            order_frequency: r.order_frequency + 7,
            membership: "Platinum" as const,
            coupon_usage_rate: 1 - r.coupon_usage_rate,
          }
        : r,
    );
    assert.deepEqual(searchRecipes("food", changed, { seed, grid }), a);
  });

  it("reports a readable table naming the rows it used", () => {
    const text = report(a);
    assert.match(text, /1200 development rows \(300 test rows never read\)/);
    assert.match(text, /\| raw columns \| none \|/);
  });
});
