/**
 * Scores rows that were outside the cross-validation sample with the sample's own fold models (the first CV
 * repeat's k models, each with the Platt calibration fitted inside its fold). None of those models saw a row
 * outside the sample, so the scores are as held-out as the sample's out-of-fold scores: each such row gets the
 * model of fold `row mod k` (a fixed, label-blind assignment), exactly as each sample row gets the model of the
 * fold it was held out of.
 */
import { calibrate, sigmoid, type Platt } from "./calibrate.js";
import type { KeptModel } from "./cross-validation.js";
import { logisticMargin, type LogisticModel } from "./logistic.js";
import { takeRows } from "./splits.js";
import { predictMargin } from "./train.js";
import { Booster } from "./xgboost.js";

/** The first CV repeat's fold models of the tree recipe and of the fair logistic baseline, in fold order. */
export interface FoldModels {
  xgboost: { json: Uint8Array; platt: Platt }[];
  logistic: { model: LogisticModel; platt: Platt }[];
}

/** Out-of-fold scores as the per-row columns name them. */
export interface FoldScores {
  /** calibrated (Platt) tree score */
  platt: Float64Array;
  /** σ(margin) of the same booster */
  uncalibrated: Float64Array;
  /** the fair logistic baseline, calibrated */
  logistic: Float64Array;
}

/** Picks the kept models of one recipe out of a CvResult's `kept` list, checking their kind. */
export function keptOf<K extends KeptModel["kind"]>(
  kept: readonly { model: KeptModel; platt: Platt }[] | undefined,
  kind: K,
): { model: Extract<KeptModel, { kind: K }>; platt: Platt }[] {
  if (!kept?.length) throw new Error(`no kept ${kind} fold models (cross-validate with keepFolds)`);
  for (const k of kept) if (k.model.kind !== kind) throw new Error(`kept fold model is ${k.model.kind}, not ${kind}`);
  return kept as never;
}

/** The fold whose model scores base row `row` (0-based position in the whole base). */
export function foldOf(row: number, k: number): number {
  return row % k;
}

/** Loaded fold models; call dispose() when done (the boosters live in libxgboost). */
export class FoldScorer {
  private readonly boosters: Booster[];

  /** `nthread`: threads for prediction (each row is scored by one thread, so the scores do not depend on it). */
  constructor(
    private readonly folds: FoldModels,
    { nthread = 1 }: { nthread?: number } = {},
  ) {
    if (folds.xgboost.length < 2 || folds.xgboost.length !== folds.logistic.length)
      throw new Error(
        `fold models: ${folds.xgboost.length} tree and ${folds.logistic.length} logistic (need k ≥ 2 each)`,
      );
    this.boosters = folds.xgboost.map((f) => {
      const booster = Booster.load(f.json);
      booster.setParam("nthread", nthread);
      return booster;
    });
  }

  get k(): number {
    return this.boosters.length;
  }

  /** Scores rows (row-major, `ncol` columns); `rows[i]` is row i's position in the base, which picks its fold. */
  score(data: Float32Array, ncol: number, rows: ArrayLike<number>): FoldScores {
    const n = rows.length;
    if (data.length !== n * ncol) throw new Error(`fold scorer: ${data.length} values for ${n} rows × ${ncol}`);
    const out: FoldScores = {
      platt: new Float64Array(n),
      uncalibrated: new Float64Array(n),
      logistic: new Float64Array(n),
    };
    const byFold: number[][] = Array.from({ length: this.k }, () => []);
    for (let i = 0; i < n; i++) byFold[foldOf(rows[i], this.k)].push(i);
    byFold.forEach((index, f) => {
      if (index.length === 0) return;
      const part = takeRows(data, ncol, index);
      const margin = predictMargin(this.boosters[f], { data: part, nrow: index.length, ncol });
      const { model, platt } = this.folds.logistic[f];
      const logit = logisticMargin(model, part, ncol);
      index.forEach((i, j) => {
        out.platt[i] = calibrate(this.folds.xgboost[f].platt, margin[j]);
        out.uncalibrated[i] = sigmoid(margin[j]);
        out.logistic[i] = calibrate(platt, logit[j]);
      });
    });
    return out;
  }

  dispose(): void {
    for (const b of this.boosters) b.dispose();
  }
}
