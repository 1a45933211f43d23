/**
 * Portable SQL for scoring and aggregating in the user's own engine (a warehouse, DuckDB, PostgreSQL):
 *   probability = σ(a · (base margin + Σ trees) + b), one SELECT over the raw columns of a customers table.
 * The encoder's numeric step (number → double → float32) runs once per row in the query's first stage; the rest of
 * the encoder is folded into the splits: a split on a one-hot, binary or ordinal column becomes a set test on the
 * raw column (which levels go left is decided here with the spec's own encoder), a split on a numeric column a
 * comparison. Missing (NULL) follows default_left, as NaN does in XGBoost.
 *
 * Exactness (docs/scale.md): XGBoost compares float32 features with float32 thresholds and adds the leaves in
 * float32, base margin first, tree by tree. Engines with a 32-bit float (PostgreSQL and DuckDB REAL, Spark FLOAT)
 * get the same: features cast to it, thresholds and leaves written as their exact float32 values, the margin
 * summed in it, in tree order. Engines without one (BigQuery, Snowflake) compare the double feature with the
 * double cut point equivalent to the float32 comparison (exact), and sum in double (within about 1e-6).
 */
import { encodeRow, type Field, type FeatureSpec } from "../src/lib/features.js";
import type { Platt } from "./calibrate.js";
import type { ParsedModel } from "./trees.js";

/** Type names of one SQL dialect; float32 = null when the engine has no 32-bit float. */
export interface SqlDialect {
  name: string;
  float32: string | null;
  float64: string;
  text: string;
}

/** Known dialects. "ansi" runs unchanged on PostgreSQL and DuckDB (both tested), as does "snowflake". */
export const DIALECTS = {
  ansi: { name: "ansi", float32: "REAL", float64: "DOUBLE PRECISION", text: "VARCHAR(64)" },
  spark: { name: "spark", float32: "FLOAT", float64: "DOUBLE", text: "STRING" },
  bigquery: { name: "bigquery", float32: null, float64: "FLOAT64", text: "STRING" },
  snowflake: { name: "snowflake", float32: null, float64: "DOUBLE PRECISION", text: "VARCHAR(64)" },
} satisfies Record<string, SqlDialect>;

/** The dialect of a name, naming the bad value. */
export function dialectFor(name: string): SqlDialect {
  const dialect = (DIALECTS as Record<string, SqlDialect>)[name];
  if (!dialect) throw new Error(`unknown SQL dialect: ${name} (expected one of ${Object.keys(DIALECTS).join(", ")})`);
  return dialect;
}

// Bare identifiers are the only spelling every engine reads alike (no quoting: "x" in ANSI, `x` in Spark/BigQuery).
const IDENT = /^[a-z_][a-z0-9_]*$/;

/** An identifier written bare; anything that would need quoting is refused. */
function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`SQL identifier ${JSON.stringify(name)} must match ${IDENT}`);
  return name;
}

/** A table name: identifiers joined by dots (schema.table, project.dataset.table). */
function tableName(name: string): string {
  return name.split(".").map(ident).join(".");
}

