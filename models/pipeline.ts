/**
 * buildModel: one call per data set from encoded rows to every model artifact, in memory, in stages with one job each:
 *  prepare  – encode; 80/20 stratified development/test split (seeded)
 *  tune     – a small grid ranked by CV on the development rows (out-of-fold log loss); Platt vs isotonic compared
 *  fit      – the final model cross-fitted on the development rows (inner early stopping + out-of-fold Platt), refit
 *  export   – XGBoost's model.json, trees.json for TreeSHAP in the browser, ONNX
 *  evaluate – repeated stratified 5-fold CV of the whole recipe, of the logistic baselines (fair: log1p where the
 *             recipe says; raw: as the columns come) and of a fixed 50/50 blend; the test split, once
 *  explain  – per-customer probabilities and probability-term SHAP
 */
import {
  encodeRows,
  featureLayout,
  referenceColumns,
  specFor,
  type FeatureLayout,
  type RawRow,
} from "../src/lib/features.js";
import type { TreesJson } from "../src/lib/treeshap.js";
import { calibrateAll, fitPlatt, sigmoid, type Platt } from "./calibrate.js";
import {
  blendCv,
  blendLogits,
  crossFitBooster,
  crossFitRecipe,
  crossValidateWith,
  cvReport,
  holdoutRecipe,
  innerSplit,
  logisticRecipe,
  type CrossFitRecipe,
  type CvResult,
} from "./cross-validation.js";
import { stratifiedSplit } from "./splits.js";
import { coefficients, logisticMargin, trainLogistic, type Coefficient, type LogisticOptions } from "./logistic.js";
import {
  bestF1Threshold,
  confusion,
  prCurve,
  reliabilityBins,
  rocCurve,
  summarize,
  type ScoreSummary,
} from "./metrics.js";
import { keptOf, type FoldModels } from "./fold-scorer.js";
import { exportOnnx } from "./onnx.js";
import { BLEND_WEIGHTS, RECIPES } from "./recipes.js";
import { beeswarmSample, globalImportance, groupedShap, marginShap, type BeeswarmPoint } from "./shap.js";
import { predictMargin, subset, type Dataset, type TreeParams } from "./train.js";
import { parseXgboostJson, treesJson } from "./trees.js";
import { xgboostVersion, type Booster } from "./xgboost.js";

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
  /**
   * Keep the first CV repeat's fold models (tree recipe and fair logistic baseline), to score customers outside a
   * model-selection sample with models that never saw them (models/fold-scorer.ts).
   */
  keepFoldModels?: boolean;
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
  /** The (fair) logistic baseline, out-of-fold likewise. */
  oofLogistic: Float64Array;
  /** "dev" (used to fit) or "test" (held out). */
  split: ("dev" | "test")[];
  /** Probability-term SHAP per source feature: values[i * groups.length + j]; rows sum to probability − base. */
  shap: { groups: string[]; values: Float64Array; base: number };
  logistic: { coefficients: Coefficient[]; intercept: number };
  /** With `keepFoldModels`: the first CV repeat's fold models. */
  folds?: FoldModels;
}

type CvSummary = ReturnType<typeof cvReport>;
type BlendSummary = Omit<ReturnType<typeof blendCv>, "oof">;

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
  /**
   * `logistic` is the fair baseline (log1p of `logistic.log1p`), `logisticRaw` the same model on the raw columns,
   * `blend` σ(½·logit XGBoost + ½·logit logistic) of the two calibrated models, on the same folds.
   */
  cv: { xgboost: CvSummary; logistic: CvSummary; logisticRaw: CvSummary; blend: BlendSummary };
  test: {
    calibrated: ScoreSummary;
    uncalibrated: ScoreSummary;
    logistic: ScoreSummary;
    logisticRaw: ScoreSummary;
    blend: ScoreSummary;
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
    /** Encoded columns the baseline takes as log1p(x) (models/recipes.ts). */
    log1p: string[];
    coefficients: Coefficient[];
    intercept: number;
    truthComparison?: { feature: string; truth: number; estimatePerSd: number; agrees: boolean }[];
  };
  timings: Record<string, number>;
  /**
   * Only when the base is larger than the model-selection sample (data-loaders/food/stage.ts): `rows`, `positives`,
   * `split`, `tuning`, `model`, `calibration`, `cv`, `test`, `shap` and `logistic` then describe the sample, and this
   * says so and adds the final model's figures on the whole base.
   */
  scale?: ScaleReport;
}

