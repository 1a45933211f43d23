/**
 * The logistic baseline (the food-delivery original's directional explainer), from the same library:
 * booster=gblinear, objective=binary:logistic, on features standardised with training means/sds. Declared columns
 * enter as log1p(x) before standardising (models/recipes.ts says which and why): a linear model in raw tenure or
 * charges is misspecified, and a baseline that is misspecified on purpose flatters the trees.
 */
import type { Dataset } from "./train.js";
import { Booster, DMatrix, parseEval } from "./xgboost.js";

export interface Standardizer {
  means: number[];
  sds: number[];
}

export interface LogisticModel {
  /** Columns entering as log1p(x) (before standardising). */
  log1pColumns: number[];
  standardizer: Standardizer;
  /** Weights on standardised features (log-odds per 1 sd). */
  weights: number[];
  bias: number;
  rounds: number;
}

export interface Coefficient {
  feature: string;
  group: string;
  /** Log-odds change per 1 sd of the feature. */
  perSd: number;
  /** Log-odds change per unit of the feature as the model sees it (perSd / sd): of log1p(x) when `scale` is log1p. */
  perUnit: number;
  /** How the feature enters the model: as it is, or as log1p(x). */
  scale: "raw" | "log1p";
  /** Odds ratio per 1 sd. */
  oddsRatioPerSd: number;
  direction: "raises churn" | "lowers churn" | "none";
}

/** Means and sds per column, ignoring NaN; constant columns get sd 1 so they standardise to 0. */
export function fitStandardizer(ds: Pick<Dataset, "data" | "nrow" | "ncol">): Standardizer {
  const { data, nrow, ncol } = ds;
  const means: number[] = [];
  const sds: number[] = [];
  for (let j = 0; j < ncol; j++) {
    let n = 0;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < nrow; i++) {
      const x = data[i * ncol + j];
      if (Number.isNaN(x)) continue;
      n++;
      sum += x;
      sum2 += x * x;
    }
    const mean = n ? sum / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / (n - 1))) : 0;
    means.push(mean);
    sds.push(sd > 1e-12 ? sd : 1);
  }
  return { means, sds };
}

/** Standardises a row-major matrix; missing values become 0 (the mean), which gblinear also assumes. */
export function standardize(s: Standardizer, data: Float32Array, ncol: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let k = 0; k < data.length; k++) {
    const j = k % ncol;
    const x = data[k];
    out[k] = Number.isNaN(x) ? 0 : (x - s.means[j]) / s.sds[j];
  }
  return out;
}

export interface LogisticOptions {
  lambda?: number;
  alpha?: number;
  maxRounds?: number;
  earlyStoppingRounds?: number;
  seed?: number;
  /** Columns held at 0 (weight 0): the reference level of each one-hot field, so the rest read as contrasts. */
  dropColumns?: readonly number[];
  /** Columns that enter as log1p(x); their values must be ≥ 0 (a negative one is an error naming the column). */
  log1pColumns?: readonly number[];
}

/** A copy of a row-major matrix with log1p applied to the given columns; NaN stays NaN (missing). */
export function applyLog1p(data: Float32Array, ncol: number, columns: readonly number[]): Float32Array {
  if (!columns.length) return data;
  const out = Float32Array.from(data);
  const nrow = data.length / ncol;
  for (const j of columns) {
    if (!(Number.isInteger(j) && j >= 0 && j < ncol))
      throw new Error(`log1p column ${j} is not one of ${ncol} columns`);
    for (let i = 0; i < nrow; i++) {
      const x = data[i * ncol + j];
      if (x < 0) throw new Error(`log1p column ${j}, row ${i}: ${x} is negative (log1p needs x ≥ 0)`);
      out[i * ncol + j] = Math.log1p(x);
    }
  }
  return out;
}

