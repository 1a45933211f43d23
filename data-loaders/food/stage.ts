/**
 * The food-delivery stage, streamed: the base (generated or the user's file) is read in batches, twice.
 *  1. sample  – one pass draws the stratified model-selection sample (data-loaders/food/sample.ts); a base no larger
 *               than the sample is the sample.
 *  2. model   – tuning, the final model, cross-validation and SHAP summaries on the sample (cached:
 *               data-loaders/model-cache.ts); for a larger base the first CV repeat's fold models are kept.
 *  3. score   – a second pass scores, explains and messages each batch and appends it to the published tables
 *               (written to disk as they grow), and accumulates the base's metrics. Customers in the sample take
 *               the model stage's outputs; the others get the final model's probability and SHAP and, as their
 *               out-of-fold scores, those of the fold model `position mod k` (models/fold-scorer.ts), which never
 *               saw them.
 * Memory is bounded by the sample and the batch size, not by the base. docs/scale.md has the method and figures.
 */
import { availableParallelism } from "node:os";
import { aucStandardError, BinnedSummary } from "../../models/binned-summary.js";
import { FoldScorer } from "../../models/fold-scorer.js";
import type { ModelArtifacts, ScaleReport } from "../../models/pipeline.js";
import { groupedShap, marginShap } from "../../models/shap.js";
import { Booster } from "../../models/xgboost.js";
import { ARTIFACTS } from "../../src/lib/artifacts.js";
import type { CampaignLayout } from "../../src/lib/campaign-cells.js";
import { encodeRows, featureLayout, specFor, type RawRow } from "../../src/lib/features.js";
import { riskTier } from "../../src/lib/tiers.js";
import { chunksOf } from "../arrow.js";
import { DEFAULTS, generateMessages, readEnv, resolveProvider, type Provenance } from "../llm/index.js";
import { cachedModel } from "../model-cache.js";
import type { Publication } from "../publish.js";
import { driversOf, publishedMetrics, type RowScores } from "../scores.js";
import { stage } from "../util/stages.js";
import { FOOD_TRUTH, type FoodRecord } from "./generate.js";
import { stratifiedSample, type Sample } from "./sample.js";
import { BATCH_SIZE, type FoodSource } from "./source.js";
import { FoodTables, campaignGrid } from "./tables.js";

export interface FoodStageOptions {
  source: FoodSource;
  seed: number;
  cvRepeats: number;
  /** size of the model-selection sample (data-loaders/food/sample.ts SAMPLE_SIZE) */
  sampleSize: number;
  /** rows per step of the scoring pass */
  batchSize?: number;
  log: (line: string) => void;
  /** the model cache (default: MODEL_CACHE_DIR or .cache/models) */
  cacheDir?: string;
  /** customers up to which the Retention page's base keeps every customer as its own cell (campaign-cells.ts) */
  exactUpTo?: number;
}

/** Scores batches: the sample's rows from the model stage, the others from the final and the fold models. */
class BatchScorer {
  private readonly spec = specFor("food");
  private readonly layout = featureLayout(this.spec);
  private readonly booster?: Booster;
  private readonly folds?: FoldScorer;
  private next = 0; // the next sample row (index into sample.index)

  constructor(
    private readonly model: ModelArtifacts,
    private readonly sample: Sample<FoodRecord>,
  ) {
    if (sample.sampled) {
      if (!model.folds)
        throw new Error("food: the model stage kept no fold models for the customers outside the sample");
      // Prediction and SHAP on every core: each row is computed by one thread, so the values do not depend on it.
      const nthread = availableParallelism();
      this.booster = Booster.load(model.modelJson);
      this.booster.setParam("nthread", nthread);
      this.folds = new FoldScorer(model.folds, { nthread });
    }
  }

