/**
 * Repeated stratified k-fold CV of a whole recipe: inside each fold's training part, a stratified inner split
 * gives the rows for early stopping and calibration, exactly as the final model gets them. The fold's test part
 * is touched only for scoring, so the out-of-fold figures are honest.
 */
import { calibrateAll, fitIsotonic, fitPlatt, sigmoid, type Platt } from "./calibrate.js";
import { repeatedStratifiedKFold, stratifiedSplit, take } from "./splits.js";
import { logisticMargin, trainLogistic, type LogisticModel, type LogisticOptions } from "./logistic.js";
import { meanSd, summarize, type ScoreSummary } from "./metrics.js";
import { predictMargin, subset, trainBooster, trainRounds, type Dataset, type TreeParams } from "./train.js";

export interface Recipe {
  params: TreeParams;
  maxRounds: number;
  earlyStoppingRounds: number;
  /** Share of a training part held out for early stopping + calibration (0.25 of 80% = 20% of all). */
  innerValid: number;
}

export interface CrossFitRecipe extends Recipe {
  /** Inner folds giving out-of-fold margins (for calibration) and early-stopping round counts. */
  innerFolds: number;
  /** Refit rounds = mean inner best rounds × roundsScale. */
  roundsScale: number;
}

export interface CvOptions {
  k?: number;
  repeats?: number;
  seed?: number;
  /** Keep the first repeat's fold models (to score rows outside the CV sample: models/fold-scorer.ts). */
  keepFolds?: boolean;
}

/** A fold's model as kept for later scoring: XGBoost's saved JSON, or the logistic baseline's weights. */
export type KeptModel = { kind: "xgboost"; json: Uint8Array } | { kind: "logistic"; model: LogisticModel };

/** What a recipe returns for one fold: held-out margins to calibrate on, and the test rows' margins. */
export interface FoldOutput {
  calibration: { margin: ArrayLike<number>; label: ArrayLike<number> };
  testMargin: ArrayLike<number>;
  rounds?: number;
  /** The fold's model, when asked to keep it. */
  kept?: KeptModel;
}
/** A recipe: trains on `train` only (it may split it further) and scores `test`; with `keep`, returns its model. */
export type FoldModel = (train: Dataset, test: Dataset, seed: number, keep?: boolean) => FoldOutput;

export type Variant = "uncalibrated" | "platt" | "isotonic";

export interface FoldResult {
  repeat: number;
  fold: number;
  rounds?: number;
  platt: Platt;
  metrics: Record<Variant, ScoreSummary>;
}

export interface CvResult {
  k: number;
  repeats: number;
  seed: number;
  folds: FoldResult[];
  /** Mean ± sd across folds of each variant's metrics. */
  perFold: Record<Variant, ReturnType<typeof meanSd>>;
  /** Metrics of the pooled out-of-fold predictions, one entry per repeat, then mean ± sd across repeats. */
  pooled: Record<Variant, { perRepeat: ScoreSummary[]; summary: ReturnType<typeof meanSd> }>;
  /** Out-of-fold probabilities of the first repeat (per row) for reliability charts. */
  oof: Record<Variant, Float64Array>;
  /** Out-of-fold Platt-calibrated log-odds a·margin + b, one array per repeat (per row): what blends combine. */
  plattLogit: Float64Array[];
  /** With `keepFolds`: the first repeat's fold models and their Platt calibrations, in fold order. */
  kept?: { model: KeptModel; platt: Platt }[];
  seconds: number;
}

const VARIANTS: Variant[] = ["uncalibrated", "platt", "isotonic"];