/** What a model trained on a sample of a larger base reports about the base (docs/scale.md). */
export interface ScaleReport {
  /** customers in the base, and the churners among them */
  base: { rows: number; positives: number };
  /** the model-selection sample: size, how it was drawn, and the ROC AUC's standard error at its size */
  sample: {
    rows: number;
    method: string;
    aucStandardError: { cv: number; test: number; rule: string };
  };
  /** which rows each figure of this file comes from */
  figures: Record<string, string>;
  /** the final model and the fold models scored on the whole base, streamed (models/binned-summary.ts) */
  baseMetrics: {
    method: string;
    /** the final model on every customer it never saw (the sample's test split and everyone outside the sample) */
    heldOut: { rows: number; calibrated: ScoreSummary; aucStandardError: number };
    /** the final model on everyone (its development rows included, so optimistic there) */
    all: { rows: number; calibrated: ScoreSummary };
    /** the first CV repeat's fold models on the customers outside the sample (their oof_* columns) */
    outsideSample: { rows: number; calibrated: ScoreSummary; uncalibrated: ScoreSummary; logistic: ScoreSummary };
  };
}

const pick = (s: ScoreSummary) => ({ brier: s.brier, ece: s.ece, logLoss: s.logLoss });

/** A stage's clock: runs `f`, logs and records its wall time under `key` (logged, never published). */
function stopwatch(name: string, log: (m: string) => void) {
  const timings: Record<string, number> = {};
  const time = <T>(key: string, f: () => T): T => {
    const start = performance.now();
    const result = f();
    timings[key] = Number(((performance.now() - start) / 1000).toFixed(2));
    log(`${name}: ${key} took ${timings[key]} s`);
    return result;
  };
  return { timings, time };
}

type Time = ReturnType<typeof stopwatch>["time"];

/** The encoded rows and labels, and the seeded 80/20 stratified development/test split (scripts/tune.ts uses it too). */
export function prepare(name: DatasetName, rows: readonly RawRow[], seed: number, log: (m: string) => void = () => {}) {
  const spec = specFor(name);
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
  return { spec, layout: featureLayout(spec), ds, label, split, dev, test };
}

/**
 * Tune: the grid ranked by CV on development rows only (cheap holdout recipe per fold, out-of-fold log loss), and
 * the calibration comparison of the chosen candidate.
 */
function tune(name: DatasetName, dev: Dataset, grid: TreeParams[], seed: number, time: Time, log: (m: string) => void) {
  const recipe = RECIPES[name];
  const candidates = time("tuning", () =>
    grid.map((params) => {
      const cv = crossValidateWith(dev, holdoutRecipe({ ...recipe.base, params }), {
        k: 5,
        repeats: 1,
        seed: seed + 1,
      });
      log(`${name}: candidate ${JSON.stringify(params)} → log loss ${cv.perFold.platt.logLoss.mean.toFixed(4)}`);
      return { params, cv };
    }),
  );
  const chosen = candidates.reduce(
    (best, c, i) => (c.cv.perFold.platt.logLoss.mean < candidates[best].cv.perFold.platt.logLoss.mean ? i : best),
    0,
  );
  const pooled = candidates[chosen].cv.pooled;
  const comparison = {
    uncalibrated: pick(pooled.uncalibrated.perRepeat[0]),
    platt: pick(pooled.platt.perRepeat[0]),
    isotonic: pick(pooled.isotonic.perRepeat[0]),
  };
  const final: CrossFitRecipe = { ...recipe.base, params: grid[chosen] };
  return { candidates, chosen, final, comparison };
}

/** Fit: the final model cross-fitted on the development rows (inner early stopping + out-of-fold Platt), refit. */
function fit(dev: Dataset, final: CrossFitRecipe, seed: number, time: Time) {
  const fitted = time("final model", () => crossFitBooster(dev, final, seed));
  const platt: Platt = fitPlatt(fitted.calibration.margin, fitted.calibration.label);
  return { fitted, booster: fitted.booster, platt };
}

/** Export: XGBoost's own JSON, the compact trees for TreeSHAP in the browser, and the ONNX model. */
function exportModel(name: DatasetName, booster: Booster, platt: Platt, layout: FeatureLayout) {
  const modelJson = booster.saveJson();
  const parsed = parseXgboostJson(modelJson);
  return {
    modelJson,
    parsed,
    trees: treesJson(name, parsed, platt, layout.names, layout.group),
    onnx: exportOnnx(parsed, platt, { name: `retention-lab-${name}`, featureNames: layout.names }),
  };
}

/**
 * Evaluate: repeated CV of the whole recipe and of the logistic baseline (all rows), the logistic baseline fitted on
 * the development rows, and the test split scored once.
 */
