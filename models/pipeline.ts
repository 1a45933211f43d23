/**
 * buildModel: one call per data set from encoded rows to every model artifact, in memory.
 *  1. 80/20 stratified development/test split (seeded); the test rows are scored once, at the end.
 *  2. Hyper-parameters: a small grid ranked by CV on the development rows (out-of-fold log loss).
 *  3. Calibration: Platt vs isotonic compared out-of-fold on the development rows.
 *  4. Final model: cross-fitted on the development rows (inner 5-fold early stopping + out-of-fold Platt), refit.
 *  5. Honest figures: repeated stratified 5-fold CV of that whole recipe, the test split, and a logistic baseline.
 *  6. Exports: XGBoost's model.json, ONNX, trees.json, per-row probabilities and probability-term SHAP.
 */
import { encodeRows, featureLayout, referenceColumns, specFor, type RawRow } from "../src/lib/features.js";
import type { TreesJson } from "../src/lib/treeshap.js";
import { calibrateAll, fitPlatt, sigmoid, type Platt } from "./calibrate.js";
import {
  crossFitBooster,
  crossFitRecipe,
  crossValidateWith,
  cvReport,
  holdoutRecipe,
  innerSplit,
  logisticRecipe,
  type CrossFitRecipe,
  type CvResult,
} from "./crossval.js";
import { stratifiedSplit } from "./cv.js";
import { coefficients, logisticMargin, trainLogistic, type Coefficient } from "./logistic.js";
import {
  bestF1Threshold,
  confusion,
  prCurve,
  reliabilityBins,
  rocCurve,
  summarize,
  type ScoreSummary,
} from "./metrics.js";
import { exportOnnx } from "./onnx.js";
import { RECIPES } from "./recipes.js";
import { beeswarmSample, globalImportance, groupedShap, marginShap, type BeeswarmPoint } from "./shap.js";
import { predictMargin, subset, type Dataset, type TreeParams } from "./train.js";
import { parseXgboostJson, treesJson } from "./trees.js";
import { xgboostVersion } from "./xgboost.js";

export type DatasetName = "telco" | "food";

export interface BuildOptions {
  seed?: number;
  /** Repeats of the final recipe's 5-fold CV (3 by default; 1 for quick runs). */
  cvRepeats?: number;
  /** Candidates for the CV grid; defaults to RECIPES[name].grid. One candidate skips tuning. */
  grid?: TreeParams[];
  /** Generator coefficients by encoded feature name, to check the logistic baseline's directions (food). */
  truth?: Record<string, number>;
  /** Progress messages (the pipeline sends them to stderr). */
  log?: (message: string) => void;
}

export interface ModelArtifacts {
  dataset: DatasetName;
  /** The booster exactly as XGBoost saved it. */
  modelJson: Uint8Array;
  onnx: Uint8Array;
  trees: TreesJson;
  metrics: ModelMetrics;
  /** Row order = input order. */
  ids: string[];
  /** Calibrated churn probability from the final model. */
  probability: Float64Array;
  /** Calibrated out-of-fold probability from the first CV repeat (each row scored by a model that never saw it). */
  oofProbability: Float64Array;
  /** The same rows through the booster without recalibration (σ(margin); class-weighted where the recipe is). */
  oofUncalibrated: Float64Array;
  /** The logistic baseline, out-of-fold likewise. */
  oofLogistic: Float64Array;
  /** "dev" (used to fit) or "test" (held out). */
  split: ("dev" | "test")[];
  /** Probability-term SHAP per source feature: values[i * groups.length + j]; rows sum to probability − base. */
  shap: { groups: string[]; values: Float64Array; base: number };
  logistic: { coefficients: Coefficient[]; intercept: number };
}

type CvSummary = ReturnType<typeof cvReport>;

