/**
 * The whole build-time pipeline: data → models → messages → artifacts in one folder (docs/architecture.md).
 * Deterministic for given inputs and seed: no clock, no unseeded randomness in anything it writes.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { buildModel, type ModelArtifacts } from "../models/pipeline.js";
import { specFor, type RawRow } from "../src/lib/features.js";
import { riskTier } from "../src/lib/tiers.js";
import { DEFAULT_ECONOMICS, offerCouponCap } from "../src/lib/profit.js";
import { rowsToArrowIPC, type ArrowColumns } from "./arrow.js";
import { FOOD_ARROW_COLUMNS, FOOD_TRUTH, foodRows, type FoodRecord } from "./food/generate.js";
import {
  generateMessages,
  providerIdentity,
  readEnv,
  resolveProvider,
  type Driver,
  type Message,
} from "./llm/index.js";
import { ENRICHED_TELCO_ARROW_COLUMNS } from "./telco/arrow-columns.js";
import { enrichTelco, telcoGroundTruth, type EnrichedTelcoRecord } from "./telco/enrich.js";
import { readTelco } from "./telco/ingest.js";

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

/** Per-row scores appended to a data set's table. */
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

const SCORED_COLUMNS: ArrowColumns<Scored> = [
  ["probability", "float64"],
  ["oof_probability", "float64"],
  ["oof_uncalibrated", "float64"],
  ["oof_logistic", "float64"],
  ["risk_tier", "utf8"],
  ["split", "utf8"],
  ["driver_1", "utf8"],
  ["driver_2", "utf8"],
  ["driver_3", "utf8"],
];

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
function shapTable(model: ModelArtifacts, idColumn: string): Uint8Array {
  const g = model.shap.groups.length;
  const rows = model.ids.map((id, i) => {
    const row: Record<string, string | number> = { [idColumn]: id };
    model.shap.groups.forEach((group, j) => (row[group] = model.shap.values[i * g + j]));
    return row;
  });
  const columns = [
    [idColumn, "utf8"],
    ...model.shap.groups.map((group) => [group, "float64"]),
  ] as unknown as ArrowColumns<Record<string, string | number>>;
  return rowsToArrowIPC(rows, columns);
}

