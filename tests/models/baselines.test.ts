import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foodRows } from "../../data-loaders/food/generate.js";
import { blendCv, blendLogits, crossValidateWith, logisticRecipe } from "../../models/cross-validation.js";
import { applyLog1p, coefficients, logisticMargin, trainLogistic } from "../../models/logistic.js";
import { innerSplit } from "../../models/cross-validation.js";
import { encodeRows, FOOD_SPEC, featureLayout, referenceColumns } from "../../src/lib/features.js";

const rows = [...foodRows({ n: 2000, seed: 9 })];
const encoded = encodeRows(FOOD_SPEC, rows);
const ds = { ...encoded, label: Float32Array.from(rows, (r) => r.churned) };
const { names, group } = featureLayout(FOOD_SPEC);
const log1p = ["recency_days", "order_frequency"].map((c) => names.indexOf(c));
const drop = referenceColumns(FOOD_SPEC);

describe("applyLog1p", () => {
  it("transforms only the named columns, keeps NaN missing, and copies", () => {
    const data = Float32Array.from([0, 3, Number.NaN, 9, Math.E - 1, 4]);
    const out = applyLog1p(data, 3, [0, 2]);
    assert.deepEqual(Array.from(out), [
      0,
      3,
      Number.NaN,
      Math.fround(Math.log(10)),
      Math.fround(Math.E - 1),
      Math.fround(Math.log(5)),
    ]);
    assert.equal(data[5], 4, "the input is left alone");
    assert.equal(applyLog1p(data, 3, []), data);
  });
  it("refuses a negative value or an unknown column, naming them", () => {
    assert.throws(() => applyLog1p(Float32Array.from([1, -2]), 2, [1]), /log1p column 1, row 0: -2 is negative/);
    assert.throws(() => applyLog1p(Float32Array.from([1, 2]), 2, [2]), /log1p column 2 is not one of 2 columns/);
  });
});

describe("the logistic baseline with log1p columns", () => {
  const { fit, valid } = innerSplit(ds, 0.25, 3);
  const model = trainLogistic(fit, valid, { dropColumns: drop, seed: 3, log1pColumns: log1p });
  it("scores raw rows through the same transform it was fitted with", () => {
    const direct = logisticMargin(model, valid.data, valid.ncol);
    const byHand = Float64Array.from({ length: valid.nrow }, (_, i) => {
      let z = model.bias;
      for (let j = 0; j < valid.ncol; j++) {
        let x = valid.data[i * valid.ncol + j];
        if (log1p.includes(j)) x = Math.fround(Math.log1p(x));
        if (model.weights[j] !== 0)
          z += model.weights[j] * Math.fround((x - model.standardizer.means[j]) / model.standardizer.sds[j]);
      }
      return z;
    });
    for (let i = 0; i < valid.nrow; i++) assert.ok(Math.abs(direct[i] - byHand[i]) < 1e-9, `row ${i}`);
  });
  it("marks the coefficients of log1p columns", () => {
    const scales = new Map(coefficients(model, names, group).map((c) => [c.feature, c.scale]));
    assert.equal(scales.get("recency_days"), "log1p");
    assert.equal(scales.get("tenure_months"), "raw");
  });
});

describe("blendCv", () => {
  const folds = { k: 5, repeats: 2, seed: 4 };
  const fair = crossValidateWith(ds, logisticRecipe(0.25, { dropColumns: drop, seed: 4, log1pColumns: log1p }), folds);
  const raw = crossValidateWith(ds, logisticRecipe(0.25, { dropColumns: drop, seed: 4 }), folds);

  it("a model blended with itself is the model: same folds, same figures as its Platt predictions", () => {
    const self = blendCv(ds.label, [fair, fair], [0.5, 0.5]);
    assert.equal(self.folds.length, 10);
    for (const [i, f] of self.folds.entries()) {
      assert.ok(Math.abs(f.metrics.brier - fair.folds[i].metrics.platt.brier) < 1e-12, `fold ${i}`);
      assert.ok(Math.abs(f.metrics.rocAuc - fair.folds[i].metrics.platt.rocAuc) < 1e-12, `fold ${i}`);
    }
    for (let i = 0; i < ds.nrow; i++) assert.ok(Math.abs(self.oof[i] - fair.oof.platt[i]) < 1e-12);
  });
  it("blends calibrated log-odds with fixed weights", () => {
    const blend = blendCv(ds.label, [fair, raw], [0.5, 0.5]);
    const i = 17;
    const expected = 1 / (1 + Math.exp(-(0.5 * fair.plattLogit[0][i] + 0.5 * raw.plattLogit[0][i])));
    assert.ok(Math.abs(blend.oof[i] - expected) < 1e-12);
    assert.deepEqual(Array.from(blendLogits([[0], [2]], [0.5, 0.5])), [1 / (1 + Math.exp(-1))]);
  });
  it("refuses models cross-validated on different folds", () => {
    const other = crossValidateWith(ds, logisticRecipe(0.25, { dropColumns: drop, seed: 4 }), { ...folds, seed: 5 });
    assert.throws(() => blendCv(ds.label, [fair, other], [0.5, 0.5]), /same rows and folds/);
    assert.throws(() => blendCv(ds.label, [fair], [1]), /needs ≥ 2 models/);
  });
});