/** Runs k-fold × repeats of a fold model and scores uncalibrated, Platt and isotonic probabilities. */
export function crossValidateWith(
  ds: Dataset,
  model: FoldModel,
  { k = 5, repeats = 3, seed = 42, keepFolds = false }: CvOptions = {},
): CvResult {
  const start = performance.now();
  const folds = repeatedStratifiedKFold(ds.label, { k, repeats, seed });
  const results: FoldResult[] = [];
  const oofByRepeat = Array.from(
    { length: repeats },
    () => Object.fromEntries(VARIANTS.map((v) => [v, new Float64Array(ds.nrow)])) as Record<Variant, Float64Array>,
  );
  const plattLogit = Array.from({ length: repeats }, () => new Float64Array(ds.nrow));
  const kept: NonNullable<CvResult["kept"]> = [];
  for (const fold of folds) {
    const test = subset(ds, fold.test);
    const keep = keepFolds && fold.repeat === 0;
    const output = model(subset(ds, fold.train), test, seed + 1000 * fold.repeat + fold.fold, keep);
    const { calibration, testMargin, rounds } = output;
    const platt = fitPlatt(calibration.margin, calibration.label);
    if (keep) {
      if (!output.kept) throw new Error("the fold model was asked to keep its model and did not");
      kept.push({ model: output.kept, platt });
    }
    const isotonic = fitIsotonic(calibration.margin, calibration.label);
    const probs: Record<Variant, Float64Array> = {
      uncalibrated: Float64Array.from(testMargin as ArrayLike<number>, sigmoid),
      platt: calibrateAll(platt, testMargin),
      isotonic: calibrateAll(isotonic, testMargin),
    };
    fold.test.forEach((row, i) => {
      plattLogit[fold.repeat][row] = platt.a * testMargin[i] + platt.b;
    });
    const metrics = {} as Record<Variant, ScoreSummary>;
    for (const v of VARIANTS) {
      metrics[v] = summarize(test.label, probs[v]);
      fold.test.forEach((row, i) => {
        oofByRepeat[fold.repeat][v][row] = probs[v][i];
      });
    }
    results.push({ repeat: fold.repeat, fold: fold.fold, rounds, platt, metrics });
  }
  const perFold = {} as CvResult["perFold"];
  const pooled = {} as CvResult["pooled"];
  for (const v of VARIANTS) {
    perFold[v] = meanSd(results.map((r) => r.metrics[v]));
    const perRepeat = oofByRepeat.map((oof) => summarize(ds.label, oof[v]));
    pooled[v] = { perRepeat, summary: meanSd(perRepeat) };
  }
  return {
    k,
    repeats,
    seed,
    folds: results,
    perFold,
    pooled,
    oof: oofByRepeat[0],
    plattLogit,
    ...(keepFolds ? { kept } : {}),
    seconds: (performance.now() - start) / 1000,
  };
}

/** A blend's out-of-fold figures, shaped like one variant of a CvResult (so reports read both alike). */
export interface BlendCv {
  weights: number[];
  /** Each fold's figures, in the models' fold order (so differences can be paired fold by fold). */
  folds: { repeat: number; fold: number; metrics: ScoreSummary }[];
  perFold: ReturnType<typeof meanSd>;
  pooled: { perRepeat: ScoreSummary[]; summary: ReturnType<typeof meanSd> };
  /** Blended out-of-fold probabilities of the first repeat (per row). */
  oof: Float64Array;
}

/**
 * A fixed-weight blend of several models' calibrated log-odds, p = σ(Σ w_m · logit_m), scored on exactly the folds
 * the models were cross-validated on. Each model's calibration was fitted inside the fold, and the weights are fixed
 * in advance (not fitted), so the blend's figures are as out-of-sample as the models'.
 */
export function blendCv(label: ArrayLike<number>, parts: readonly CvResult[], weights: readonly number[]): BlendCv {
  if (parts.length < 2 || parts.length !== weights.length)
    throw new Error(`a blend needs ≥ 2 models and one weight each (got ${parts.length} and ${weights.length})`);
  const [{ k, repeats, seed }] = parts;
  for (const cv of parts)
    if (cv.k !== k || cv.repeats !== repeats || cv.seed !== seed || cv.plattLogit[0]?.length !== label.length)
      throw new Error("blended models must be cross-validated on the same rows and folds (k, repeats, seed)");
  const blended = Array.from({ length: repeats }, (_, r) =>
    Float64Array.from({ length: label.length }, (_, i) =>
      sigmoid(parts.reduce((z, cv, m) => z + weights[m] * cv.plattLogit[r][i], 0)),
    ),
  );
  const folds = repeatedStratifiedKFold(label, { k, repeats, seed }).map((fold) => ({
    repeat: fold.repeat,
    fold: fold.fold,
    metrics: summarize(
      take(label, fold.test),
      fold.test.map((row) => blended[fold.repeat][row]),
    ),
  }));
  const perRepeat = blended.map((p) => summarize(label, p));
  return {
    weights: [...weights],
    folds,
    perFold: meanSd(folds.map((f) => f.metrics)),
    pooled: { perRepeat, summary: meanSd(perRepeat) },
    oof: blended[0],
  };
}