function driversOf(model: ModelArtifacts, i: number, row: RawRow): Driver[] {
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

interface MessageRow {
  id: string;
  text: string;
  source: string;
  provider: string;
  model: string;
  prompt_hash: string;
  prompt_version: string;
  generated_at: string;
  reason: string;
  template: string;
}

const MESSAGE_COLUMNS: ArrowColumns<MessageRow> = [
  ["id", "utf8"],
  ["text", "utf8"],
  ["source", "utf8"],
  ["provider", "utf8"],
  ["model", "utf8"],
  ["prompt_hash", "utf8"],
  ["prompt_version", "utf8"],
  ["generated_at", "utf8"],
  ["reason", "utf8"],
  ["template", "utf8"],
];

function messageTable(ids: string[], messages: Record<string, Message>): Uint8Array {
  return rowsToArrowIPC(
    ids.map((id) => {
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
    }),
    MESSAGE_COLUMNS,
  );
}

async function put(out: string, path: string, data: Uint8Array | string | object): Promise<void> {
  const file = join(out, path);
  await mkdir(dirname(file), { recursive: true });
  const bytes = data instanceof Uint8Array || typeof data === "string" ? data : `${JSON.stringify(data, null, 1)}\n`;
  await writeFile(file, bytes);
}

/** Metrics as written: wall-clock figures are logged, not stored (same inputs → same bytes). */
function publishedMetrics(model: ModelArtifacts, log: (line: string) => void): object {
  const { timings, ...metrics } = model.metrics;
  log(`${model.dataset}: timings ${JSON.stringify(timings)}`);
  return JSON.parse(JSON.stringify(metrics, (key, value) => (key === "seconds" ? undefined : value)));
}

async function writeModel(out: string, model: ModelArtifacts, log: (line: string) => void): Promise<void> {
  const name = model.dataset;
  await put(out, `${name}/model.json`, model.modelJson);
  await put(out, `${name}/model.onnx`, model.onnx);
  await put(out, `${name}/trees.json`, model.trees);
  await put(out, `${name}/metrics.json`, publishedMetrics(model, log));
  await put(out, `${name}/shap.arrow`, shapTable(model, "customer_id"));
}

/** A data set's model, its rows with their scores, and its messages, under `${model.dataset}/`. */
async function writeDataset<T extends object>(
  out: string,
  model: ModelArtifacts,
  rows: readonly T[],
  columns: ArrowColumns<T>,
  messages: { file: string; byId: Record<string, Message> },
  log: (line: string) => void,
): Promise<void> {
  await writeModel(out, model, log);
  const scored = scoredRows(model);
  const table = rowsToArrowIPC(
    rows.map((r, i) => ({ ...r, ...scored[i] })),
    [...columns, ...SCORED_COLUMNS] as ArrowColumns<T & Scored>,
  );
  await put(out, `${model.dataset}/customers.arrow`, table);
  await put(out, `${model.dataset}/${messages.file}`, messageTable(model.ids, messages.byId));
}

async function telcoStage(options: RunOptions, log: (line: string) => void) {
  const telco = await readTelco({ path: options.telcoCsv });
  log(`telco: ${telco.rows.length} customers from ${telco.source} (sha256 ${telco.sha256.slice(0, 12)}…)`);
  const rows = enrichTelco(telco.rows, { seed: options.seed });
  const model = await buildModel("telco", rows, {
    seed: options.seed,
    cvRepeats: options.cvRepeats,
    log,
  });
  const { messages, summary } = await generateMessages(
    "nudge",
    rows.map((r, i) => ({
      id: r.customer_id,
      facts: {
        riskTier: riskTier(model.probability[i]),
        churnProbability: model.probability[i],
        persona: r.persona,
        tenureMonths: r.tenure,
        contract: r.contract,
        supportCalls: r.support_calls,
        paymentDelayDays: r.payment_delay_days,
        abVariant: r.ab_variant,
        drivers: driversOf(model, i, r as unknown as RawRow),
        profile: {
          internet_service: r.internet_service,
          payment_method: r.payment_method,
          monthly_charges: r.monthly_charges,
          subscription_type: r.subscription_type,
        },
      },
    })),
    { log },
  );
  log(`telco: nudges ${JSON.stringify(summary.bySource)}`);
  const columns = ENRICHED_TELCO_ARROW_COLUMNS as ArrowColumns<EnrichedTelcoRecord>;
  await writeDataset(options.out, model, rows, columns, { file: "nudges.arrow", byId: messages }, log);
  await put(options.out, "telco/ab-truth.json", telcoGroundTruth(rows));
  return { rows: rows.length, sha256: telco.sha256, source: telco.source, nudges: summary.bySource };
}

async function foodStage(options: RunOptions, log: (line: string) => void) {
  const rows: FoodRecord[] = [...foodRows({ n: options.foodN, seed: options.seed })];
  log(`food: ${rows.length} generated customers`);
  const spec = specFor("food");
  const model = await buildModel("food", rows, {
    seed: options.seed,
    cvRepeats: options.cvRepeats,
    truth: FOOD_TRUTH.coefficients as Record<string, number>,
    log,
  });
  const economics = DEFAULT_ECONOMICS;
  const { messages, summary } = await generateMessages(
    "offer",
    rows.map((r, i) => {
      const cap = offerCouponCap(model.probability[i], r.ltv, economics);
      return {
        id: String(r[spec.id as keyof FoodRecord]),
        facts: {
          riskTier: riskTier(model.probability[i]),
          churnProbability: model.probability[i],
          ltv: r.ltv,
          economics: {
            couponCostCap: cap,
            maxDiscountPercent: r.avg_order_value > 0 ? Math.floor((100 * cap) / r.avg_order_value) : 0,
          },
          drivers: driversOf(model, i, r as unknown as RawRow),
          profile: { membership: r.membership, city_tier: r.city_tier, avg_order_value: r.avg_order_value },
        },
      };
    }),
    { log },
  );
  log(`food: offers ${JSON.stringify(summary.bySource)}`);
  await writeDataset(options.out, model, rows, FOOD_ARROW_COLUMNS, { file: "offers.arrow", byId: messages }, log);
  await put(options.out, "food/truth.json", FOOD_TRUTH);
  return { rows: rows.length, offers: summary.bySource };
}

/** Runs everything into `options.out` (which should be empty or missing). */
export async function runPipeline(options: RunOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // The LLM settings are checked before any training: a bad URL fails in a second, not after a minute.
  const llm = llmIdentity();
  await mkdir(options.out, { recursive: true });
  const telco = await telcoStage(options, log);
  const food = await foodStage(options, log);
  await put(options.out, "manifest.json", {
    seed: options.seed,
    telco: { rows: telco.rows, sha256: telco.sha256, nudges: telco.nudges },
    food: { rows: food.rows, offers: food.offers },
    llm,
  });
}
