/**
 * The contract between the pipeline and the pages: every file the pipeline publishes into `src/data/`, with its
 * columns and types (tables) or its shape (JSON). The pipeline writes through it (data-loaders/publish.ts checks
 * every table against its declaration and names the artifact on a mismatch), the pages and embeds read through it
 * (src/lib/data.ts checks the schema on load), and the type checker holds both sides to the same row types.
 * Browser-safe: no Node imports (types from the model side are erased).
 */
import type { FoodSummary, TelcoSummary } from "./summaries.js";
import type { CampaignLayout } from "./campaign-cells.js";
import type { ModelMetrics } from "../../models/pipeline.js";
import type { FoodTruth } from "../../data-loaders/food/truth.js";
import type { TelcoGroundTruth } from "../../data-loaders/telco/enrich.js";
import { type ArrowType, type Column, FOOD_COLUMNS, SCORE_COLUMNS, TELCO_COLUMNS } from "./columns.js";
import type { TreesJson } from "./treeshap.js";
import { shardFile } from "./customer-shards.js";

/** An ordered column list: [name, Arrow type]. */
export type ColumnList = readonly (readonly [string, ArrowType])[];

type ValueOf<T extends ArrowType> = T extends "utf8" ? string : T extends "bool" ? boolean : number;
/** The row type a column list declares: { name: string | number | boolean }. */
export type RowOf<C extends ColumnList> = { [E in C[number] as E[0]]: ValueOf<E[1]> };

/** [name, type] pairs of a column table, keeping the literal types for RowOf. */
function pairs<const C extends readonly Column[]>(
  columns: C,
): { readonly [K in keyof C]: readonly [C[K]["name"], C[K]["type"]] } {
  return columns.map((c) => [c.name, c.type] as const) as never;
}

export interface TableArtifact<C extends ColumnList = ColumnList> {
  kind: "arrow";
  /** path under src/data/ (FileAttachment("../data/<path>") from a page one level down) */
  path: string;
  columns: C;
  /** extra float64 columns whose names come from the model (one per feature), after `columns` */
  perFeature?: "float64";
  description: string;
}
/**
 * A table split into `shards` files, `<path>/00.arrow` … (src/lib/customer-shards.ts: a customer's file is a stable
 * hash of their ID), so a page that shows one customer downloads one file. Each file is a table of the declared
 * columns; `shardArtifact` gives one file's declaration.
 */
export interface ShardedTableArtifact<C extends ColumnList = ColumnList> {
  kind: "arrow-shards";
  /** folder under src/data/ */
  path: string;
  shards: number;
  columns: C;
  /** extra float64 columns whose names come from the model (one per feature), after `columns` */
  perFeature?: "float64";
  description: string;
}
export interface JsonArtifact<T> {
  kind: "json";
  path: string;
  /** top-level keys that must be present (checked on write and on load) */
  required: readonly (keyof T & string)[];
  description: string;
}
export interface BinaryArtifact {
  kind: "binary";
  path: string;
  description: string;
}

/** The enriched Telco table's columns as the data stage makes them (before the scores). */
export const TELCO_DATA_COLUMNS = pairs(TELCO_COLUMNS);
/** The food-delivery table's columns as the generator makes them (before the scores). */
export const FOOD_DATA_COLUMNS = pairs(FOOD_COLUMNS);
const telcoTable = [...TELCO_DATA_COLUMNS, ...pairs(SCORE_COLUMNS)] as const;
const foodTable = [...FOOD_DATA_COLUMNS, ...pairs(SCORE_COLUMNS)] as const;

type TelcoColumn = (typeof telcoTable)[number];
/** Some of the Telco table's columns, in the order given, with the types telco/customers.arrow declares. */
function telcoColumns<const N extends readonly TelcoColumn[0][]>(
  ...names: N
): { readonly [K in keyof N]: Extract<TelcoColumn, readonly [N[K], ArrowType]> } {
  return names.map((n) => telcoTable.find(([name]) => name === n)!) as never;
}
/**
 * The narrow Telco tables: one row per customer in telco/customers.arrow's order, only the columns a page's views
 * read, so a page that shows rows downloads tens of kilobytes instead of the whole table.
 */
