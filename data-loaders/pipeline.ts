/**
 * The whole build-time pipeline, in stages (docs/architecture.md):
 *   data (ingest + enrichment, generation) → model (cached: data-loaders/model-cache.ts) → messages → publish
 * into one folder that the pages attach (src/data/ for the site). Deterministic for given inputs and seed: no clock,
 * no unseeded randomness in anything it writes.
 */
import { telcoSummary } from "../src/lib/summaries.js";
import type { ModelArtifacts } from "../models/pipeline.js";
import { ARTIFACTS, type NudgeRow, type TelcoCustomerRow } from "../src/lib/artifacts.js";
import type { RawRow } from "../src/lib/features.js";
import { fileSource } from "./food/ingest.js";
import { SAMPLE_SIZE } from "./food/sample.js";
import { generatorSource, type FoodSource } from "./food/source.js";
import { foodStage } from "./food/stage.js";
import { generateMessages, providerIdentity, readEnv, resolveProvider, type Message } from "./llm/index.js";
import { cachedModel } from "./model-cache.js";
import { Publication, refuseOut } from "./publish.js";
import { customerDetailRows, customerIndexRows } from "./telco/customer-pages.js";
import { driversOf, messageRows, publishedMetrics, shapRows, withScores } from "./scores.js";
import { enrichTelco, telcoGroundTruth } from "./telco/enrich.js";
import { readTelco } from "./telco/ingest.js";
import { publishTelcoPageTables, stagedPageSummaries } from "./telco/page-tables.js";
import { searchSummary, telcoNudgeItems } from "./telco/nudge-items.js";
import { stage } from "./util/stages.js";

export interface RunOptions {
  out: string;
  telcoCsv?: string;
  foodN: number;
  seed: number;
  /** Repeats of the models' 5-fold CV (3 for the published figures). */
  cvRepeats?: number;
  /** The food base: default the user's file when `foodFile` is set, else the generator with foodN customers. */
  foodSource?: FoodSource;
  /** The user's food-delivery base, CSV or Arrow IPC (FOOD_CSV; data-loaders/food/ingest.ts). */
  foodFile?: string;
  /** Size of the food model-selection sample (default SAMPLE_SIZE). */
  sampleSize?: number;
  /** Rows per step of the food scoring pass (default data-loaders/food/source.ts BATCH_SIZE). */
  batchSize?: number;
  log?: (line: string) => void;
}

/** Who writes the LLM messages (provider, public base URL, model — never a credential): part of the cache key. */
export function llmIdentity(env = readEnv()): string {
  return providerIdentity(resolveProvider(env));
}

export { driversOf } from "./scores.js";

/** Nudge rows: the message rows plus the facts each names and the reason shown with it. */
function nudgeRows(ids: string[], messages: Record<string, Message>): NudgeRow[] {
  const rows = messageRows(ids, messages);
  return rows.map((row, i) => {
    const m = messages[ids[i]];
    return { ...row, facts: JSON.stringify(m.facts ?? []), because: m.because ?? "" };
  });
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
  const customers = withScores(model, rows) satisfies TelcoCustomerRow[];
  const nudges = nudgeRows(model.ids, messages);
  pub.table(ARTIFACTS.telcoCustomers, customers);
  pub.table(ARTIFACTS.telcoNudges, nudges);
  // The customer page's own files: the finder's index and each customer in full, sharded by ID.
  pub.table(ARTIFACTS.telcoCustomerIndex, customerIndexRows(customers));
  const detail = customerDetailRows(customers, shapRows(model), nudges, model.shap.groups);
  pub.shards(ARTIFACTS.telcoCustomerDetail, detail.rows, detail.shapColumns);
  pub.json(ARTIFACTS.telcoAbTruth, telcoGroundTruth(rows));
  // The analysis pages' narrow tables, and their first charts' statistics beside the Overview's.
  publishTelcoPageTables(pub, customers);
  pub.json(ARTIFACTS.telcoSummary, { ...telcoSummary(rows, model.probability), ...(await stagedPageSummaries(pub)) });
  return { rows: rows.length, sha256: telco.sha256, source: telco.source, nudges: summary.bySource };
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
  try {
    return await publishAll(options, pub, log, llm);
  } catch (error) {
    await pub.discard();
    throw error;
  }
}

async function publishAll(options: RunOptions, pub: Publication, log: (line: string) => void, llm: string) {
  const telco = await stage("telco", log, () => telcoStage(options, pub, log));
  const food = await foodStage(
    {
      source:
        options.foodSource ??
        (options.foodFile ? fileSource(options.foodFile) : generatorSource(options.foodN, options.seed)),
      seed: options.seed,
      cvRepeats: options.cvRepeats ?? 3,
      sampleSize: options.sampleSize ?? SAMPLE_SIZE,
      batchSize: options.batchSize,
      log,
    },
    pub,
  );
  return stage("publish", log, () =>
    pub.commit({
      seed: options.seed,
      telco: { rows: telco.rows, sha256: telco.sha256, nudges: telco.nudges },
      food: { rows: food.rows, offers: food.offers },
      llm,
    }),
  );
}
