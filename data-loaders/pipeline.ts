/**
 * The whole build-time pipeline, in stages (docs/architecture.md):
 *   data (ingest + enrichment, generation) → model (cached: data-loaders/model-cache.ts) → messages → publish
 * into one folder that the pages attach (src/data/ for the site). Deterministic for given inputs and seed: no clock,
 * no unseeded randomness in anything it writes.
 */
import { foodSummary, telcoSummary } from "../src/lib/summaries.js";
import type { ModelArtifacts } from "../models/pipeline.js";
import {
  ARTIFACTS,
  type FoodCustomerRow,
  type MessageRow,
  type NudgeRow,
  type TelcoCustomerRow,
} from "../src/lib/artifacts.js";
import { specFor, type RawRow } from "../src/lib/features.js";
import { riskTier } from "../src/lib/tiers.js";
import { FOOD_TRUTH, foodRows, type FoodRecord } from "./food/generate.js";
import {
  generateMessages,
  providerIdentity,
  readEnv,
  resolveProvider,
  type Driver,
  type Message,
} from "./llm/index.js";
import { cachedModel } from "./model-cache.js";
import { Publication, refuseOut } from "./publish.js";
import { enrichTelco, telcoGroundTruth } from "./telco/enrich.js";
import { readTelco } from "./telco/ingest.js";
import { searchSummary, telcoNudgeItems } from "./telco/nudge-items.js";

export interface RunOptions {
  out: string;
  telcoCsv?: string;
  foodN: number;
  seed: number;
  /** Repeats of the models' 5-fold CV (3 for the published figures). */
  cvRepeats?: number;
  log?: (line: string) => void;
}

/** Who writes the LLM messages (provider, public base URL, model — never a credential): part of the cache key. */
export function llmIdentity(env = readEnv()): string {
  return providerIdentity(resolveProvider(env));
}

const DRIVERS_PER_ROW = 3;

/** Per-row scores appended to a data set's table (src/lib/columns.ts SCORE_COLUMNS). */
interface Scored {
  probability: number;
  oof_probability: number;
  oof_uncalibrated: number;
  oof_logistic: number;
  risk_tier: string;
  split: string;
  driver_1: string;
  driver_2: string;
  driver_3: string;
}