export interface ModelMetrics {
  dataset: DatasetName;
  xgboostVersion: string;
  seed: number;
  rows: number;
  positives: number;
  split: { dev: number; test: number };
  features: { names: string[]; groups: string[] };
  tuning: {
    criterion: string;
    candidates: {
      params: TreeParams;
      cv: CvResult["perFold"]["platt"];
      uncalibrated: CvResult["perFold"]["uncalibrated"];
      seconds: number;
    }[];
    chosen: number;
  };
  model: { params: TreeParams; rounds: number; innerRounds: number[]; trees: number };
  calibration: {
    chosen: "platt";
    platt: { a: number; b: number };
    comparison: Record<"uncalibrated" | "platt" | "isotonic", { brier: number; ece: number; logLoss: number }>;
    reason: string;
  };
  cv: { xgboost: CvSummary; logistic: CvSummary };
  test: {
    calibrated: ScoreSummary;
    uncalibrated: ScoreSummary;
    logistic: ScoreSummary;
    threshold: { value: number; rule: string };
    confusion: ReturnType<typeof confusion>;
    confusionAtHalf: ReturnType<typeof confusion>;
    reliability: ReturnType<typeof reliabilityBins>;
    reliabilityUncalibrated: ReturnType<typeof reliabilityBins>;
    roc: ReturnType<typeof rocCurve>;
    pr: ReturnType<typeof prCurve>;
    rocLogistic: ReturnType<typeof rocCurve>;
  };
  shap: { maxAdditivityError: number; importance: ReturnType<typeof globalImportance>; beeswarm: BeeswarmPoint[] };
  logistic: {
    coefficients: Coefficient[];
    intercept: number;
    truthComparison?: { feature: string; truth: number; estimatePerSd: number; agrees: boolean }[];
  };
  timings: Record<string, number>;
}

const pick = (s: ScoreSummary) => ({ brier: s.brier, ece: s.ece, logLoss: s.logLoss });