const ENGAGEMENT_COLUMNS = telcoColumns(
  "usage_frequency",
  "payment_delay_days",
  "support_calls",
  "tenure",
  "contract",
  "ab_variant",
  "risk_tier",
  "persona",
  "churn",
  "churn_observed",
);
const EXPERIMENT_COLUMNS = telcoColumns(
  "customer_id",
  "persona",
  "contract",
  "ab_variant",
  "churn_observed",
  "oof_probability",
  "true_effect",
);
const TELCO_CAMPAIGN_COLUMNS = telcoColumns(
  "customer_id",
  "contract",
  "tenure",
  "monthly_charges",
  "churn",
  "oof_probability",
  "oof_uncalibrated",
  "oof_logistic",
);

export const MESSAGE_COLUMNS = [
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
] as const satisfies ColumnList;

/** A nudge adds the facts it names (JSON: [{key, value, phrase}], each true of its customer) and why it was sent. */
const NUDGE_COLUMNS = [...MESSAGE_COLUMNS, ["facts", "utf8"], ["because", "utf8"]] as const satisfies ColumnList;

const SHAP_ID = [["customer_id", "utf8"]] as const satisfies ColumnList;

/** The Retention page's compact base (src/lib/campaign-cells.ts): one row per cell. */
export const CAMPAIGN_CELL_COLUMNS = [
  ["count", "int32"],
  ["probability", "float64"],
  ["value", "float64"],
  ["churned", "float64"],
  ["churned_value", "float64"],
  ["row", "int32"],
  ["cell", "int32"],
] as const satisfies ColumnList;
/** The customers the targeting table and offer cards can show (those kept as single cells), with their offer. */
const CAMPAIGN_ROW_COLUMNS = [
  ["row", "int32"],
  ["customer_id", "utf8"],
  ["driver_1", "utf8"],
  ["driver_2", "utf8"],
  ["driver_3", "utf8"],
  ["text", "utf8"],
  ["source", "utf8"],
  ["provider", "utf8"],
  ["model", "utf8"],
  ["prompt_version", "utf8"],
  ["template", "utf8"],
] as const satisfies ColumnList;
/** What the targeting list download needs of every customer (the page reads no other row-level food table). */
const LIST_COLUMNS = [
  ["customer_id", "utf8"],
  ["oof_probability", "float64"],
  ["ltv", "float64"],
  ["driver_1", "utf8"],
  ["driver_2", "utf8"],
  ["driver_3", "utf8"],
  ["text", "utf8"],
  ["source", "utf8"],
] as const satisfies ColumnList;
const listPart = (part: 1 | 2): TableArtifact<typeof LIST_COLUMNS> => ({
  kind: "arrow",
  path: `food/list-${part}.arrow`,
  columns: LIST_COLUMNS,
  description:
    `customers ${part === 1 ? "1 to 1,000,000" : "1,000,001 to 2,000,000"} of the base, for the targeting list ` +
    "download (empty when the base has more than 2,000,000: no browser assembles a list that large)",
});
/** A seeded uniform sample of the base with every model's held-out score, for the model comparison's bootstrap. */
const CAMPAIGN_SAMPLE_COLUMNS = [
  ["row", "int32"],
  ["oof_probability", "float64"],
  ["oof_uncalibrated", "float64"],
  ["oof_logistic", "float64"],
  ["ltv", "float64"],
  ["churned", "float64"],
] as const satisfies ColumnList;

/** Columns renamed with a prefix, keeping their literal types for RowOf ("text" → "nudge_text"). */
function prefixed<const P extends string, const C extends ColumnList>(
  prefix: P,
  columns: C,
): { readonly [K in keyof C]: readonly [`${P}${C[K][0]}`, C[K][1]] } {
  return columns.map(([name, type]) => [`${prefix}${name}`, type] as const) as never;
}

/** What the customer finder shows and searches (one row per Telco customer): the ID, the segment, the score. */
export const CUSTOMER_INDEX_COLUMNS = [
  ["customer_id", "utf8"],
  ["persona", "utf8"],
  ["contract", "utf8"],
  ["tenure", "int32"],
  ["monthly_charges", "float64"],
  ["oof_probability", "float64"],
  ["ab_variant", "utf8"],
] as const satisfies ColumnList;

/**
 * The prefix of the SHAP columns in the customer detail files (`shap_tenure`, …: one per source feature, in probability
 * terms as in shap.arrow), named apart from the customer's own columns of the same feature.
 */