  /** Scores of `rows`, the base's rows from position `first` on (batches must come in order). */
  score(rows: readonly FoodRecord[], first: number): RowScores {
    const n = rows.length;
    const g = this.model.shap.groups.length;
    const s = {
      ids: rows.map((r) => String(r.customer_id)),
      probability: new Float64Array(n),
      oofProbability: new Float64Array(n),
      oofUncalibrated: new Float64Array(n),
      oofLogistic: new Float64Array(n),
      split: new Array<"dev" | "test">(n),
      shap: { groups: this.model.shap.groups, values: new Float64Array(n * g) },
    } satisfies RowScores;
    const outside: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.next;
      if (k < this.sample.index.length && this.sample.index[k] === first + i) {
        this.next++;
        const m = this.model;
        if (m.ids[k] !== s.ids[i])
          throw new Error(
            `food: row ${first + i + 1} is ${s.ids[i]}, the model stage had ${m.ids[k]} (input changed?)`,
          );
        s.probability[i] = m.probability[k];
        s.oofProbability[i] = m.oofProbability[k];
        s.oofUncalibrated[i] = m.oofUncalibrated[k];
        s.oofLogistic[i] = m.oofLogistic[k];
        s.split[i] = m.split[k];
        s.shap.values.set(m.shap.values.subarray(k * g, (k + 1) * g), i * g);
      } else outside.push(i);
    }
    if (outside.length > 0) this.scoreOutside(rows, first, outside, s);
    return s;
  }

  private scoreOutside(rows: readonly FoodRecord[], first: number, outside: number[], s: RowScores): void {
    if (!this.booster || !this.folds) throw new Error(`food: row ${first + outside[0] + 1} is not in the sample`);
    const g = s.shap.groups.length;
    const ds = encodeRows(
      this.spec,
      outside.map((i) => rows[i]),
    );
    const platt = { kind: "platt" as const, ...this.model.metrics.calibration.platt };
    const grouped = groupedShap(marginShap(this.booster, ds), platt, this.layout.groupIndex, this.layout.groups);
    if (grouped.groups.join() !== s.shap.groups.join()) throw new Error("food: SHAP groups differ from the model's");
    const oof = this.folds.score(
      ds.data,
      ds.ncol,
      outside.map((i) => first + i),
    );
    outside.forEach((i, j) => {
      s.probability[i] = grouped.probability[j];
      s.shap.values.set(grouped.values.subarray(j * g, (j + 1) * g), i * g);
      s.oofProbability[i] = oof.platt[j];
      s.oofUncalibrated[i] = oof.uncalibrated[j];
      s.oofLogistic[i] = oof.logistic[j];
      s.split[i] = "test"; // never used to fit the final model
    });
  }

  dispose(): void {
    this.booster?.dispose();
    this.folds?.dispose();
  }
}

/** The base's figures, accumulated batch by batch (only for a sampled base). */
class BaseMetrics {
  readonly heldOut = new BinnedSummary();
  readonly all = new BinnedSummary();
  readonly outside = {
    calibrated: new BinnedSummary(),
    uncalibrated: new BinnedSummary(),
    logistic: new BinnedSummary(),
  };

  add(rows: readonly FoodRecord[], s: RowScores, inSample: (i: number) => boolean): void {
    rows.forEach((r, i) => {
      const y = r.churned;
      this.all.add(y, s.probability[i]);
      if (s.split[i] === "test") this.heldOut.add(y, s.probability[i]);
      if (!inSample(i)) {
        this.outside.calibrated.add(y, s.oofProbability[i]);
        this.outside.uncalibrated.add(y, s.oofUncalibrated[i]);
        this.outside.logistic.add(y, s.oofLogistic[i]);
      }
    });
  }
}

