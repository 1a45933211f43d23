/**
 * Writes a built model as SQL for a warehouse (docs/scale.md, "Scoring and aggregating in a warehouse").
 *   npx tsx scripts/export-sql.ts --model DIR/telco/model.json [--metrics DIR/telco/metrics.json] [--dataset telco]
 *       [--dialect ansi|spark|bigquery|snowflake] [--table customers] [--scored scored]
 *       [--label churn | --no-label] [--value ltv]
 *       [--bins 1000] [--top 1000] [--chunk 20] [--only create|score|histogram|top|unscored] > telco.sql
 * The Platt parameters come from metrics.json (.calibration.platt), beside model.json unless --metrics is given;
 * the data set from --dataset, else metrics.json's. Output: the whole script, or one statement with --only.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { specFor } from "../src/lib/features.js";
import {
  createTableSql,
  dialectFor,
  exportSql,
  histogramSql,
  scoreTableSql,
  topSql,
  unscoredSql,
  type ScoringOptions,
} from "../models/sql.js";
import { parseXgboostJson } from "../models/trees.js";

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    metrics: { type: "string" },
    dataset: { type: "string" },
    dialect: { type: "string", default: "ansi" },
    table: { type: "string" },
    scored: { type: "string" },
    label: { type: "string" },
    "no-label": { type: "boolean" },
    value: { type: "string" },
    bins: { type: "string" },
    top: { type: "string" },
    chunk: { type: "string" },
    only: { type: "string" },
  },
});

/** A positive integer option, naming the bad value. */
function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

try {
  if (!values.model) throw new Error("usage: npx tsx scripts/export-sql.ts --model DIR/<dataset>/model.json [options]");
  const metricsPath = values.metrics ?? join(dirname(values.model), "metrics.json");
  const model = parseXgboostJson(await readFile(values.model));
  const metrics = JSON.parse(await readFile(metricsPath, "utf8"));
  const platt = metrics?.calibration?.platt;
  if (!(Number.isFinite(platt?.a) && Number.isFinite(platt?.b)))
    throw new Error(`${metricsPath}: no calibration.platt {a, b} (got ${JSON.stringify(platt)})`);
  const dataset = values.dataset ?? metrics.dataset;
  if (dataset !== "telco" && dataset !== "food")
    throw new Error(`--dataset must be telco or food, got ${JSON.stringify(dataset)}`);
  if (metrics.dataset && metrics.dataset !== dataset)
    throw new Error(`--dataset ${dataset} but ${metricsPath} is the ${metrics.dataset} model`);
  const spec = specFor(dataset);
  const options: ScoringOptions = {
    dialect: dialectFor(values.dialect!),
    table: values.table,
    scored: values.scored,
    label: values["no-label"] ? null : values.label,
    value: values.value,
    bins: count("bins", values.bins),
    top: count("top", values.top),
    chunk: count("chunk", values.chunk),
  };
  const statements: Record<string, () => string> = {
    create: () => createTableSql(spec, options),
    score: () => scoreTableSql(spec, model, platt, options),
    unscored: () => unscoredSql(spec, options),
    histogram: () => histogramSql(spec, options),
    top: () => topSql(spec, options),
  };
  if (values.only !== undefined && !statements[values.only])
    throw new Error(`--only must be one of ${Object.keys(statements).join(", ")}, got ${values.only}`);
  const sql = values.only ? statements[values.only]() : exportSql(spec, model, platt, options);
  process.stdout.write(`${sql}${values.only ? ";" : ""}\n`);
} catch (error) {
  process.stderr.write(`export-sql failed: ${(error as Error).message}\n`);
  process.exit(1);
}