export const DETAIL_SHAP_PREFIX = "shap_";
/**
 * One Telco customer in full for the customer page: the customers.arrow row, the expected further months if kept
 * (src/lib/remaining-value.ts, fitted on the whole base at build time), the nudge (nudges.arrow's columns but the ID,
 * prefixed `nudge_`) and, after these, the SHAP values (DETAIL_SHAP_PREFIX).
 */
const detailColumns = [
  ...telcoTable,
  ["remaining_months", "float64"],
  ...prefixed("nudge_", NUDGE_COLUMNS.slice(1) as unknown as NudgeColumnsButId),
] as const;
type NudgeColumnsButId = typeof NUDGE_COLUMNS extends readonly [unknown, ...infer Rest extends ColumnList]
  ? Rest
  : never;

/**
 * Shards of the customer detail: 64 files of 92–135 customers (7,043 Telco customers), about 45 KB each as NGINX sends
 * them (gzip; the whole detail is 2.3 MB). Opening a customer downloads the index and one shard. Fewer shards make the
 * file opened larger (32: about 84 KB); more add files and per-file overhead (each file repeats the 75-column schema,
 * about 9 KB before compression) for less gain (128: about 24 KB each, 3.0 MB in all against 2.8 MB at 64).
 */
export const TELCO_DETAIL_SHARDS = 64;

/**
 * Metrics as published: wall-clock figures are logged, never stored (same inputs → same bytes). `scale` is present
 * only for a food base larger than the model-selection sample (models/pipeline.ts ScaleReport).
 */
export type PublishedMetrics = Omit<ModelMetrics, "timings">;

/** What the build says about itself: the site shows it and tests read it. */
export interface Manifest {
  generator: "retention-lab pipeline";
  seed: number;
  telco: { rows: number; sha256: string; nudges: Record<string, number> };
  food: { rows: number; offers: Record<string, number> };
  /** who wrote the LLM messages: provider|public base URL|model, or "none" (never a credential) */
  llm: string;
  /** every other artifact, path → sha256 */
  files: Record<string, string>;
}

const metricsArtifact = (dataset: string): JsonArtifact<PublishedMetrics> => ({
  kind: "json",
  path: `${dataset}/metrics.json`,
  required: ["dataset", "rows", "features", "model", "calibration", "cv", "test", "shap", "logistic"],
  description:
    "model metrics: tuning, calibration, cross-validation, the test split, SHAP summaries; for a base larger than the " +
    "model-selection sample, `scale` says which rows each figure comes from and adds the whole base's figures",
});
const treesArtifact = (dataset: string): JsonArtifact<TreesJson> => ({
  kind: "json",
  path: `${dataset}/trees.json`,
  required: ["format", "trees", "platt", "featureNames", "featureGroups"],
  description: "the booster's trees for TreeSHAP in the browser",
});

const shapArtifact = (dataset: string): TableArtifact<typeof SHAP_ID> => ({
  kind: "arrow",
  path: `${dataset}/shap.arrow`,
  columns: SHAP_ID,
  perFeature: "float64",
  description: "SHAP in probability terms, one column per source feature",
});
const messagesArtifact = (path: string, description: string): TableArtifact<typeof MESSAGE_COLUMNS> => ({
  kind: "arrow",
  path,
  columns: MESSAGE_COLUMNS,
  description,
});