/** A SQL literal for a category or level (numbers bare, strings single-quoted). */
function literal(value: string | number): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`category ${value} is not a finite number`);
    return String(value);
  }
  // '' escaping is not BigQuery's; no category needs a quote or a backslash, so refuse rather than guess.
  if (/['\\]/.test(value)) throw new Error(`category ${JSON.stringify(value)} contains a quote or backslash`);
  return `'${value}'`;
}

/**
 * A finite double as a numeric literal that reads back as exactly that double: shortest round-trip digits in
 * exponent form, which every engine parses as a double (PostgreSQL as numeric, converted with correct rounding).
 */
function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a SQL number`);
  return x.toExponential();
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest float32 below the float32 `t`. */
function float32Below(t: number): number {
  f32[0] = t;
  if (t === 0)
    u32[0] = 0x80000001; // −(smallest subnormal), also below −0
  else if (t > 0) u32[0] -= 1;
  else u32[0] += 1;
  return f32[0];
}

/**
 * The double comparison equivalent to XGBoost's float32 `fround(x) < t` for every double x: `x < c` or `x <= c`,
 * where c is the midpoint between t and the float32 below it (exact in double). At the midpoint itself,
 * round-half-to-even decides which of the two x becomes, hence the operator.
 */
export function doubleCut(t: number): { op: "<" | "<="; cut: number } {
  if (Math.fround(t) !== t || !Number.isFinite(t)) throw new Error(`threshold ${t} is not a finite float32`);
  const cut = (float32Below(t) + t) / 2;
  return { op: Math.fround(cut) < t ? "<=" : "<", cut };
}

type LevelField = Exclude<Field, { kind: "numeric" }>;

/** The raw values a binary, ordinal or categorical field accepts. */
function levelsOf(field: LevelField): readonly (string | number)[] {
  return field.kind === "binary"
    ? [field.negative, field.positive]
    : field.kind === "ordinal"
      ? field.levels
      : field.categories;
}

/** The encoded value of column `column` for each level of a field, from the spec's own encoder. */
function levelValues(spec: FeatureSpec, field: LevelField, column: number) {
  return levelsOf(field).map((level) => ({ level, value: encodeRow(spec, { [field.name]: level })[column] }));
}

interface Column {
  field: Field;
  /** Encoded column index. */
  index: number;
}

/** Each encoded column's source field; derived features are refused (they would need their formula in SQL). */
function encodedColumns(spec: FeatureSpec): Column[] {
  if (spec.derived.length)
    throw new Error(`derived features have no SQL form yet: ${spec.derived.map((d) => d.name).join(", ")}`);
  const columns: Column[] = [];
  for (const field of spec.fields) {
    ident(field.name);
    const width = field.kind === "categorical" ? field.categories.length : 1;
    for (let c = 0; c < width; c++) columns.push({ field, index: columns.length });
  }
  return columns;
}

/** A float32 constant: exact, since the double literal is the float32 value itself. */
function float32Literal(x: number, dialect: SqlDialect): string {
  if (Math.fround(x) !== x) throw new Error(`${x} is not a float32 value`);
  return dialect.float32
    ? `CAST(${doubleLiteral(x)} AS ${dialect.float32})`
    : `CAST(${doubleLiteral(x)} AS ${dialect.float64})`;
}

/** The condition under which a row goes left at a split (`x < t`, or missing when default_left). */
function splitCondition(
  column: Column,
  t: number,
  defaultLeft: boolean,
  spec: FeatureSpec,
  dialect: SqlDialect,
): string {
  const { field } = column;
  const name = field.name;
  const orMissing = (condition: string) => (defaultLeft ? `(${name} IS NULL OR ${condition})` : condition);
  if (field.kind === "numeric") {
    // The first stage of marginQuerySql has already made the column float32 (double without float32).
    if (dialect.float32) return orMissing(`${name} < ${float32Literal(t, dialect)}`);
    const { op, cut } = doubleCut(t);
    return orMissing(`${name} ${op} ${doubleLiteral(cut)}`);
  }
  // Levels are few and their encoded values exact, so which go left is decided here, as XGBoost would.
  const values = levelValues(spec, field, column.index);
  const left = values.filter((v) => Math.fround(v.value) < t).map((v) => literal(v.level));
  // A NULL raw value makes IN unknown, so the row goes right unless default_left adds IS NULL.
  if (left.length === 0) return defaultLeft ? `${name} IS NULL` : "1 = 0";
  if (left.length === values.length) return defaultLeft ? "1 = 1" : `${name} IS NOT NULL`;
  return orMissing(`${name} IN (${left.join(", ")})`);
}

/** One tree as nested CASE WHEN, leaves as float32 constants (float64 without float32). */
function treeSql(model: ParsedModel, k: number, columns: Column[], spec: FeatureSpec, dialect: SqlDialect): string {
  const tree = model.trees[k];
  const node = (i: number, depth: number): string => {
    if (tree.left[i] < 0) return float32Literal(tree.value[i], dialect);
    const column = columns[tree.feature[i]];
    if (!column) throw new Error(`tree ${k} node ${i}: feature ${tree.feature[i]} is not in the ${spec.dataset} spec`);
    const pad = "  ".repeat(depth + 1);
    const condition = splitCondition(column, tree.threshold[i], tree.defaultLeft[i] === 1, spec, dialect);
    return (
      `CASE WHEN ${condition}\n${pad}THEN ${node(tree.left[i], depth + 1)}\n` +
      `${pad}ELSE ${node(tree.right[i], depth + 1)} END`
    );
  };
  return node(0, 1);
}

/** Rows whose categories are all known (or NULL); the encoder throws on the others, the SQL scores them NULL. */
function validitySql(spec: FeatureSpec): string {
  const checks = spec.fields
    .filter((f): f is LevelField => f.kind !== "numeric")
    .map((f) => `(${ident(f.name)} IS NULL OR ${f.name} IN (${levelsOf(f).map(literal).join(", ")}))`);
  return checks.length ? checks.join("\n  AND ") : "1 = 1";
}

export interface ScoringOptions {
  /** The raw customers table (spec column names). */
  table?: string;
  /** The table the scores are written to. */
  scored?: string;
  /** Label column copied into the scored table (the spec's target by default; null when the table has none). */
  label?: string | null;
  /** A per-customer value column (e.g. the food base's ltv) carried to the scored table and summed per bin. */
  value?: string | null;
  /** Bins of the score histogram. */
  bins?: number;
  /** Customers in the top list. */
  top?: number;
  /** Trees added per query stage (see marginQuerySql). */
  chunk?: number;
  dialect?: SqlDialect;
}

/** The options with their defaults, names checked, and the columns carried from the customers to the scores. */
function defaults(spec: FeatureSpec, o: ScoringOptions) {
  const label = o.label === null ? null : ident(o.label ?? spec.target);
  const value = o.value ? ident(o.value) : null;
  return {
    table: tableName(o.table ?? "customers"),
    scored: tableName(o.scored ?? "scored"),
    label,
    value,
    carry: [ident(spec.id), ...(label ? [label] : []), ...(value ? [value] : [])],
    bins: o.bins ?? 1000,
    top: o.top ?? 1000,
    chunk: o.chunk ?? 20,
    dialect: o.dialect ?? DIALECTS.ansi,
  };
}

/** CREATE TABLE for the raw customers in the spec's columns (the load step; numbers as double). */
export function createTableSql(spec: FeatureSpec, options: ScoringOptions = {}): string {
  const { table, label, value, dialect } = defaults(spec, options);
  const type = (field: Field) =>
    field.kind === "numeric"
      ? dialect.float64
      : field.kind === "categorical" && field.categories.every((c) => typeof c === "number")
        ? "INTEGER"
        : dialect.text;
  const columns = [
    `${ident(spec.id)} ${dialect.text}`,
    ...spec.fields.map((f) => `${ident(f.name)} ${type(f)}`),
    ...(label ? [`${label} INTEGER`] : []),
    ...(value ? [`${value} ${dialect.float64}`] : []),
  ];
  return `CREATE TABLE ${table} (\n  ${columns.join(",\n  ")}\n)`;
}

/**
 * SELECT id, label, value, the raw columns and margin FROM the customers table: the base margin plus every tree in
 * XGBoost's order, in float32 where the dialect has it (XGBoost's own accumulation), else in double. The trees are
 * added `chunk` at a time in nested subqueries, each stage adding its trees to the previous stage's margin: one flat
 * sum of 600 trees took DuckDB 20 s to plan (quadratic in the terms) and its expression depth is limited to 1,000.
 */
export function marginQuerySql(spec: FeatureSpec, model: ParsedModel, options: ScoringOptions = {}): string {
  const { table, carry, chunk, dialect } = defaults(spec, options);
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new Error(`invalid chunk: ${chunk}`);
  const columns = encodedColumns(spec);
  if (columns.length !== model.numFeature)
    throw new Error(`the ${spec.dataset} spec encodes ${columns.length} columns, the model has ${model.numFeature}`);
  const keep = [...carry, ...spec.fields.map((f) => f.name)].join(", ");
  const trees = model.trees.map((_, k) => `(${treeSql(model, k, columns, spec, dialect)})`);
  // The encoder's numeric step, once per row: number → double → float32, as the pipeline reads and stores it.
  // Through double even from DECIMAL columns, so a decimal is rounded twice exactly as the encoder rounds it.
  const number = (name: string) =>
    dialect.float32
      ? `CAST(CAST(${name} AS ${dialect.float64}) AS ${dialect.float32}) AS ${name}`
      : `CAST(${name} AS ${dialect.float64}) AS ${name}`;
  const encoded = [...carry, ...spec.fields.map((f) => (f.kind === "numeric" ? number(f.name) : f.name))].join(", ");
  let query = `SELECT ${encoded}, ${float32Literal(Math.fround(model.baseMargin), dialect)} AS margin FROM ${table}`;
  for (let k = 0; k < trees.length; k += chunk) {
    const sum = ["margin", ...trees.slice(k, k + chunk)].join("\n  + ");
    query = `SELECT ${keep},\n  ${sum} AS margin\nFROM (\n${query}\n) AS trees_${k}`;
  }
  return query;
}

/**
 * SELECT id, label, value, probability: p = σ(a·margin + b) in double, as the pipeline computes it, NULL for a row with
 * an unknown category. The margin is referenced once: PostgreSQL inlines subqueries, so every further reference
 * would evaluate all the trees again.
 */
export function scoreQuerySql(
  spec: FeatureSpec,
  model: ParsedModel,
  platt: Pick<Platt, "a" | "b">,
  options: ScoringOptions = {},
): string {
  const { carry, dialect } = defaults(spec, options);
  const margin = `CAST(margin AS ${dialect.float64})`;
  // Clamped so that EXP cannot overflow (PostgreSQL raises an error there); σ(±700) is 0 or 1 to double precision.
  const z = `GREATEST(-700, LEAST(700, ${doubleLiteral(platt.a)} * ${margin} + ${doubleLiteral(platt.b)}))`;
  return (
    `SELECT ${carry.join(", ")},\nCASE WHEN ${validitySql(spec)}\nTHEN 1 / (1 + EXP(-${z}))\nEND AS probability\n` +
    `FROM (\n${marginQuerySql(spec, model, options)}\n) AS margins`
  );
}

/** CREATE TABLE scored AS: id, label, value and calibrated probability of every customer (the score step). */
export function scoreTableSql(
  spec: FeatureSpec,
  model: ParsedModel,
  platt: Pick<Platt, "a" | "b">,
  options: ScoringOptions = {},
): string {
  const { scored } = defaults(spec, options);
  return `CREATE TABLE ${scored} AS\n${scoreQuerySql(spec, model, platt, options)}`;
}

/**
 * Histogram of scores: `bins` equal-width bins over [0, 1] (bin = floor(p·bins), p = 1 in the last), by label,
 * with the count and the sum of probabilities (the expected churners) in each, and with a value column the sums of
 * value and of p · value (the expected value at risk). Only non-empty bins are returned.
 */
export function histogramSql(spec: FeatureSpec, options: ScoringOptions = {}): string {
  const { scored, label, value, bins } = defaults(spec, options);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`invalid bins: ${bins}`);
  const bin = `LEAST(CAST(FLOOR(probability * ${bins}) AS INTEGER), ${bins - 1})`;
  const by = label ? `, ${label} AS label` : "";
  const sums = value ? `, SUM(${value}) AS value_sum, SUM(probability * ${value}) AS expected_value_sum` : "";
  return (
    `SELECT ${bin} AS bin${by}, COUNT(*) AS customers, SUM(probability) AS probability_sum${sums}\n` +
    `FROM ${scored}\nWHERE probability IS NOT NULL\nGROUP BY ${label ? "1, 2" : "1"}\nORDER BY ${label ? "1, 2" : "1"}`
  );
}

/** The `top` customers by probability, ties broken by id (byte order; PostgreSQL needs a C collation for that). */
export function topSql(spec: FeatureSpec, options: ScoringOptions = {}): string {
  const { scored, carry, top } = defaults(spec, options);
  if (!(Number.isInteger(top) && top >= 1)) throw new Error(`invalid top: ${top}`);
  const id = ident(spec.id);
  return (
    `SELECT ${carry.join(", ")}, probability\nFROM ${scored}\nWHERE probability IS NOT NULL\n` +
    `ORDER BY probability DESC, ${id}\nLIMIT ${top}`
  );
}

/** Customers the model could not score (an unknown category); expected 0. */
export function unscoredSql(spec: FeatureSpec, options: ScoringOptions = {}): string {
  const { scored } = defaults(spec, options);
  return `SELECT COUNT(*) AS unscored FROM ${scored} WHERE probability IS NULL`;
}

/** The whole script a warehouse runs: score into a table, then the checks and aggregates to download. */
export function exportSql(
  spec: FeatureSpec,
  model: ParsedModel,
  platt: Pick<Platt, "a" | "b">,
  options: ScoringOptions = {},
): string {
  const o = defaults(spec, options);
  const header = [
    `-- Retention Lab: ${spec.dataset} churn model as SQL (dialect ${o.dialect.name}; see docs/scale.md).`,
    `-- ${model.trees.length} trees, base margin ${model.baseMargin}, Platt a = ${platt.a}, b = ${platt.b}.`,
    `-- Input: ${o.table} with the raw columns below (missing = NULL). Output: ${o.scored}, then three queries.`,
    ...(o.dialect.float32 === "REAL"
      ? ["-- PostgreSQL: run SET jit = off; first (LLVM compiles this query slowly)."]
      : []),
    `-- ${createTableSql(spec, options).replace(/\n/g, "\n-- ")};`,
  ].join("\n");
  return [
    header,
    `-- 1. Score every customer.\n${scoreTableSql(spec, model, platt, options)};`,
    `-- 2. Check: customers with an unknown category (scored NULL); expected 0.\n${unscoredSql(spec, options)};`,
    `-- 3. Download: the score histogram by label.\n${histogramSql(spec, options)};`,
    `-- 4. Download: the top customers.\n${topSql(spec, options)};`,
  ].join("\n\n");
}
