/**
 * Gradient-boosted trees with early stopping on a validation set. The returned booster holds exactly the
 * best rounds (XGBoosterSlice), so model.json, ONNX, trees.json and pred_contribs all describe one model.
 */
import { take, takeRows } from "./splits.js";
import { Booster, DMatrix, parseEval } from "./xgboost.js";

/** Row-major encoded features with labels. */
export interface Dataset {
  data: Float32Array;
  nrow: number;
  ncol: number;
  label: Float32Array;
}

/** The tree hyper-parameters we tune; names are XGBoost's. */
export interface TreeParams {
  eta: number;
  max_depth: number;
  min_child_weight: number;
  subsample: number;
  colsample_bytree: number;
  lambda: number;
  alpha: number;
  gamma: number;
  scale_pos_weight: number;
  tree_method: "hist" | "exact";
  max_bin?: number;
  /** XGBoost's "(c1,c2,…)" syntax, one entry per encoded column; "" = none. */
  monotone_constraints?: string;
}

export interface TrainOptions {
  maxRounds: number;
  earlyStoppingRounds: number;
  seed: number;
  /** Threads for XGBoost; results are identical for any count (hist builds histograms deterministically). */
  nthread?: number;
}

export interface TrainResult {
  booster: Booster;
  /** Rounds kept (best validation log loss). */
  rounds: number;
  bestValidLogLoss: number;
  /** Validation log loss after each round, for the learning-curve chart. */
  history: number[];
}

/** Subset of a dataset by row indices. */
export function subset(ds: Dataset, index: readonly number[]): Dataset {
  return { data: takeRows(ds.data, ds.ncol, index), nrow: index.length, ncol: ds.ncol, label: take(ds.label, index) };
}

/** A DMatrix for a dataset (caller disposes). */
export function toDMatrix(ds: Dataset): DMatrix {
  return new DMatrix(ds.data, ds.nrow, ds.ncol, { label: ds.label });
}

/** XGBoost parameters for binary:logistic with our tuned tree parameters. */
export function boosterParams(params: TreeParams, { seed, nthread = 1 }: Pick<TrainOptions, "seed" | "nthread">) {
  const { monotone_constraints, max_bin, ...rest } = params;
  return {
    objective: "binary:logistic",
    // 1.7 does not estimate base_score; 0.5 (margin 0) keeps the ONNX base value trivially exact.
    base_score: 0.5,
    eval_metric: "logloss",
    seed,
    nthread,
    verbosity: 1,
    ...rest,
    ...(max_bin ? { max_bin } : {}),
    ...(monotone_constraints ? { monotone_constraints } : {}),
  };
}

/**
 * Trains up to maxRounds, stopping when the validation log loss has not improved for earlyStoppingRounds,
 * and returns a booster cut to the best round count.
 */
export function trainBooster(train: Dataset, valid: Dataset, params: TreeParams, options: TrainOptions): TrainResult {
  const { maxRounds, earlyStoppingRounds } = options;
  if (!(maxRounds >= 1)) throw new Error(`invalid maxRounds: ${maxRounds}`);
  const dtrain = toDMatrix(train);
  const dvalid = toDMatrix(valid);
  const full = new Booster([dtrain, dvalid], boosterParams(params, options));
  try {
    const history: number[] = [];
    let best = 0;
    for (let i = 0; i < maxRounds; i++) {
      full.updateOneIter(i, dtrain);
      const loss = parseEval(full.evalOneIter(i, { valid: dvalid }))["valid-logloss"];
      if (!Number.isFinite(loss)) throw new Error(`validation log loss is not finite at round ${i}: ${loss}`);
      history.push(loss);
      if (loss < history[best]) best = i;
      else if (i - best >= earlyStoppingRounds) break;
    }
    const rounds = best + 1;
    const booster = rounds === history.length ? Booster.load(full.saveJson()) : full.slice(0, rounds);
    return { booster, rounds, bestValidLogLoss: history[best], history };
  } finally {
    full.dispose();
    dtrain.dispose();
    dvalid.dispose();
  }
}

/** Margins (log-odds) of a booster for a dataset. */
export function predictMargin(booster: Booster, ds: Pick<Dataset, "data" | "nrow" | "ncol">): Float32Array {
  const d = new DMatrix(ds.data, ds.nrow, ds.ncol);
  try {
    return booster.predict(d, 1);
  } finally {
    d.dispose();
  }
}

/** Trains exactly `rounds` rounds on all of `train` (no validation set: the count was chosen elsewhere). */
export function trainRounds(
  train: Dataset,
  params: TreeParams,
  rounds: number,
  options: Pick<TrainOptions, "seed" | "nthread">,
): Booster {
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`invalid rounds: ${rounds}`);
  const dtrain = toDMatrix(train);
  const full = new Booster([dtrain], boosterParams(params, options));
  try {
    for (let i = 0; i < rounds; i++) full.updateOneIter(i, dtrain);
    // Reload so the returned booster holds no reference to the training matrix's cache.
    return Booster.load(full.saveJson());
  } finally {
    full.dispose();
    dtrain.dispose();
  }
}