/** The fixed-weight blend σ(Σ w_m · logit_m) of calibrated log-odds for one set of rows (the test split). */
export function blendLogits(logits: readonly ArrayLike<number>[], weights: readonly number[]): Float64Array {
  return Float64Array.from({ length: logits[0].length }, (_, i) =>
    sigmoid(logits.reduce((z, l, m) => z + weights[m] * l[i], 0)),
  );
}

/** Splits a training part into fit/valid rows (stratified, seeded), as the final model's 60/20 split does. */
export function innerSplit(train: Dataset, innerValid: number, seed: number): { fit: Dataset; valid: Dataset } {
  const inner = stratifiedSplit(train.label, { seed, valid: innerValid, test: 0 });
  return { fit: subset(train, inner.train), valid: subset(train, inner.valid) };
}

/** The holdout recipe: early stopping and calibration on one inner validation split. */
export function holdoutRecipe(recipe: Recipe): FoldModel {
  return (train, test, seed) => {
    const { fit, valid } = innerSplit(train, recipe.innerValid, seed);
    const { booster, rounds } = trainBooster(fit, valid, recipe.params, {
      maxRounds: recipe.maxRounds,
      earlyStoppingRounds: recipe.earlyStoppingRounds,
      seed,
    });
    try {
      const calibration = { margin: predictMargin(booster, valid), label: valid.label };
      return { calibration, testMargin: predictMargin(booster, test), rounds };
    } finally {
      booster.dispose();
    }
  };
}

/**
 * The cross-fitted recipe: inner k-fold on the training part gives out-of-fold margins (for calibration) and
 * early-stopping round counts; the final booster is then refit on all training rows for the mean count × roundsScale.
 * Uses every training row for the trees, at the cost of k + 1 fits.
 */
export function crossFitRecipe(recipe: CrossFitRecipe): FoldModel {
  return (train, test, seed, keep) => {
    const { booster, rounds, calibration } = crossFitBooster(train, recipe, seed);
    try {
      const kept: KeptModel | undefined = keep ? { kind: "xgboost", json: booster.saveJson() } : undefined;
      return { calibration, testMargin: predictMargin(booster, test), rounds, ...(kept ? { kept } : {}) };
    } finally {
      booster.dispose();
    }
  };
}

/** Trains the cross-fitted booster on `train`; returns it with the out-of-fold margins for calibration. */
export function crossFitBooster(train: Dataset, recipe: CrossFitRecipe, seed: number) {
  const inner = repeatedStratifiedKFold(train.label, { k: recipe.innerFolds, repeats: 1, seed });
  const margin = new Float64Array(train.nrow);
  const innerRounds: number[] = [];
  for (const fold of inner) {
    const valid = subset(train, fold.test);
    const result = trainBooster(subset(train, fold.train), valid, recipe.params, {
      maxRounds: recipe.maxRounds,
      earlyStoppingRounds: recipe.earlyStoppingRounds,
      seed,
    });
    predictMargin(result.booster, valid).forEach((m, i) => {
      margin[fold.test[i]] = m;
    });
    innerRounds.push(result.rounds);
    result.booster.dispose();
  }
  const rounds = Math.max(
    1,
    Math.round((innerRounds.reduce((a, b) => a + b, 0) / innerRounds.length) * recipe.roundsScale),
  );
  const booster = trainRounds(train, recipe.params, rounds, { seed });
  return { booster, rounds, innerRounds, calibration: { margin, label: train.label } };
}

/** CV of the logistic baseline recipe (same folds and inner splits). */
export function logisticRecipe(innerValid: number, logistic: LogisticOptions = {}): FoldModel {
  return (train, test, seed, keep) => {
    const { fit, valid } = innerSplit(train, innerValid, seed);
    const model = trainLogistic(fit, valid, logistic);
    return {
      calibration: { margin: logisticMargin(model, valid.data, valid.ncol), label: valid.label },
      testMargin: logisticMargin(model, test.data, test.ncol),
      rounds: model.rounds,
      ...(keep ? { kept: { kind: "logistic", model } as const } : {}),
    };
  };
}

/** A compact, JSON-friendly view of a CV result (no per-row arrays). */
export function cvReport(cv: CvResult) {
  const { oof: _oof, plattLogit: _logit, kept: _kept, ...rest } = cv;
  void _oof;
  void _logit;
  void _kept;
  return rest;
}
