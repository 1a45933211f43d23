import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatValue, percentileRanks, valueAxis, valuePositions } from "../../src/lib/feature-values.js";
import { beeswarmDots, binnedMeans, dependenceDots, levelMeans, sampleSize } from "../../src/lib/shap-sample.js";

describe("valuePositions (beeswarm colour: 0 = low, 1 = high, null = no order)", () => {
  it("ranks numbers within the feature, ties sharing their mean rank", () => {
    assert.deepEqual(valuePositions("telco", "tenure", [10, 1, 72, 10, null]), [0.5, 0, 1, 0.5, null]);
  });
  it("puts No low and Yes high for Yes/No columns, and orders ordinal levels", () => {
    assert.deepEqual(valuePositions("telco", "partner", ["No", "Yes"]), [0, 1]);
    assert.deepEqual(valuePositions("telco", "contract", ["Two year", "Month-to-month", "One year"]), [1, 0, 0.5]);
  });
  it("reads Yes/No within a category list and leaves the rest without an order", () => {
    assert.deepEqual(valuePositions("telco", "online_security", ["No", "Yes", "No internet service"]), [0, 1, null]);
    assert.deepEqual(valuePositions("telco", "payment_method", ["Electronic check", "Mailed check"]), [null, null]);
  });
  it("orders numeric categories (city tier) by their number", () => {
    assert.deepEqual(valuePositions("food", "city_tier", [3, 1, 2]), [1, 0, 0.5]);
  });
  it("puts a single distinct number in the middle", () => {
    assert.deepEqual(percentileRanks([4, 4]), [0.5, 0.5]);
  });
});

describe("valueAxis and formatValue", () => {
  it("lays numbers on a linear axis with their unit and levels in their order", () => {
    assert.deepEqual(valueAxis("telco", "tenure"), { kind: "numeric", unit: "months" });
    assert.deepEqual(valueAxis("telco", "contract"), {
      kind: "levels",
      levels: ["Month-to-month", "One year", "Two year"],
    });
    assert.deepEqual(valueAxis("food", "city_tier"), { kind: "levels", levels: ["1", "2", "3"] });
  });
  it("writes values as people read them", () => {
    assert.equal(formatValue("telco", "tenure", 24), "24 months");
    assert.equal(formatValue("telco", "monthly_charges", 70.35), "USD 70.35");
    assert.equal(formatValue("food", "avg_order_value", 1234.5), "₹ 1,234.5");
    assert.equal(formatValue("telco", "contract", "One year"), "One year");
    assert.equal(formatValue("telco", "total_charges", null), "missing");
  });
});

describe("the SHAP sample's chart data", () => {
  const points = [
    { row: 0, feature: "tenure", shap: 0.1, value: 1 },
    { row: 0, feature: "contract", shap: 0.05, value: "Month-to-month" },
    { row: 1, feature: "tenure", shap: -0.1, value: 60 },
    { row: 1, feature: "contract", shap: -0.07, value: "Two year" },
    { row: 2, feature: "tenure", shap: -0.02, value: 30 },
    { row: 2, feature: "contract", shap: -0.03, value: "Two year" },
  ];
  it("counts customers, not points", () => {
    assert.equal(sampleSize(points), 3);
    assert.equal(sampleSize(points.map(({ row: _, ...d }) => d)), 3);
  });
  it("colours beeswarm dots by value and labels them", () => {
    const dots = beeswarmDots(points, ["tenure"], "telco");
    assert.deepEqual(
      dots.map((d) => [d.position, d.shown, d.label]),
      [
        [0, "1 months", "Tenure"],
        [1, "60 months", "Tenure"],
        [0.5, "30 months", "Tenure"],
      ],
    );
    for (const d of dots) assert.ok(d.jitter >= 0.1 && d.jitter <= 0.9);
  });
  it("places levels at their index (spread within ±0.35) and averages each level", () => {
    const dots = dependenceDots(points, "contract", "telco");
    assert.deepEqual(
      dots.map((d) => Math.round(d.x) + 0),
      [0, 2, 2],
    );
    for (const d of dots) assert.ok(Math.abs(d.x - Math.round(d.x)) <= 0.35);
    assert.deepEqual(levelMeans(points, "contract", "telco"), [
      { x: 0, level: "Month-to-month", customers: 1, mean: 0.05 },
      { x: 2, level: "Two year", customers: 2, mean: -0.05 },
    ]);
  });
  it("bins numeric values and drops bins with too few customers", () => {
    const dots = Array.from({ length: 20 }, (_, i) => ({ x: i < 10 ? 0 : 10, shap: i < 10 ? 1 : 3 }));
    assert.deepEqual(binnedMeans(dots, { bins: 2, minCount: 5 }), [
      { x: 0, mean: 1, customers: 10 },
      { x: 10, mean: 3, customers: 10 },
    ]);
    assert.deepEqual(binnedMeans(dots.slice(0, 12), { bins: 2, minCount: 5 }), [{ x: 0, mean: 1, customers: 10 }]);
  });
});
