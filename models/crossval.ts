/**
 * Repeated stratified k-fold CV of a whole recipe: inside each fold's training part, a stratified inner split
 * gives the rows for early stopping and calibration, exactly as the final model gets them. The fold's test part
 * is touched only for scoring, so the out-of-fold figures are honest.
 */
import { calibrateAll, fitIsotonic, fitPlatt, sigmoid, type Platt } from "./calibrate.js";
import { repeatedStratifiedKFold, stratifiedSplit } from "./cv.js";
import { logisticMargin, trainLogistic, type LogisticOptions } from "./logistic.js";
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
}

/** What a recipe returns for one fold: held-out margins to calibrate on, and the test rows' margins. */
export interface FoldOutput {
  calibration: { margin: ArrayLike<number>; label: ArrayLike<number> };
  testMargin: ArrayLike<number>;
  rounds?: number;
}
/** A recipe: trains on `train` only (it may split it further) and scores `test`. */
export type FoldModel = (train: Dataset, test: Dataset, seed: number) => FoldOutput;

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
  seconds: number;
}

const VARIANTS: Variant[] = ["uncalibrated", "platt", "isotonic"];

/** Runs k-fold × repeats of a fold model and scores uncalibrated, Platt and isotonic probabilities. */
export function crossValidateWith(
  ds: Dataset,
  model: FoldModel,
  { k = 5, repeats = 3, seed = 42 }: CvOptions = {},
): CvResult {
  const start = performance.now();
  const folds = repeatedStratifiedKFold(ds.label, { k, repeats, seed });
  const results: FoldResult[] = [];
  const oofByRepeat = Array.from(
    { length: repeats },
    () => Object.fromEntries(VARIANTS.map((v) => [v, new Float64Array(ds.nrow)])) as Record<Variant, Float64Array>,
  );
  for (const fold of folds) {
    const test = subset(ds, fold.test);
    const { calibration, testMargin, rounds } = model(
      subset(ds, fold.train),
      test,
      seed + 1000 * fold.repeat + fold.fold,
    );
    const platt = fitPlatt(calibration.margin, calibration.label);
    const isotonic = fitIsotonic(calibration.margin, calibration.label);
    const probs: Record<Variant, Float64Array> = {
      uncalibrated: Float64Array.from(testMargin as ArrayLike<number>, sigmoid),
      platt: calibrateAll(platt, testMargin),
      isotonic: calibrateAll(isotonic, testMargin),
    };
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
    seconds: (performance.now() - start) / 1000,
  };
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
  return (train, test, seed) => {
    const { booster, rounds, calibration } = crossFitBooster(train, recipe, seed);
    try {
      return { calibration, testMargin: predictMargin(booster, test), rounds };
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
  return (train, test, seed) => {
    const { fit, valid } = innerSplit(train, innerValid, seed);
    const model = trainLogistic(fit, valid, logistic);
    return {
      calibration: { margin: logisticMargin(model, valid.data, valid.ncol), label: valid.label },
      testMargin: logisticMargin(model, test.data, test.ncol),
      rounds: model.rounds,
    };
  };
}

/** A compact, JSON-friendly view of a CV result (no per-row arrays). */
export function cvReport(cv: CvResult) {
  const { oof: _oof, ...rest } = cv;
  void _oof;
  return rest;
}