function scaleReport(model: ModelArtifacts, sample: Sample<FoodRecord>, base: BaseMetrics): ScaleReport {
  const m = model.metrics;
  const negatives = (rows: number, positives: number) => rows - positives;
  const testPositives = Math.round(m.split.test * (m.positives / m.rows));
  const heldOut = base.heldOut.summary();
  const heldOutPositives = Math.round(heldOut.observedRate * base.heldOut.rows);
  const se = (auc: number, rows: number, positives: number) =>
    aucStandardError(auc, positives, negatives(rows, positives));
  return {
    base: { rows: sample.base, positives: sample.positives },
    sample: {
      rows: m.rows,
      method:
        "stratified by churned: each class's share of the sample equals its share of the base; within a class, the " +
        "customers with the smallest seeded pseudo-random keys of their position (data-loaders/food/sample.ts)",
      aucStandardError: {
        cv: se(m.cv.xgboost.pooled.platt.summary.rocAuc.mean, m.rows, m.positives),
        test: se(m.test.calibrated.rocAuc, m.split.test, testPositives),
        rule: "Hanley & McNeil (1982) at the sample's AUC and class counts: pooled out-of-fold (all sample rows) and the test split",
      },
    },
    figures: {
      "rows, positives, split": "the sample",
      "tuning, model, calibration, cv": "the sample (CV folds and inner folds within it)",
      test: "the sample's 20 % test split",
      "shap.importance, shap.beeswarm": "the sample (beeswarm rows are positions in the base)",
      logistic: "the sample's development rows",
      "scale.baseMetrics":
        "every customer in the base, scored by the final model (and the fold models outside the sample)",
    },
    baseMetrics: {
      method:
        "streamed over the whole base: Brier, log loss, ECE and rates exact; ROC and PR AUC from scores in bins of 1/100,000",
      heldOut: {
        rows: base.heldOut.rows,
        calibrated: heldOut,
        aucStandardError: se(heldOut.rocAuc, base.heldOut.rows, heldOutPositives),
      },
      all: { rows: base.all.rows, calibrated: base.all.summary() },
      outsideSample: {
        rows: base.outside.calibrated.rows,
        calibrated: base.outside.calibrated.summary(),
        uncalibrated: base.outside.uncalibrated.summary(),
        logistic: base.outside.logistic.summary(),
      },
    },
  };
}

/** Customers the LLM may write for (the top `budget` by risk over the whole base), or null without a provider. */
async function llmEligible(
  batches: AsyncIterable<FoodRecord[]>,
  scorer: BatchScorer,
  budget: number,
): Promise<Set<string>> {
  const top: { id: string; p: number }[] = [];
  let first = 0;
  for await (const batch of batches) {
    const s = scorer.score(batch, first);
    first += batch.length;
    s.ids.forEach((id, i) => {
      top.push({ id, p: s.probability[i] });
    });
    top.sort((a, b) => b.p - a.p || (a.id < b.id ? -1 : 1));
    top.length = Math.min(top.length, budget);
  }
  return new Set(top.map((t) => t.id));
}

/** Runs the food stage into `pub`; returns what the manifest records. */
export async function foodStage(o: FoodStageOptions, pub: Publication) {
  const { log, source } = o;
  const batchSize = o.batchSize ?? BATCH_SIZE;
  const sample = await stage("food sample", log, () =>
    stratifiedSample(source.batches(batchSize), (r: FoodRecord) => r.churned, { size: o.sampleSize, seed: o.seed }),
  );
  log(
    sample.sampled
      ? `food: ${sample.base} customers from ${source.name}; model selection and CV on a stratified sample of ${sample.rows.length}`
      : `food: ${sample.base} ${source.generated ? "generated customers" : `customers from ${source.name}`}`,
  );
  const { model } = await stage("food model", log, () =>
    cachedModel("food", sample.rows, {
      seed: o.seed,
      cvRepeats: o.cvRepeats,
      truth: source.generated ? (FOOD_TRUTH.coefficients as Record<string, number>) : undefined,
      log,
      keepFoldModels: sample.sampled,
      cacheDir: o.cacheDir,
    }),
  );
  const pass = () => (sample.sampled ? source.batches(batchSize) : inBatches(sample.rows, batchSize));
  const eligible = await stage("food llm eligibility", log, async () => {
    if (!resolveProvider(readEnv())) return null;
    const scorer = new BatchScorer(model, sample);
    try {
      return await llmEligible(pass(), scorer, DEFAULTS.budget);
    } finally {
      scorer.dispose();
    }
  });
  const scored = await stage("food score", log, () => scorePass(o, pub, model, sample, pass(), eligible));
  const metrics = publishedMetrics(model, log);
  if (sample.sampled) {
    metrics.scale = scaleReport(model, sample, scored.base);
    for (const point of metrics.shap.beeswarm) point.row = sample.index[point.row];
  }
  pub.binary(ARTIFACTS.foodModel, model.modelJson);
  pub.binary(ARTIFACTS.foodOnnx, model.onnx);
  pub.json(ARTIFACTS.foodTrees, model.trees);
  pub.json(ARTIFACTS.foodMetrics, metrics);
  pub.json(ARTIFACTS.foodTruth, FOOD_TRUTH);
  return { rows: sample.base, offers: scored.bySource };
}