/** The source features that raise this row's risk most, strongest first ("" when fewer raise it). */
function topDrivers(model: ModelArtifacts, i: number, n = DRIVERS_PER_ROW): { index: number; value: number }[] {
  const g = model.shap.groups.length;
  return model.shap.groups
    .map((_, j) => ({ index: j, value: model.shap.values[i * g + j] }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.index - b.index)
    .slice(0, n);
}

function scoredRows(model: ModelArtifacts): Scored[] {
  return model.ids.map((_, i) => {
    const raising = topDrivers(model, i, model.shap.groups.length).filter((d) => d.value > 0);
    const name = (k: number) => (raising[k] ? model.shap.groups[raising[k].index] : "");
    return {
      probability: model.probability[i],
      oof_probability: model.oofProbability[i],
      oof_uncalibrated: model.oofUncalibrated[i],
      oof_logistic: model.oofLogistic[i],
      risk_tier: riskTier(model.probability[i]),
      split: model.split[i],
      driver_1: name(0),
      driver_2: name(1),
      driver_3: name(2),
    };
  });
}

/** SHAP in probability terms, one column per source feature, keyed by id (never by row position). */
function shapRows(model: ModelArtifacts): { customer_id: string }[] {
  const g = model.shap.groups.length;
  return model.ids.map((id, i) => {
    const row: Record<string, string | number> = { customer_id: id };
    model.shap.groups.forEach((group, j) => {
      row[group] = model.shap.values[i * g + j];
    });
    return row as { customer_id: string };
  });
}

/** The top SHAP drivers of row i (strongest first, either direction) with the row's values: what a nudge is written from. */
export function driversOf(model: ModelArtifacts, i: number, row: RawRow): Driver[] {
  return topDrivers(model, i).map(({ index, value }) => {
    const name = model.shap.groups[index];
    const raw = row[name];
    return {
      name,
      value: typeof raw === "number" ? raw : String(raw ?? ""),
      direction: value > 0 ? "raises" : "lowers",
      impact: value,
    };
  });
}

function messageRows(ids: string[], messages: Record<string, Message>): MessageRow[] {
  return ids.map((id) => {
    const { text, provenance: p } = messages[id];
    return {
      id,
      text,
      source: p.source,
      provider: p.provider ?? "",
      model: p.model ?? "",
      prompt_hash: p.promptHash ?? "",
      prompt_version: p.promptVersion ?? "",
      generated_at: p.generatedAt ?? "",
      reason: p.reason ?? "",
      template: p.template ?? "",
    };
  });
}

/** Nudge rows: the message rows plus the facts each names and the reason shown with it. */
function nudgeRows(ids: string[], messages: Record<string, Message>): NudgeRow[] {
  const rows = messageRows(ids, messages);
  return rows.map((row, i) => {
    const m = messages[ids[i]];
    return { ...row, facts: JSON.stringify(m.facts ?? []), because: m.because ?? "" };
  });
}

/** Metrics as written: wall-clock figures are logged, not stored (same inputs → same bytes). */
function publishedMetrics(model: ModelArtifacts, log: (line: string) => void): object {
  const { timings, ...metrics } = model.metrics;
  log(`${model.dataset}: timings ${JSON.stringify(timings)}`);
  return JSON.parse(JSON.stringify(metrics, (key, value) => (key === "seconds" ? undefined : value)));
}

type Dataset = "telco" | "food";
const MODEL_ARTIFACTS = {
  telco: {
    model: ARTIFACTS.telcoModel,
    onnx: ARTIFACTS.telcoOnnx,
    trees: ARTIFACTS.telcoTrees,
    metrics: ARTIFACTS.telcoMetrics,
    shap: ARTIFACTS.telcoShap,
  },
  food: {
    model: ARTIFACTS.foodModel,
    onnx: ARTIFACTS.foodOnnx,
    trees: ARTIFACTS.foodTrees,
    metrics: ARTIFACTS.foodMetrics,
    shap: ARTIFACTS.foodShap,
  },
} as const;

/** A data set's model files: XGBoost's JSON, ONNX, the trees, the metrics and per-customer SHAP. */
function publishModel(pub: Publication, name: Dataset, model: ModelArtifacts, log: (line: string) => void): void {
  const a = MODEL_ARTIFACTS[name];
  pub.binary(a.model, model.modelJson);
  pub.binary(a.onnx, model.onnx);
  pub.json(a.trees, model.trees);
  pub.json(a.metrics, publishedMetrics(model, log) as never);
  pub.table(a.shap, shapRows(model), model.shap.groups);
}

/** Each row with its scores appended. */
function withScores<T extends object>(model: ModelArtifacts, rows: readonly T[]): (T & Scored)[] {
  const scored = scoredRows(model);
  return rows.map((r, i) => ({ ...r, ...scored[i] }));
}

async function telcoStage(options: RunOptions, pub: Publication, log: (line: string) => void) {
  const telco = await readTelco({ path: options.telcoCsv });
  log(`telco: ${telco.rows.length} customers from ${telco.source} (sha256 ${telco.sha256.slice(0, 12)}…)`);
  const rows = enrichTelco(telco.rows, { seed: options.seed });
  const { model } = await cachedModel("telco", rows, { seed: options.seed, cvRepeats: options.cvRepeats ?? 3, log });
  const nudgeItems = await telcoNudgeItems(rows, model, (i) => driversOf(model, i, rows[i] as unknown as RawRow));
  log(`telco: retention offers: ${searchSummary(nudgeItems.searches)}`);
  const { messages, summary } = await generateMessages("nudge", nudgeItems.items, { log });
  log(`telco: nudges ${JSON.stringify(summary.bySource)}`);
  publishModel(pub, "telco", model, log);
  pub.table(ARTIFACTS.telcoCustomers, withScores(model, rows) satisfies TelcoCustomerRow[]);
  pub.table(ARTIFACTS.telcoNudges, nudgeRows(model.ids, messages));
  pub.json(ARTIFACTS.telcoAbTruth, telcoGroundTruth(rows));
  pub.json(ARTIFACTS.telcoSummary, telcoSummary(rows, model.probability));
  return { rows: rows.length, sha256: telco.sha256, source: telco.source, nudges: summary.bySource };
}

async function foodStage(options: RunOptions, pub: Publication, log: (line: string) => void) {
  const rows: FoodRecord[] = [...foodRows({ n: options.foodN, seed: options.seed })];
  log(`food: ${rows.length} generated customers`);
  const spec = specFor("food");
  const { model } = await cachedModel("food", rows, {
    seed: options.seed,
    cvRepeats: options.cvRepeats ?? 3,
    truth: FOOD_TRUTH.coefficients as Record<string, number>,
    log,
  });
  const { messages, summary } = await generateMessages(
    "offer",
    rows.map((r, i) => {
      return {
        id: String(r[spec.id as keyof FoodRecord]),
        facts: {
          riskTier: riskTier(model.probability[i]),
          churnProbability: model.probability[i],
          ltv: r.ltv,
          drivers: driversOf(model, i, r as unknown as RawRow),
          profile: { membership: r.membership, city_tier: r.city_tier, avg_order_value: r.avg_order_value },
        },
      };
    }),
    { log },
  );
  log(`food: offers ${JSON.stringify(summary.bySource)}`);
  publishModel(pub, "food", model, log);
  pub.table(ARTIFACTS.foodCustomers, withScores(model, rows) satisfies FoodCustomerRow[]);
  pub.table(ARTIFACTS.foodOffers, messageRows(model.ids, messages));
  pub.json(ARTIFACTS.foodTruth, FOOD_TRUTH);
  pub.json(ARTIFACTS.foodSummary, foodSummary(rows, model.probability));
  return { rows: rows.length, offers: summary.bySource };
}

/**
 * Runs everything and publishes into `options.out`, which must be empty, missing or an earlier pipeline output
 * (anything else is refused before any work). Returns the paths that changed.
 */
export async function runPipeline(options: RunOptions): Promise<string[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Checked before any training: a bad LLM setting or --out folder fails in a second, not after a minute.
  const llm = llmIdentity();
  const refusal = await refuseOut(options.out);
  if (refusal) throw new Error(`--out: ${refusal}`);
  const pub = new Publication(options.out);
  const telco = await telcoStage(options, pub, log);
  const food = await foodStage(options, pub, log);
  return pub.commit({
    seed: options.seed,
    telco: { rows: telco.rows, sha256: telco.sha256, nudges: telco.nudges },
    food: { rows: food.rows, offers: food.offers },
    llm,
  });
}