export const ARTIFACTS = {
  manifest: {
    kind: "json",
    path: "manifest.json",
    required: ["generator", "seed", "telco", "food", "llm", "files"],
    description: "what the build was made from",
  } satisfies JsonArtifact<Manifest>,
  telcoCustomers: {
    kind: "arrow",
    path: "telco/customers.arrow",
    columns: telcoTable,
    description: "the enriched Telco customers with their scores",
  } satisfies TableArtifact,
  telcoShap: shapArtifact("telco"),
  telcoNudges: {
    kind: "arrow",
    path: "telco/nudges.arrow",
    columns: NUDGE_COLUMNS,
    description: "one retention nudge per Telco customer, with provenance, the facts it names and why",
  } satisfies TableArtifact<typeof NUDGE_COLUMNS>,
  telcoCustomerIndex: {
    kind: "arrow",
    path: "telco/customer-index.arrow",
    columns: CUSTOMER_INDEX_COLUMNS,
    description: "what the customer finder shows and searches, one row per Telco customer",
  } satisfies TableArtifact<typeof CUSTOMER_INDEX_COLUMNS>,
  telcoCustomerDetail: {
    kind: "arrow-shards",
    path: "telco/customer-detail",
    shards: TELCO_DETAIL_SHARDS,
    columns: detailColumns,
    perFeature: "float64",
    description:
      "one Telco customer in full (row, value if kept, nudge, SHAP) for the customer page, sharded by a hash of the ID",
  } satisfies ShardedTableArtifact<typeof detailColumns>,
  telcoMetrics: metricsArtifact("telco"),
  telcoTrees: treesArtifact("telco"),
  telcoOnnx: { kind: "binary", path: "telco/model.onnx", description: "the Telco model for onnxruntime-web" },
  telcoModel: { kind: "binary", path: "telco/model.json", description: "the Telco booster as XGBoost saved it" },
  telcoAbTruth: {
    kind: "json",
    path: "telco/ab-truth.json",
    required: ["overall", "by_persona", "by_contract", "observed"],
    description: "the simulated experiment's ground truth",
  } satisfies JsonArtifact<TelcoGroundTruth>,
  foodCustomers: {
    kind: "arrow",
    path: "food/customers.arrow",
    columns: foodTable,
    description: "the food-delivery customers with their scores",
  } satisfies TableArtifact,
  foodShap: shapArtifact("food"),
  foodCampaign: {
    kind: "json",
    path: "food/campaign.json",
    required: [
      "customers",
      "cells",
      "individual",
      "listed",
      "listedFirst",
      "exactUpTo",
      "depth",
      "grid",
      "sampleFraction",
      "sampleRows",
    ],
    description: "how the Retention page's compact base was made: cells, the customers kept individually, the grid",
  } satisfies JsonArtifact<CampaignLayout>,
  foodCampaignCells: {
    kind: "arrow",
    path: "food/campaign-cells.arrow",
    columns: CAMPAIGN_CELL_COLUMNS,
    description: "the food base as cells of similar customers with their sums (single customers up to 25,000)",
  } satisfies TableArtifact<typeof CAMPAIGN_CELL_COLUMNS>,
  foodCampaignRows: {
    kind: "arrow",
    path: "food/campaign-rows.arrow",
    columns: CAMPAIGN_ROW_COLUMNS,
    description:
      "the first 1,000 customers of the expected-profit ranking at the page's default economics, with drivers and offer",
  } satisfies TableArtifact<typeof CAMPAIGN_ROW_COLUMNS>,
  foodCampaignMoreRows: {
    kind: "arrow",
    path: "food/campaign-rows-more.arrow",
    columns: CAMPAIGN_ROW_COLUMNS,
    description: "the other kept customers: loaded when the economics move the targeting table to them",
  } satisfies TableArtifact<typeof CAMPAIGN_ROW_COLUMNS>,
  foodList1: listPart(1),
  foodList2: listPart(2),
  foodCampaignSample: {
    kind: "arrow",
    path: "food/campaign-sample.arrow",
    columns: CAMPAIGN_SAMPLE_COLUMNS,
    description: "a seeded uniform sample (all customers up to 20,000) with every model's held-out score",
  } satisfies TableArtifact<typeof CAMPAIGN_SAMPLE_COLUMNS>,
  foodOffers: messagesArtifact("food/offers.arrow", "one retention offer per food-delivery customer, with provenance"),
  foodMetrics: metricsArtifact("food"),
  foodTrees: treesArtifact("food"),
  foodOnnx: { kind: "binary", path: "food/model.onnx", description: "the food-delivery model for onnxruntime-web" },
  foodModel: { kind: "binary", path: "food/model.json", description: "the food booster as XGBoost saved it" },
  telcoSummary: {
    kind: "json",
    path: "telco/summary.json",
    required: ["kpi", "contract", "persona", "tenure", "risk", "personaProfiles", "personaShap", "abArms", "abOverall"],
    description: "the Overview's figures, the persona profiles and drivers, the A/B arms (src/lib/summaries.ts)",
  } satisfies JsonArtifact<TelcoSummary>,
  telcoEngagement: {
    kind: "arrow",
    path: "telco/engagement.arrow",
    columns: ENGAGEMENT_COLUMNS,
    description: "the engagement dashboard's columns of every Telco customer",
  } satisfies TableArtifact<typeof ENGAGEMENT_COLUMNS>,
  telcoExperiment: {
    kind: "arrow",
    path: "telco/experiment.arrow",
    columns: EXPERIMENT_COLUMNS,
    description: "the A/B test page's columns of every Telco customer (arm, strata, outcome, held-out risk, truth)",
  } satisfies TableArtifact<typeof EXPERIMENT_COLUMNS>,
  telcoCampaign: {
    kind: "arrow",
    path: "telco/campaign.arrow",
    columns: TELCO_CAMPAIGN_COLUMNS,
    description: "the Telco Retention page's columns of every customer (value model, held-out scores, outcome)",
  } satisfies TableArtifact<typeof TELCO_CAMPAIGN_COLUMNS>,
  foodSummary: {
    kind: "json",
    path: "food/summary.json",
    required: ["kpi", "recency", "cityTier", "risk"],
    description: "the Overview's figures of the food-delivery customers (src/lib/summaries.ts)",
  } satisfies JsonArtifact<FoodSummary>,
  foodTruth: {
    kind: "json",
    path: "food/truth.json",
    required: ["intercept", "coefficients", "transforms"],
    description: "the generator's logistic ground truth",
  } satisfies JsonArtifact<FoodTruth>,
} as const;