async function* inBatches<T>(rows: readonly T[], size: number): AsyncGenerator<T[]> {
  yield* chunksOf(rows, size);
}

const SUMMARY_LINE =
  /^llm(: no provider configured| offer: (provider |\d+ messages in |fallback reasons|\d+ calls|cache \d+ entries))/;

async function scorePass(
  o: FoodStageOptions,
  pub: Publication,
  model: ModelArtifacts,
  sample: Sample<FoodRecord>,
  batches: AsyncIterable<FoodRecord[]>,
  eligible: Set<string> | null,
) {
  const scorer = new BatchScorer(model, sample);
  const base = new BaseMetrics();
  // The Retention page's compact base; above EXACT_UP_TO customers its grid is drawn from the model-selection
  // sample's held-out scores (the whole base when it is no larger than the sample).
  const grid = campaignGrid(
    sample.base,
    sample.rows.map((r, i) => ({ probability: model.oofProbability[i], value: r.ltv })),
    o.exactUpTo,
  );
  const tables = await FoodTables.open(pub, {
    groups: model.shap.groups,
    customers: sample.base,
    grid,
    seed: o.seed,
    exactUpTo: o.exactUpTo,
  });
  const bySource: Record<Provenance["source"], number> = { llm: 0, cache: 0, fallback: 0 };
  // After the first batch, the message generator's per-call summary lines are left out (the totals follow at the
  // end); anything else it says (dropped cache entries, provider errors) is still logged.
  const quiet = (line: string) => {
    if (!SUMMARY_LINE.test(line)) o.log(line);
  };
  let first = 0;
  let inSample = 0;
  let layout: CampaignLayout;
  // Where the pass spends its time (logged): reading or generating, scoring + SHAP, messages, writing the tables.
  const seconds = { read: 0, score: 0, messages: 0, write: 0 };
  let clock = performance.now();
  const lap = (key: keyof typeof seconds) => {
    const now = performance.now();
    seconds[key] += (now - clock) / 1000;
    clock = now;
  };
  try {
    for await (const batch of batches) {
      lap("read");
      const s = scorer.score(batch, first);
      lap("score");
      const { messages, summary } = await generateMessages(
        "offer",
        batch.map((r, i) => ({
          id: s.ids[i],
          facts: {
            riskTier: riskTier(s.probability[i]),
            churnProbability: s.probability[i],
            ltv: r.ltv,
            drivers: driversOf(s, i, r as unknown as RawRow),
            profile: { membership: r.membership, city_tier: r.city_tier, avg_order_value: r.avg_order_value },
          },
        })),
        {
          log: first === 0 ? o.log : quiet,
          budget: eligible ? s.ids.filter((id) => eligible.has(id)).length : undefined,
        },
      );
      for (const key of Object.keys(bySource) as Provenance["source"][]) bySource[key] += summary.bySource[key];
      lap("messages");
      if (sample.sampled) {
        const member = new Set<number>();
        while (inSample < sample.index.length && sample.index[inSample] < first + batch.length)
          member.add(sample.index[inSample++] - first);
        base.add(batch, s, (i) => member.has(i));
      }
      await tables.add(batch, s, messages);
      first += batch.length;
      lap("write");
    }
    layout = await tables.close();
    lap("write");
  } finally {
    scorer.dispose();
  }
  o.log(
    `food: campaign cells: ${layout.cells} (${layout.individual} single customers), comparison sample ${layout.sampleRows}`,
  );
  o.log(`food: offers for ${first} customers: ${JSON.stringify(bySource)}`);
  const shown = Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`);
  o.log(`food: scoring pass over ${first} customers: ${shown.join(", ")}`);
  if (first !== sample.base) throw new Error(`food: the second pass read ${first} customers, the first ${sample.base}`);
  return { bySource, base };
}
