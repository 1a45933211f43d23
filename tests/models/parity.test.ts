// The browser's two model copies (ONNX, trees.json + TS TreeSHAP) against XGBoost itself, on every Telco customer.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as ort from "onnxruntime-web";
import { TELCO_SPEC, encodeRows, featureLayout } from "../../src/lib/features.js";
import { probabilityShap } from "../../src/lib/shap-display.js";
import { predictMargin as tsMargin, prepareTrees, treeShap } from "../../src/lib/treeshap.js";
import { fitPlatt, sigmoid, type Platt } from "../../models/calibrate.js";
import { stratifiedSplit } from "../../models/cv.js";
import { exportOnnx } from "../../models/onnx.js";
import { marginShap } from "../../models/shap.js";
import { predictMargin, subset, trainBooster, type Dataset, type TreeParams } from "../../models/train.js";
import { parseXgboostJson, treesJson } from "../../models/trees.js";
import { DMatrix, type Booster } from "../../models/xgboost.js";
import { telcoRows } from "./telco-data.js";

ort.env.wasm.numThreads = 1;

// Deeper trees than the published model on purpose: parity must hold for any depth, with missing values.
const PARAMS: TreeParams = {
  eta: 0.1,
  max_depth: 4,
  min_child_weight: 2,
  subsample: 0.8,
  colsample_bytree: 0.8,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  scale_pos_weight: 1,
  tree_method: "hist",
};

const rows = await telcoRows();
const { names, group } = featureLayout(TELCO_SPEC);
const encoded = encodeRows(TELCO_SPEC, rows);
const ds: Dataset = { ...encoded, label: Float32Array.from(rows, (r) => r.churn) };
const split = stratifiedSplit(ds.label, { seed: 42 });

function train(seed: number) {
  const valid = subset(ds, split.valid);
  const result = trainBooster(subset(ds, split.train), valid, PARAMS, { maxRounds: 80, earlyStoppingRounds: 20, seed });
  const platt = fitPlatt(predictMargin(result.booster, valid), valid.label);
  return { ...result, platt };
}

/** Every customer, plus an all-NaN row and one row per split with the feature exactly at its threshold. */
function evaluationRows(booster: Booster): Dataset {
  const parsed = parseXgboostJson(booster.saveJson());
  const extra: number[][] = [new Array(ds.ncol).fill(NaN)];
  parsed.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.left.length; i++) {
      if (tree.left[i] < 0) continue;
      const x = Array.from(ds.data.subarray(((t + i) % ds.nrow) * ds.ncol, (((t + i) % ds.nrow) + 1) * ds.ncol));
      x[tree.feature[i]] = tree.threshold[i];
      extra.push(x);
    }
  });
  const data = new Float32Array((ds.nrow + extra.length) * ds.ncol);
  data.set(ds.data);
  extra.forEach((x, k) => {
    data.set(x, (ds.nrow + k) * ds.ncol);
  });
  return { data, nrow: ds.nrow + extra.length, ncol: ds.ncol, label: new Float32Array(ds.nrow + extra.length) };
}

describe("parity with XGBoost on Telco", () => {
  let model: ReturnType<typeof train>;
  let all: Dataset;
  let margin: Float32Array;
  let platt: Platt;
  before(() => {
    model = train(7);
    platt = model.platt;
    all = evaluationRows(model.booster);
    margin = predictMargin(model.booster, all);
  });

  it("ONNX (TreeEnsembleRegressor → Mul → Add → Sigmoid) matches XGBoost's margin through the same Platt within 1e-6", async () => {
    const onnx = exportOnnx(parseXgboostJson(model.booster.saveJson()), platt);
    const session = await ort.InferenceSession.create(onnx);
    const out = await session.run({ features: new ort.Tensor("float32", all.data, [all.nrow, all.ncol]) });
    const prob = out.probability.data as Float32Array;
    assert.deepEqual(out.probability.dims, [all.nrow, 1]);
    let max = 0;
    for (let i = 0; i < all.nrow; i++) max = Math.max(max, Math.abs(prob[i] - sigmoid(platt.a * margin[i] + platt.b)));
    console.log(
      `ONNX parity on ${all.nrow} rows (${all.nrow - ds.nrow} edge rows): max |Δprob| = ${max.toExponential(2)}`,
    );
    assert.ok(max <= 1e-6, `max |Δprob| = ${max}`);
  });

  it("TS TreeSHAP matches pred_contribs within 1e-5 and its predictMargin matches the margin", () => {
    const trees = prepareTrees(treesJson("telco", parseXgboostJson(model.booster.saveJson()), platt, names, group));
    const d = new DMatrix(all.data, all.nrow, all.ncol);
    const contribs = model.booster.predict(d, 4);
    d.dispose();
    const width = all.ncol + 1;
    const phi = new Float64Array(width);
    let maxShap = 0;
    let maxMargin = 0;
    const start = performance.now();
    for (let i = 0; i < all.nrow; i++) {
      treeShap(trees, all.data, i * all.ncol, phi);
      for (let j = 0; j < width; j++) maxShap = Math.max(maxShap, Math.abs(phi[j] - contribs[i * width + j]));
      maxMargin = Math.max(maxMargin, Math.abs(tsMargin(trees, all.data, i * all.ncol) - margin[i]));
    }
    const msPerRow = (performance.now() - start) / all.nrow;
    console.log(
      `TreeSHAP parity: max |Δφ| = ${maxShap.toExponential(2)}, max |Δmargin| = ${maxMargin.toExponential(2)}, ${msPerRow.toFixed(3)} ms/row`,
    );
    assert.ok(maxShap <= 1e-5, `max |Δφ| = ${maxShap}`);
    assert.ok(maxMargin <= 1e-5, `max |Δmargin| = ${maxMargin}`);
  });

  it("pred_contribs rows sum to the margin (option_mask 1) within 1e-4", () => {
    const shap = marginShap(model.booster, all);
    console.log(`SHAP additivity: max |Σφ − margin| = ${shap.maxAdditivityError.toExponential(2)}`);
    assert.ok(shap.maxAdditivityError <= 1e-4);
  });

  it("probability-term SHAP sums to the calibrated probability minus the base probability for every row", () => {
    const shap = marginShap(model.booster, ds);
    let max = 0;
    for (let i = 0; i < ds.nrow; i++) {
      const s = probabilityShap(shap.contributions, platt, ds.ncol, i * (ds.ncol + 1));
      const sum = s.values.reduce((a, b) => a + b, 0);
      max = Math.max(max, Math.abs(sum - (s.probability - s.base)));
      assert.ok(Math.abs(s.probability - sigmoid(platt.a * shap.margin[i] + platt.b)) < 1e-5);
    }
    assert.ok(max < 1e-12, `max error ${max}`);
  });

  it("the same seed gives byte-identical model.json and ONNX; another seed does not", () => {
    const again = train(7);
    const other = train(8);
    const bytes = (m: ReturnType<typeof train>) => {
      const json = m.booster.saveJson();
      return { json, onnx: exportOnnx(parseXgboostJson(json), m.platt) };
    };
    const a = bytes(model);
    const b = bytes(again);
    assert.ok(Buffer.from(a.json).equals(Buffer.from(b.json)), "model.json differs");
    assert.ok(Buffer.from(a.onnx).equals(Buffer.from(b.onnx)), "ONNX differs");
    assert.ok(!Buffer.from(a.json).equals(Buffer.from(bytes(other).json)), "seed had no effect");
  });
});