export type ArtifactName = keyof typeof ARTIFACTS;
export type TelcoCustomerRow = RowOf<typeof telcoTable>;
export type FoodCustomerRow = RowOf<typeof foodTable>;
export type MessageRow = RowOf<typeof MESSAGE_COLUMNS>;
export type NudgeRow = RowOf<typeof NUDGE_COLUMNS>;
export type CampaignCellRow = RowOf<typeof CAMPAIGN_CELL_COLUMNS>;
export type CampaignRowRow = RowOf<typeof CAMPAIGN_ROW_COLUMNS>;
export type CampaignSampleRow = RowOf<typeof CAMPAIGN_SAMPLE_COLUMNS>;
export type ListRow = RowOf<typeof LIST_COLUMNS>;
export type CustomerIndexRow = RowOf<typeof CUSTOMER_INDEX_COLUMNS>;
export type CustomerDetailRow = RowOf<typeof detailColumns>;

/** One shard's file of a sharded table, declared as a table of its own. */
export function shardArtifact<C extends ColumnList>(
  artifact: ShardedTableArtifact<C>,
  shard: number,
): TableArtifact<C> {
  if (!(Number.isInteger(shard) && shard >= 0 && shard < artifact.shards))
    throw new Error(`${artifact.path}: no shard ${shard} (0 to ${artifact.shards - 1})`);
  const { columns, perFeature, description } = artifact;
  return { kind: "arrow", path: `${artifact.path}/${shardFile(shard)}`, columns, perFeature, description };
}

/** The files an artifact is published as: its path, or for a sharded table one path per shard. */
export function artifactPaths(artifact: { kind: string; path: string; shards?: number }): string[] {
  if (artifact.kind !== "arrow-shards") return [artifact.path];
  return Array.from({ length: artifact.shards ?? 0 }, (_, i) => `${artifact.path}/${shardFile(i)}`);
}

/**
 * Checks a table's schema against its declaration: every declared column present with its type, in order, and for a
 * per-feature table only float64 columns after them. Returns the problems (empty = valid), each naming the artifact.
 */
export function schemaProblems(
  artifact: TableArtifact,
  fields: readonly { name: string; type: ArrowType | string }[],
): string[] {
  const problems: string[] = [];
  const where = (what: string) => `${artifact.path}: ${what}`;
  artifact.columns.forEach(([name, type], i) => {
    const field = fields[i];
    if (!field || field.name !== name) {
      const found = fields.find((f) => f.name === name);
      problems.push(where(found ? `column ${name} is not at position ${i + 1}` : `column ${name} is missing`));
    } else if (field.type !== type) {
      problems.push(where(`column ${name} is ${field.type}, declared ${type}`));
    }
  });
  const extra = fields.slice(artifact.columns.length);
  if (artifact.perFeature) {
    for (const f of extra) if (f.type !== "float64") problems.push(where(`column ${f.name} is ${f.type}, not float64`));
  } else if (extra.length) {
    problems.push(where(`undeclared column(s): ${extra.map((f) => f.name).join(", ")}`));
  }
  return problems;
}

/** Checks a JSON artifact's top-level keys; returns the problems, each naming the artifact. */
export function jsonProblems<T>(artifact: JsonArtifact<T>, value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${artifact.path}: not an object`];
  return artifact.required
    .filter((key) => !(key in (value as object)))
    .map((key) => `${artifact.path}: missing key "${key}"`);
}
