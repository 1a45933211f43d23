import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Booster, DMatrix, XGBoostError, parseEval, xgboostVersion } from "../../models/xgboost.js";

// A small separable problem: y = 1 when x0 + 0.5·x1 > 0.8.
const n = 400;
const ncol = 3;
const data = new Float32Array(n * ncol);
const label = new Float32Array(n);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < ncol; j++) data[i * ncol + j] = ((i * 7919 + j * 104729) % 1000) / 1000;
  label[i] = data[i * ncol] + 0.5 * data[i * ncol + 1] > 0.8 ? 1 : 0;
}

describe("xgboost binding", () => {
  it("loads libxgboost 1.7 (OMP_WAIT_POLICY set before it loads)", () => {
    assert.deepEqual(xgboostVersion().slice(0, 2), [1, 7]);
    assert.equal(process.env.OMP_WAIT_POLICY, "PASSIVE");
  });
  it("DMatrix reports its shape; Booster trains, evaluates and predicts with masks 0, 1 and 4", () => {
    const d = new DMatrix(data, n, ncol, { label });
    assert.deepEqual([d.numRow(), d.numCol()], [n, ncol]);
    const b = new Booster([d], { objective: "binary:logistic", max_depth: 2, eval_metric: "logloss", nthread: 1 });
    for (let i = 0; i < 5; i++) b.updateOneIter(i, d);
    assert.ok(parseEval(b.evalOneIter(4, { train: d }))["train-logloss"] < 0.5);
    const p = b.predict(d, 0);
    const m = b.predict(d, 1);
    const c = b.predict(d, 4);
    assert.equal(p.length, n);
    assert.equal(c.length, n * (ncol + 1));
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(p[i] - 1 / (1 + Math.exp(-m[i]))) < 1e-6);
      let sum = 0;
      for (let j = 0; j <= ncol; j++) sum += c[i * (ncol + 1) + j];
      assert.ok(Math.abs(sum - m[i]) < 1e-4);
    }
    const reloaded = Booster.load(b.saveJson());
    assert.deepEqual(reloaded.predict(d, 1), m);
    assert.equal(reloaded.boostedRounds(), 5);
    assert.equal(b.slice(0, 2).boostedRounds(), 2);
    for (const x of [b, reloaded, d]) x.dispose();
    assert.throws(() => d.numRow(), /after dispose/);
  });
  it("a bad parameter surfaces XGBoost's own error text (max_depth = -1)", () => {
    const d = new DMatrix(data, n, ncol, { label });
    const b = new Booster([d], { objective: "binary:logistic", max_depth: -1 });
    assert.throws(
      () => b.updateOneIter(0, d),
      (e: unknown) => e instanceof XGBoostError && /max_depth should be greater equal to 0/.test(e.message),
    );
  });
  it("an unknown objective surfaces XGBoost's own error text", () => {
    const d = new DMatrix(data, n, ncol, { label });
    const b = new Booster([d], { objective: "binary:nonsense" });
    assert.throws(() => b.updateOneIter(0, d), /Unknown objective function: `binary:nonsense`/);
  });
  it("labels whose length differs from the row count surface XGBoost's error", () => {
    assert.throws(
      () => new DMatrix(data, n, ncol, { label: new Float32Array(5) }),
      /XGDMatrixSetFloatInfo\(label\) failed: .*Incorrect size for labels/s,
    );
  });
  it("data whose length is not nrow × ncol is rejected before reaching the library", () => {
    assert.throws(() => new DMatrix(data.subarray(1), n, ncol), /does not equal nrow × ncol/);
  });
});