function evaluate(
  name: DatasetName,
  p: ReturnType<typeof prepare>,
  f: ReturnType<typeof fit>,
  final: CrossFitRecipe,
  {
    seed,
    cvRepeats,
    truth,
    keepFolds,
  }: { seed: number; cvRepeats: number; truth?: Record<string, number>; keepFolds: boolean },
  time: Time,
) {
  const { ds, dev, test, spec, layout } = p;
  const innerValid = RECIPES[name].base.innerValid;
  const cvXgb = time("cv xgboost", () =>
    crossValidateWith(ds, crossFitRecipe(final), { k: 5, repeats: cvRepeats, seed, keepFolds }),
  );
  const drop = referenceColumns(spec);
  const log1p = RECIPES[name].logisticLog1p;
  const fair = { dropColumns: drop, seed, log1pColumns: log1p.map((c) => columnIndex(layout.names, c, name)) };
  const raw = { dropColumns: drop, seed };
  const folds = { k: 5, repeats: cvRepeats, seed };
  const cvLogistic = time("cv logistic", () =>
    crossValidateWith(ds, logisticRecipe(innerValid, fair), { ...folds, keepFolds }),
  );
  const cvLogisticRaw = time("cv logistic raw", () => crossValidateWith(ds, logisticRecipe(innerValid, raw), folds));
  const cvBlend = blendCv(ds.label, [cvXgb, cvLogistic], BLEND_WEIGHTS);
  const testMargin = predictMargin(f.booster, test);
  const testCalibrated = calibrateAll(f.platt, testMargin);
  const testUncalibrated = Float64Array.from(testMargin, sigmoid);
  // Logistic baselines: fit on the same development rows (their own inner split for early stopping + Platt).
  const { fit: fitRows, valid } = innerSplit(dev, innerValid, seed);
  const fitLogistic = (options: LogisticOptions) => {
    const model = trainLogistic(fitRows, valid, options);
    const platt = fitPlatt(logisticMargin(model, valid.data, valid.ncol), valid.label);
    const testLogit = Float64Array.from(logisticMargin(model, test.data, test.ncol), (m) => platt.a * m + platt.b);
    return { model, testLogit, test: Float64Array.from(testLogit, sigmoid) };
  };
  const logistic = time("logistic", () => fitLogistic(fair));
  const logisticRaw = fitLogistic(raw);
  const logisticModel = logistic.model;
  const testLogistic = logistic.test;
  const testBlend = blendLogits(
    [Float64Array.from(testMargin, (m) => f.platt.a * m + f.platt.b), logistic.testLogit],
    BLEND_WEIGHTS,
  );
  // The confusion matrix threshold comes from development rows' out-of-fold predictions, not from the test rows.
  const calibration = f.fitted.calibration;
  const threshold = bestF1Threshold(calibration.label, calibrateAll(f.platt, calibration.margin));
  const coefs = coefficients(logisticModel, layout.names, layout.group).filter(
    (c) => !drop.includes(layout.names.indexOf(c.feature)),
  );
  const truthComparison = truth
    ? Object.entries(truth).map(([feature, beta]) => {
        const estimatePerSd = coefs.find((x) => x.feature === feature)?.perSd ?? 0;
        return { feature, truth: beta, estimatePerSd, agrees: Math.sign(estimatePerSd) === Math.sign(beta) };
      })
    : undefined;
  const testMetrics: ModelMetrics["test"] = {
    calibrated: summarize(test.label, testCalibrated),
    uncalibrated: summarize(test.label, testUncalibrated),
    logistic: summarize(test.label, testLogistic),
    logisticRaw: summarize(test.label, logisticRaw.test),
    blend: summarize(test.label, testBlend),
    threshold: { value: threshold, rule: "maximises F1 on development rows' out-of-fold calibrated predictions" },
    confusion: confusion(test.label, testCalibrated, threshold),
    confusionAtHalf: confusion(test.label, testCalibrated, 0.5),
    reliability: reliabilityBins(test.label, testCalibrated),
    reliabilityUncalibrated: reliabilityBins(test.label, testUncalibrated),
    roc: rocCurve(test.label, testCalibrated),
    pr: prCurve(test.label, testCalibrated),
    rocLogistic: rocCurve(test.label, testLogistic),
  };
  return {
    cvXgb,
    cvLogistic,
    cvLogisticRaw,
    cvBlend,
    test: testMetrics,
    logistic: { log1p: [...log1p], coefficients: coefs, intercept: logisticModel.bias, truthComparison },
  };
}

/** The index of an encoded column the recipe names; an unknown name is an error naming the data set. */
function columnIndex(names: readonly string[], column: string, dataset: DatasetName): number {
  const j = names.indexOf(column);
  if (j < 0) throw new Error(`models/recipes.ts: ${dataset} logisticLog1p names ${column}, not an encoded column`);
  return j;
}

