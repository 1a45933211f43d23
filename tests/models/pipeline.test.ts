import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ort from "onnxruntime-web";
import { FOOD_TRUTH, foodRows } from "../../data-loaders/food/generate.js";
import { encodeRows, FOOD_SPEC } from "../../src/lib/features.js";
import { buildModel } from "../../models/pipeline.js";
import { RECIPES } from "../../models/recipes.js";

ort.env.wasm.numThreads = 1;

// A small food base and one grid candidate with few rounds: this checks wiring, not model quality.
const rows = [...foodRows({ n: 3000, seed: 5 })];
const grid = [{ ...RECIPES.food.grid[0], eta: 0.2 }];
const options = { seed: 3, cvRepeats: 1, grid, truth: FOOD_TRUTH.coefficients };

describe("buildModel", async () => {
  const start = performance.now();
  const a = await buildModel("food", rows, options);
  const seconds = (performance.now() - start) / 1000;

  it("returns one calibrated probability, SHAP row and split label per customer", () => {
    assert.equal(a.probability.length, rows.length);
    assert.equal(a.oofProbability.length, rows.length);
    assert.equal(a.split.filter((s) => s === "test").length, 600);
    assert.equal(a.shap.values.length, rows.length * a.shap.groups.length);
    assert.deepEqual(a.ids.slice(0, 2), [rows[0].customer_id, rows[1].customer_id]);
    console.log(`buildModel(food, ${rows.length} rows) took ${seconds.toFixed(1)} s`);
  });
  // SHAP sums to σ(a·Σφ + b) exactly; Σφ equals XGBoost's float32 margin to ~1e-6, hence the tolerance.
  it("grouped probability SHAP sums to probability − base for every customer", () => {
    const k = a.shap.groups.length;
    for (let i = 0; i < rows.length; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += a.shap.values[i * k + j];
      assert.ok(Math.abs(sum - (a.probability[i] - a.shap.base)) < 1e-6, `row ${i}`);
    }
  });
  it("the ONNX model reproduces the pipeline's probabilities", async () => {
    const session = await ort.InferenceSession.create(a.onnx);
    const x = encodeRows(FOOD_SPEC, rows);
    const out = await session.run({ features: new ort.Tensor("float32", x.data, [x.nrow, x.ncol]) });
    const p = out.probability.data as Float32Array;
    let max = 0;
    for (let i = 0; i < rows.length; i++) max = Math.max(max, Math.abs(p[i] - a.probability[i]));
    assert.ok(max <= 1e-6, `max |Δ| ${max}`);
  });
  it("metrics carry CV mean ± sd, test figures, calibration comparison and the logistic baseline", () => {
    const m = a.metrics;
    assert.equal(m.cv.xgboost.folds.length, 5);
    assert.ok(m.cv.xgboost.perFold.platt.rocAuc.mean > 0.6);
    assert.ok(m.test.calibrated.brier < 0.25);
    assert.ok(m.calibration.reason.includes("isotonic"));
    assert.equal(m.test.reliability.length, 10);
    assert.ok(m.shap.maxAdditivityError <= 1e-4);
    assert.equal(
      m.logistic.coefficients.some((c) => c.feature === "membership=None"),
      false,
      "reference level dropped",
    );
  });
  it("measures the fair and the raw-column logistic baseline and a 50/50 blend on the XGBoost folds", () => {
    const m = a.metrics;
    assert.deepEqual(m.logistic.log1p, RECIPES.food.logisticLog1p);
    assert.deepEqual(m.cv.blend.weights, [0.5, 0.5]);
    assert.deepEqual(
      m.cv.blend.folds.map((f) => [f.repeat, f.fold]),
      m.cv.xgboost.folds.map((f) => [f.repeat, f.fold]),
    );
    assert.notEqual(m.cv.logistic.perFold.platt.brier.mean, m.cv.logisticRaw.perFold.platt.brier.mean);
    for (const s of [m.test.logisticRaw, m.test.blend]) assert.ok(s.rocAuc > 0.6 && s.brier < 0.25);
    assert.ok(m.logistic.coefficients.some((c) => c.scale === "log1p"));
  });
  it("the logistic baseline recovers the generator's strong directions", () => {
    const byFeature = new Map(a.metrics.logistic.truthComparison!.map((c) => [c.feature, c]));
    for (const f of ["recency_days", "order_frequency", "tenure_months", "membership=Platinum"])
      assert.ok(byFeature.get(f)!.agrees, f);
  });
  it("the same seed gives byte-identical model.json and ONNX", async () => {
    const b = await buildModel("food", rows, options);
    assert.ok(Buffer.from(a.modelJson).equals(Buffer.from(b.modelJson)));
    assert.ok(Buffer.from(a.onnx).equals(Buffer.from(b.onnx)));
    assert.deepEqual(a.trees, b.trees);
  });
});