/** Trains, evaluates and exports the churn model of one data set. Deterministic for a given seed. */
export async function buildModel(
  name: DatasetName,
  records: readonly object[],
  options: BuildOptions = {},
): Promise<ModelArtifacts> {
  // Any record type (TelcoRecord, FoodRecord, Arrow rows) whose fields the spec names; the encoder validates values.
  const rows = records as readonly RawRow[];
  const { seed = 42, cvRepeats = 3, truth, log = () => {} } = options;
  const recipe = RECIPES[name];
  const grid = options.grid ?? recipe.grid;
  const spec = specFor(name);
  const layout = featureLayout(spec);
  const timings: Record<string, number> = {};
  const time = <T>(key: string, f: () => T): T => {
    const start = performance.now();
    const result = f();
    timings[key] = Number(((performance.now() - start) / 1000).toFixed(2));
    log(`${name}: ${key} took ${timings[key]} s`);
    return result;
  };

  const encoded = encodeRows(spec, rows);
  const label = Float32Array.from(rows, (row, i) => {
    const y = Number(row[spec.target]);
    if (y !== 0 && y !== 1) throw new Error(`invalid ${spec.target} at row ${i}: ${JSON.stringify(row[spec.target])}`);
    return y;
  });
  const ds: Dataset = { ...encoded, label };
  const split = stratifiedSplit(label, { seed, valid: 0, test: 0.2 });
  const dev = subset(ds, split.train);
  const test = subset(ds, split.test);
  log(`${name}: ${ds.nrow} rows × ${ds.ncol} features; dev ${dev.nrow}, test ${test.nrow}`);

  // 2–3. Tuning and the calibration comparison, on development rows only (cheap holdout recipe per fold).
  const tuneSeed = seed + 1;
  const candidates = time("tuning", () =>
    grid.map((params) => {
      const cv = crossValidateWith(dev, holdoutRecipe({ ...recipe.base, params }), {
        k: 5,
        repeats: 1,
        seed: tuneSeed,
      });
      log(`${name}: candidate ${JSON.stringify(params)} → log loss ${cv.perFold.platt.logLoss.mean.toFixed(4)}`);
      return { params, cv };
    }),
  );
  const chosen = candidates.reduce(
    (best, c, i) => (c.cv.perFold.platt.logLoss.mean < candidates[best].cv.perFold.platt.logLoss.mean ? i : best),
    0,
  );
  const params = grid[chosen];
  const final: CrossFitRecipe = { ...recipe.base, params };
  const comparison = {
    uncalibrated: pick(candidates[chosen].cv.pooled.uncalibrated.perRepeat[0]),
    platt: pick(candidates[chosen].cv.pooled.platt.perRepeat[0]),
    isotonic: pick(candidates[chosen].cv.pooled.isotonic.perRepeat[0]),
  };

  // 4. The final model on the development rows.
  const fitted = time("final model", () => crossFitBooster(dev, final, seed));
  const { booster } = fitted;
  const platt: Platt = fitPlatt(fitted.calibration.margin, fitted.calibration.label);
  const modelJson = booster.saveJson();
  const parsed = parseXgboostJson(modelJson);
  const trees = treesJson(name, parsed, platt, layout.names, layout.group);
  const onnx = exportOnnx(parsed, platt, { name: `retention-lab-${name}`, featureNames: layout.names });

  // 5. Honest figures: CV of the whole recipe (all rows), then the test split once.
  const cvXgb = time("cv xgboost", () =>
    crossValidateWith(ds, crossFitRecipe(final), { k: 5, repeats: cvRepeats, seed }),
  );
  const drop = referenceColumns(spec);
  const cvLogistic = time("cv logistic", () =>
    crossValidateWith(ds, logisticRecipe(recipe.base.innerValid, { dropColumns: drop, seed }), {
      k: 5,
      repeats: cvRepeats,
      seed,
    }),
  );
  const testMargin = predictMargin(booster, test);
  const testCalibrated = calibrateAll(platt, testMargin);
  const testUncalibrated = Float64Array.from(testMargin, sigmoid);
  // Logistic baseline: fit on the same development rows (its own inner split for early stopping + Platt).
  const { fit, valid } = innerSplit(dev, recipe.base.innerValid, seed);
  const logisticModel = time("logistic", () => trainLogistic(fit, valid, { dropColumns: drop, seed }));
  const logisticPlatt = fitPlatt(logisticMargin(logisticModel, valid.data, valid.ncol), valid.label);
  const testLogistic = calibrateAll(logisticPlatt, logisticMargin(logisticModel, test.data, test.ncol));
  // The confusion matrix threshold comes from development rows' out-of-fold predictions, not from the test rows.
  const threshold = bestF1Threshold(fitted.calibration.label, calibrateAll(platt, fitted.calibration.margin));

  // 6. Per-row scores and SHAP for every customer.
  const shap = time("shap", () => marginShap(booster, ds));
  const probability = calibrateAll(platt, shap.margin);
  const grouped = groupedShap(shap, platt, layout.groupIndex, layout.groups);
  const derivedIndex = new Map(spec.derived.map((d) => [d.name, layout.names.indexOf(d.name)]));
  const featureValue = (row: number, feature: string) => {
    const j = derivedIndex.get(feature);
    if (j !== undefined) {
      const v = ds.data[row * ds.ncol + j];
      return Number.isNaN(v) ? null : Number(v.toFixed(4));
    }
    const raw = rows[row][feature];
    return raw === undefined || raw === null || raw === "" ? null : typeof raw === "boolean" ? String(raw) : raw;
  };
  const coefs = coefficients(logisticModel, layout.names, layout.group).filter(
    (c) => !drop.includes(layout.names.indexOf(c.feature)),
  );
  const truthComparison = truth
    ? Object.entries(truth).map(([feature, beta]) => {
        const c = coefs.find((x) => x.feature === feature);
        const estimatePerSd = c?.perSd ?? 0;
        return { feature, truth: beta, estimatePerSd, agrees: Math.sign(estimatePerSd) === Math.sign(beta) };
      })
    : undefined;

  const [major, minor, patch] = xgboostVersion();
  const metrics: ModelMetrics = {
    dataset: name,
    xgboostVersion: `${major}.${minor}.${patch}`,
    seed,
    rows: ds.nrow,
    positives: label.reduce((a, b) => a + b, 0),
    split: { dev: dev.nrow, test: test.nrow },
    features: { names: layout.names, groups: layout.group },
    tuning: {
      criterion: "mean out-of-fold log loss of Platt-calibrated predictions, 5-fold CV on development rows",
      candidates: candidates.map((c) => ({
        params: c.params,
        cv: c.cv.perFold.platt,
        uncalibrated: c.cv.perFold.uncalibrated,
        seconds: Number(c.cv.seconds.toFixed(2)),
      })),
      chosen,
    },
    model: { params, rounds: fitted.rounds, innerRounds: fitted.innerRounds, trees: parsed.trees.length },
    calibration: {
      chosen: "platt",
      platt: { a: platt.a, b: platt.b },
      comparison,
      reason: calibrationReason(comparison),
    },
    cv: { xgboost: cvReport(cvXgb), logistic: cvReport(cvLogistic) },
    test: {
      calibrated: summarize(test.label, testCalibrated),
      uncalibrated: summarize(test.label, testUncalibrated),
      logistic: summarize(test.label, testLogistic),
      threshold: { value: threshold, rule: "maximises F1 on development rows' out-of-fold calibrated predictions" },
      confusion: confusion(test.label, testCalibrated, threshold),
      confusionAtHalf: confusion(test.label, testCalibrated, 0.5),
      reliability: reliabilityBins(test.label, testCalibrated),
      reliabilityUncalibrated: reliabilityBins(test.label, testUncalibrated),
      roc: rocCurve(test.label, testCalibrated),
      pr: prCurve(test.label, testCalibrated),
      rocLogistic: rocCurve(test.label, testLogistic),
    },
    shap: {
      maxAdditivityError: shap.maxAdditivityError,
      importance: globalImportance(grouped),
      beeswarm: beeswarmSample(grouped, featureValue, { seed }),
    },
    logistic: { coefficients: coefs, intercept: logisticModel.bias, truthComparison },
    timings,
  };
  booster.dispose();

  const testSet = new Set(split.test);
  return {
    dataset: name,
    modelJson,
    onnx,
    trees,
    metrics,
    ids: rows.map((row) => String(row[spec.id])),
    probability,
    oofProbability: cvXgb.oof.platt,
    oofUncalibrated: cvXgb.oof.uncalibrated,
    oofLogistic: cvLogistic.oof.platt,
    split: rows.map((_, i) => (testSet.has(i) ? "test" : "dev")),
    shap: { groups: grouped.groups, values: grouped.values, base: grouped.base[0] ?? sigmoid(platt.b) },
    logistic: { coefficients: coefs, intercept: logisticModel.bias },
  };
}

/** Why Platt, in numbers (it is also the only one of the two that ONNX can carry exactly). */
function calibrationReason(c: ModelMetrics["calibration"]["comparison"]): string {
  const f = (x: number) => x.toFixed(4);
  const better = c.platt.brier <= c.isotonic.brier ? "at least as good as" : "slightly worse than";
  return (
    `Out-of-fold on development rows, Platt: Brier ${f(c.platt.brier)}, ECE ${f(c.platt.ece)}; ` +
    `isotonic: Brier ${f(c.isotonic.brier)}, ECE ${f(c.isotonic.ece)}. Platt is ${better} isotonic here, ` +
    `has two parameters (no overfitting of the 10-bin reliability curve), keeps the ranking strictly intact, ` +
    `and exports exactly to ONNX as Mul/Add/Sigmoid, so the browser's probabilities equal the pipeline's.`
  );
}