/** Explain: every customer's probability and SHAP (XGBoost's pred_contribs, in probability terms per source feature). */
function explain(
  p: ReturnType<typeof prepare>,
  f: ReturnType<typeof fit>,
  rows: readonly RawRow[],
  seed: number,
  time: Time,
) {
  const { ds, spec, layout } = p;
  const shap = time("shap", () => marginShap(f.booster, ds));
  const grouped = groupedShap(shap, f.platt, layout.groupIndex, layout.groups);
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
  return {
    probability: calibrateAll(f.platt, shap.margin),
    grouped,
    summary: {
      maxAdditivityError: shap.maxAdditivityError,
      importance: globalImportance(grouped),
      beeswarm: beeswarmSample(grouped, featureValue, { seed }),
    },
  };
}

/**
 * Trains, evaluates and exports the churn model of one data set, in stages (prepare → tune → fit → export →
 * evaluate → explain). Deterministic for a given seed.
 */
export async function buildModel(
  name: DatasetName,
  records: readonly object[],
  options: BuildOptions = {},
): Promise<ModelArtifacts> {
  // Any record type (TelcoRecord, FoodRecord, Arrow rows) whose fields the spec names; the encoder validates values.
  const rows = records as readonly RawRow[];
  const { seed = 42, cvRepeats = 3, truth, log = () => {} } = options;
  const { timings, time } = stopwatch(name, log);
  const p = prepare(name, rows, seed, log);
  const t = tune(name, p.dev, options.grid ?? RECIPES[name].grid, seed, time, log);
  const f = fit(p.dev, t.final, seed, time);
  const exported = exportModel(name, f.booster, f.platt, p.layout);
  const keepFolds = options.keepFoldModels ?? false;
  const e = evaluate(name, p, f, t.final, { seed, cvRepeats, truth, keepFolds }, time);
  const x = explain(p, f, rows, seed, time);

  const [major, minor, patch] = xgboostVersion();
  const metrics: ModelMetrics = {
    dataset: name,
    xgboostVersion: `${major}.${minor}.${patch}`,
    seed,
    rows: p.ds.nrow,
    positives: p.label.reduce((a, b) => a + b, 0),
    split: { dev: p.dev.nrow, test: p.test.nrow },
    features: { names: p.layout.names, groups: p.layout.group },
    tuning: {
      criterion: "mean out-of-fold log loss of Platt-calibrated predictions, 5-fold CV on development rows",
      candidates: t.candidates.map((c) => ({
        params: c.params,
        cv: c.cv.perFold.platt,
        uncalibrated: c.cv.perFold.uncalibrated,
        seconds: Number(c.cv.seconds.toFixed(2)),
      })),
      chosen: t.chosen,
    },
    model: {
      params: t.final.params,
      rounds: f.fitted.rounds,
      innerRounds: f.fitted.innerRounds,
      trees: exported.parsed.trees.length,
    },
    calibration: {
      chosen: "platt",
      platt: { a: f.platt.a, b: f.platt.b },
      comparison: t.comparison,
      reason: calibrationReason(t.comparison),
    },
    cv: {
      xgboost: cvReport(e.cvXgb),
      logistic: cvReport(e.cvLogistic),
      logisticRaw: cvReport(e.cvLogisticRaw),
      blend: {
        weights: e.cvBlend.weights,
        folds: e.cvBlend.folds,
        perFold: e.cvBlend.perFold,
        pooled: e.cvBlend.pooled,
      },
    },
    test: e.test,
    shap: x.summary,
    logistic: e.logistic,
    timings,
  };
  f.booster.dispose();

  const testSet = new Set(p.split.test);
  return {
    dataset: name,
    modelJson: exported.modelJson,
    onnx: exported.onnx,
    trees: exported.trees,
    metrics,
    ids: rows.map((row) => String(row[p.spec.id])),
    probability: x.probability,
    oofProbability: e.cvXgb.oof.platt,
    oofUncalibrated: e.cvXgb.oof.uncalibrated,
    oofLogistic: e.cvLogistic.oof.platt,
    split: rows.map((_, i) => (testSet.has(i) ? "test" : "dev")),
    shap: {
      groups: x.grouped.groups,
      values: x.grouped.values,
      base: x.grouped.base[0] ?? sigmoid(f.platt.b),
    },
    logistic: { coefficients: e.logistic.coefficients, intercept: e.logistic.intercept },
    ...(keepFolds
      ? {
          folds: {
            xgboost: keptOf(e.cvXgb.kept, "xgboost").map((k) => ({ json: k.model.json, platt: k.platt })),
            logistic: keptOf(e.cvLogistic.kept, "logistic").map((k) => ({ model: k.model.model, platt: k.platt })),
          },
        }
      : {}),
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