/** Fits the baseline; coordinate descent with a cyclic selector is deterministic (shotgun is not). */
export function trainLogistic(
  train: Dataset,
  valid: Dataset,
  {
    lambda = 0.01,
    alpha = 0,
    maxRounds = 300,
    earlyStoppingRounds = 20,
    seed = 42,
    dropColumns = [],
    log1pColumns = [],
  }: LogisticOptions = {},
): LogisticModel {
  const standardizer = fitStandardizer({ ...train, data: applyLog1p(train.data, train.ncol, log1pColumns) });
  const prepare = (ds: Dataset) => {
    const x = standardize(standardizer, applyLog1p(ds.data, ds.ncol, log1pColumns), ds.ncol);
    // A column that is 0 everywhere gets zero gradient, so its weight stays exactly 0.
    for (const j of dropColumns) for (let i = 0; i < ds.nrow; i++) x[i * ds.ncol + j] = 0;
    return new DMatrix(x, ds.nrow, ds.ncol, { label: ds.label });
  };
  const dtrain = prepare(train);
  const dvalid = prepare(valid);
  // XGBoost's linear updater multiplies lambda/alpha by the total row weight, so they are per-row penalties.
  const booster = new Booster([dtrain, dvalid], {
    booster: "gblinear",
    objective: "binary:logistic",
    updater: "coord_descent",
    feature_selector: "cyclic",
    base_score: 0.5,
    eval_metric: "logloss",
    lambda,
    alpha,
    seed,
    nthread: 1,
    verbosity: 1,
  });
  try {
    let best = Infinity;
    let bestRound = 0;
    let bestModel: Uint8Array | undefined;
    for (let i = 0; i < maxRounds; i++) {
      booster.updateOneIter(i, dtrain);
      const loss = parseEval(booster.evalOneIter(i, { valid: dvalid }))["valid-logloss"];
      if (loss < best - 1e-9) {
        best = loss;
        bestRound = i;
        bestModel = booster.saveJson();
      } else if (i - bestRound >= earlyStoppingRounds) break;
    }
    const model = JSON.parse(new TextDecoder().decode(bestModel!));
    const w: number[] = model.learner.gradient_booster.model.weights.map(Number);
    return {
      log1pColumns: [...log1pColumns],
      standardizer,
      weights: w.slice(0, train.ncol),
      bias: w[train.ncol],
      rounds: bestRound + 1,
    };
  } finally {
    booster.dispose();
    dtrain.dispose();
    dvalid.dispose();
  }
}

/** Margins (log-odds) of the baseline for raw (untransformed, unstandardised) rows. */
export function logisticMargin(model: LogisticModel, raw: Float32Array, ncol: number): Float64Array {
  const { means, sds } = model.standardizer;
  const data = applyLog1p(raw, ncol, model.log1pColumns);
  const nrow = data.length / ncol;
  const out = new Float64Array(nrow);
  for (let i = 0; i < nrow; i++) {
    let z = model.bias;
    for (let j = 0; j < ncol; j++) {
      const x = data[i * ncol + j];
      if (!Number.isNaN(x) && model.weights[j] !== 0) z += model.weights[j] * Math.fround((x - means[j]) / sds[j]);
    }
    out[i] = z;
  }
  return out;
}

/** Coefficients with direction and odds ratios, largest effect first. */
export function coefficients(model: LogisticModel, names: readonly string[], groups: readonly string[]): Coefficient[] {
  return model.weights
    .map((w, j) => ({
      feature: names[j],
      group: groups[j],
      perSd: w,
      perUnit: w / model.standardizer.sds[j],
      scale: (model.log1pColumns.includes(j) ? "log1p" : "raw") as Coefficient["scale"],
      oddsRatioPerSd: Math.exp(w),
      direction: (w > 0 ? "raises churn" : w < 0 ? "lowers churn" : "none") as Coefficient["direction"],
    }))
    .sort((a, b) => Math.abs(b.perSd) - Math.abs(a.perSd));
}
