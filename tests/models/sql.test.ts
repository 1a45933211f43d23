// The SQL export scores exactly as XGBoost does, in DuckDB and in a throwaway PostgreSQL, on every row of both
// data sets (plus a copy of each with values blanked, so that missing values take every default branch).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { foodRows } from "../../data-loaders/food/generate.js";
import {
  encodeRow,
  encodeRows,
  featureLayout,
  specFor,
  TELCO_CATEGORIES,
  type FeatureSpec,
  type RawRow,
} from "../../src/lib/features.js";
import { predictMargin as treeMargin, prepareTrees, type CompactTree } from "../../src/lib/treeshap.js";
import { calibrateAll, fitPlatt, type Platt } from "../../models/calibrate.js";
import { RECIPES } from "../../models/recipes.js";
import {
  DIALECTS,
  createTableSql,
  doubleCut,
  histogramSql,
  marginQuerySql,
  scoreQuerySql,
  scoreTableSql,
  topSql,
  unscoredSql,
  type SqlDialect,
} from "../../models/sql.js";
import { trainRounds } from "../../models/train.js";
import { parseXgboostJson, type ParsedModel } from "../../models/trees.js";
import { DMatrix } from "../../models/xgboost.js";
import { startDuckDb, startPostgres, writeCsv, type SqlEngine } from "./sql-engines.js";
import { telcoRows } from "./telco-data.js";

const run = promisify(execFile);

interface Case {
  spec: FeatureSpec;
  rows: Record<string, unknown>[];
  model: ParsedModel;
  /** The booster as XGBoost saved it (model.json). */
  modelJson: Uint8Array;
  platt: Platt;
  /** XGBoost's own predictions per row: option_mask 1 (margin) and 0 (probability). */
  margin: Float32Array;
  raw: Float32Array;
  /** The pipeline's calibrated probability: σ(a·margin + b) in double. */
  calibrated: Float64Array;
  csv: string;
}

/** A seeded generator for the blanking (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every row as is, then every row again with about 10% of its values blanked (NULL/NaN) under a new id.
 * Telco's 11 customers at tenure 0 get a blank total_charges in the first copy, as in the IBM file.
 */
function withMissing(spec: FeatureSpec, rows: readonly object[]): Record<string, unknown>[] {
  const random = rng(17);
  const original = rows.map((r) => {
    const row = { ...(r as Record<string, unknown>) };
    if (spec.dataset === "telco" && row.tenure === 0) row.total_charges = null;
    return row;
  });
  const blanked = original.map((row) => {
    const copy: Record<string, unknown> = { ...row, [spec.id]: `${row[spec.id]}-m` };
    for (const f of spec.fields) if (random() < 0.1) copy[f.name] = null;
    return copy;
  });
  return [...original, ...blanked];
}

function buildCase(spec: FeatureSpec, rows: readonly object[], params: object, rounds: number, dir: string): Case {
  // Train on the complete rows; score the rows with blanks too (XGBoost sends NaN down default_left).
  const train = encodeRows(spec, rows);
  const label = Float32Array.from(rows, (r) => Number((r as Record<string, unknown>)[spec.target]));
  const booster = trainRounds({ ...train, label }, { ...RECIPES[spec.dataset].grid[0], ...params }, rounds, {
    seed: 7,
  });
  const modelJson = booster.saveJson();
  const model = parseXgboostJson(modelJson);
  const scoring = withMissing(spec, rows);
  const x = encodeRows(spec, scoring);
  const d = new DMatrix(x.data, x.nrow, x.ncol);
  const margin = booster.predict(d, 1);
  const raw = booster.predict(d, 0);
  d.dispose();
  booster.dispose();
  const platt = fitPlatt(margin.subarray(0, rows.length), label);
  const csv = join(dir, `${spec.dataset}.csv`);
  writeCsv(csv, scoring, [spec.id, ...spec.fields.map((f) => f.name), spec.target, ...valueColumn(spec)]);
  return { spec, rows: scoring, model, modelJson, platt, margin, raw, calibrated: calibrateAll(platt, margin), csv };
}

/** The food base's per-customer value (LTV), carried through scoring and summed per histogram bin. */
const valueColumn = (spec: FeatureSpec) => (spec.dataset === "food" ? ["ltv"] : []);

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};

/** The engine's values of one column by customer id, in the case's row order; every row must be there. */
function byId(c: Case, result: Record<string, unknown>[], column: string): Float64Array {
  const values = new Map(result.map((r) => [String(r[c.spec.id]), r[column]]));
  return Float64Array.from(c.rows, (row) => {
    const v = values.get(String(row[c.spec.id]));
    assert.equal(typeof v, "number", `${row[c.spec.id]}: ${column} is ${v}`);
    return v as number;
  });
}

describe("SQL export", async () => {
  const dir = mkdtempSync(join(tmpdir(), "retention-lab-sql-"));
  // Small models that still use every kind of split: depth 3 with all columns (one-hot, binary, ordinal, numeric).
  const small = { max_depth: 3, eta: 0.1, colsample_bytree: 1, subsample: 0.8, min_child_weight: 1 };
  const cases = [
    buildCase(specFor("telco"), await telcoRows(), small, 120, dir),
    // The food base the site builds by default (FOOD_DEFAULT_N customers from the generator's default seed).
    buildCase(specFor("food"), [...foodRows()], small, 120, dir),
  ];
  const edge = edgeCases(dir);
  const engines: SqlEngine[] = [];
  before(async () => {
    engines.push(await startDuckDb());
    // Not skipped when missing: the message says what to install (CI installs the package).
    engines.push(await startPostgres());
    for (const engine of engines)
      for (const c of cases) {
        const table = `${c.spec.dataset}_customers`;
        await engine.exec(createTableSql(c.spec, { table, value: valueColumn(c.spec)[0] }));
        await engine.loadCsv(table, c.csv);
      }
    for (const engine of engines) {
      await engine.exec(createTableSql(edge.spec, { table: "edge_customers", label: null }));
      await engine.loadCsv("edge_customers", edge.csv);
      // The same rows with exact decimals (warehouses often store money so): read as the encoder reads them.
      const decimal = createTableSql(edge.spec, { table: "edge_decimal", label: null }).replace(
        "monthly_charges DOUBLE PRECISION",
        "monthly_charges DECIMAL(38, 20)",
      );
      assert.ok(decimal.includes("DECIMAL"));
      await engine.exec(decimal);
      await engine.loadCsv("edge_decimal", edge.csv);
    }
  });
  after(async () => {
    for (const engine of engines) await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("doubleCut matches float32 comparison at, above and below every cut", () => {
    const random = rng(3);
    const next = (x: number, up: boolean) => {
      const f = new Float64Array([x]);
      const i = new BigInt64Array(f.buffer);
      i[0] += x >= 0 === up ? 1n : -1n;
      return f[0];
    };
    for (let k = 0; k < 20000; k++) {
      const t = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 12 - 6));
      const { op, cut } = doubleCut(t);
      for (const x of [cut, next(cut, true), next(cut, false), t, -t])
        assert.equal(op === "<" ? x < cut : x <= cut, Math.fround(x) < t, `t ${t}, x ${x}`);
    }
    assert.deepEqual(doubleCut(0).op, "<");
  });

  // Spark's type names (FLOAT = 32-bit, DOUBLE) are DuckDB's too, but FLOAT is 64-bit in PostgreSQL.
  for (const dataset of ["telco", "food"] as const)
    for (const [dialectName, dialect, only] of [
      ["ansi", DIALECTS.ansi, null],
      ["snowflake", DIALECTS.snowflake, null],
      ["spark", DIALECTS.spark, "duckdb"],
    ] as [string, SqlDialect, string | null][])
      it(`${dataset} (${dialectName}): margin and probabilities equal XGBoost's on every row, in ${only ?? "both engines"}`, async () => {
        const c = cases.find((x) => x.spec.dataset === dataset)!;
        const options = { table: `${dataset}_customers`, dialect };
        const m = `CAST(margin AS ${dialect.float64})`;
        const sql =
          `SELECT margins.${c.spec.id}, ${m} AS margin, 1 / (1 + EXP(-${m})) AS raw, probability ` +
          `FROM (${marginQuerySql(c.spec, c.model, options)}) AS margins ` +
          `JOIN (${scoreQuerySql(c.spec, c.model, c.platt, options)}) AS scores ON margins.${c.spec.id} = scores.${c.spec.id}`;
        for (const engine of engines.filter((e) => !only || e.name === only)) {
          const result = await engine.query(sql);
          assert.equal(result.length, c.rows.length, `${engine.name}: row count`);
          const dm = maxDiff(byId(c, result, "margin"), c.margin);
          const dr = maxDiff(byId(c, result, "raw"), c.raw);
          const dp = maxDiff(byId(c, result, "probability"), c.calibrated);
          console.log(
            `${dataset} ${dialectName} ${engine.name}: max |Δ| margin ${dm}, σ(margin) ${dr}, calibrated ${dp}`,
          );
          // float32 engines reproduce XGBoost's float32 sums exactly; double sums differ by XGBoost's own
          // float32 rounding (about 1e-6 in the margin over 120 trees), well within 1e-6 after σ.
          if (dialect.float32) assert.equal(dm, 0, `${engine.name}: margin`);
          else assert.ok(dm <= 1e-5, `${engine.name}: margin ${dm}`);
          assert.ok(dr <= 1e-6 && dp <= 1e-6, `${engine.name}: probability ${dr}, calibrated ${dp}`);
        }
      });

  it("the warehouse script's scores, histogram and top list equal the same figures from XGBoost's scores", async () => {
    for (const c of cases) {
      const [valueName] = valueColumn(c.spec);
      const table = `${c.spec.dataset}_customers`;
      const options = { table, scored: `${c.spec.dataset}_scored`, top: 100, value: valueName };
      const id = (i: number) => String(c.rows[i][c.spec.id]);
      const label = (i: number) => Number(c.rows[i][c.spec.target]);
      const value = (i: number) => (valueName ? Number(c.rows[i][valueName]) : 0);
      // Expected: the same arithmetic in JS over XGBoost's calibrated scores.
      const bins = new Map<string, { customers: number; sum: number; value: number; expected: number }>();
      c.calibrated.forEach((p, i) => {
        const key = `${Math.min(Math.floor(p * 1000), 999)}/${label(i)}`;
        const b = bins.get(key) ?? { customers: 0, sum: 0, value: 0, expected: 0 };
        bins.set(key, {
          customers: b.customers + 1,
          sum: b.sum + p,
          value: b.value + value(i),
          expected: b.expected + p * value(i),
        });
      });
      const near = (a: unknown, b: number) => Math.abs(Number(a) - b) <= 1e-9 * Math.max(1, Math.abs(b));
      const order = [...c.calibrated.keys()].sort(
        (i, j) => c.calibrated[j] - c.calibrated[i] || (id(i) < id(j) ? -1 : 1),
      );
      for (const engine of engines) {
        await engine.exec(scoreTableSql(c.spec, c.model, c.platt, options));
        assert.deepEqual(await engine.query(unscoredSql(c.spec, options)), [{ unscored: 0 }]);
        const histogram = await engine.query(histogramSql(c.spec, options));
        assert.equal(histogram.length, bins.size, `${engine.name} ${c.spec.dataset}: bins`);
        for (const h of histogram) {
          const b = bins.get(`${h.bin}/${h.label}`);
          assert.equal(Number(h.customers), b?.customers, `${engine.name} bin ${h.bin}/${h.label}`);
          assert.ok(near(h.probability_sum, b!.sum), `${engine.name} bin ${h.bin} sum`);
          if (valueName) {
            assert.ok(near(h.value_sum, b!.value), `${engine.name} bin ${h.bin} value`);
            assert.ok(near(h.expected_value_sum, b!.expected), `${engine.name} bin ${h.bin} p · value`);
          } else assert.equal(h.value_sum, undefined);
        }
        const top = await engine.query(topSql(c.spec, options));
        // Equal scores may sit in either order only if the engine's score differs in the last bit; none do here.
        assert.deepEqual(
          top.map((r) => String(r[c.spec.id])),
          order.slice(0, 100).map(id),
          `${engine.name} ${c.spec.dataset}: top 100`,
        );
      }
    }
  });

  it("the CLI's script runs unchanged in both engines and scores as XGBoost does", async () => {
    for (const c of cases) {
      const name = c.spec.dataset;
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, "model.json"), c.modelJson);
      writeFileSync(
        join(dir, name, "metrics.json"),
        JSON.stringify({ dataset: name, calibration: { platt: c.platt } }),
      );
      const cli = fileURLToPath(new URL("../../scripts/export-sql.ts", import.meta.url));
      const args = [
        "--model",
        join(dir, name, "model.json"),
        "--table",
        `${name}_customers`,
        "--scored",
        `${name}_cli`,
      ];
      const { stdout: script } = await run(process.execPath, ["--import", "tsx", cli, ...args], { maxBuffer: 1 << 28 });
      for (const engine of engines) {
        await engine.exec(script);
        const result = await engine.query(`SELECT ${c.spec.id}, probability FROM ${name}_cli`);
        assert.equal(result.length, c.rows.length);
        assert.ok(maxDiff(byId(c, result, "probability"), c.calibrated) <= 1e-6, `${engine.name} ${name}`);
      }
    }
  });

  it("each kind of split sends every edge value where XGBoost would, in every dialect and engine", async () => {
    for (const [dialectName, dialect, only] of [
      ["ansi", DIALECTS.ansi, null],
      ["snowflake", DIALECTS.snowflake, null],
      ["spark", DIALECTS.spark, "duckdb"],
    ] as [string, SqlDialect, string | null][])
      for (const [k, tree] of edge.trees.entries()) {
        // One tree, base margin 0: the margin is the leaf value itself, exactly, in float32 and in double.
        const model: ParsedModel = { baseScore: 0.5, baseMargin: 0, numFeature: edge.names.length, trees: [tree] };
        const reference = prepareTrees({ baseMargin: 0, featureNames: edge.names, trees: [tree] });
        const expected = edge.rows.map((row) => treeMargin(reference, encodeRow(edge.spec, row as RawRow)));
        for (const table of ["edge_customers", "edge_decimal"]) {
          const options = { table, dialect, label: null };
          const sql = `SELECT customer_id, CAST(margin AS ${dialect.float64}) AS margin FROM (${marginQuerySql(edge.spec, model, options)}) AS m`;
          for (const engine of engines.filter((e) => !only || e.name === only)) {
            const got = new Map((await engine.query(sql)).map((r) => [String(r.customer_id), r.margin]));
            edge.rows.forEach((row, i) => {
              assert.equal(
                got.get(row.customer_id),
                expected[i],
                `${engine.name} ${dialectName} ${table} tree ${k}: ${JSON.stringify(row)}`,
              );
            });
          }
        }
      }
  });
});

/**
 * Single-split trees over every kind of Telco column, with thresholds that put no level, some levels or every level
 * left, and rows at and around a numeric threshold that is not a short decimal (70.35 as float32): the double just
 * below it that rounds up to it, the midpoint to the float32 below (which rounds to even), and their neighbours.
 */
function edgeCases(dir: string) {
  const spec = specFor("telco");
  const names = featureLayout(spec).names;
  const split = (feature: string, threshold: number, defaultLeft: number): CompactTree => {
    const f = names.indexOf(feature);
    assert.ok(f >= 0, feature);
    return {
      left: [1, -1, -1],
      right: [2, -1, -1],
      feature: [f, 0, 0],
      threshold: [Math.fround(threshold), 0, 0],
      defaultLeft: [defaultLeft, 0, 0],
      value: [0, -0.25, 0.75],
      cover: [2, 1, 1],
    };
  };
  const t = Math.fround(70.35);
  const below = new Float32Array([t]);
  new Uint32Array(below.buffer)[0] -= 1;
  const mid = (below[0] + t) / 2;
  const nextDouble = (x: number, step: bigint) => {
    const a = new Float64Array([x]);
    new BigInt64Array(a.buffer)[0] += step;
    return a[0];
  };
  const trees = [
    split("contract", 1.5, 1),
    split("contract", 0.5, 0),
    split("gender", 0.5, 1),
    split("payment_method=Mailed check", 0, 1),
    split("payment_method=Mailed check", 2, 0),
    split("payment_method=Mailed check", 1, 0),
    split("monthly_charges", t, 1),
    split("monthly_charges", t, 0),
    split("monthly_charges", mid, 0),
    split("tenure", 0, 1),
  ];
  const base: Record<string, unknown> = Object.fromEntries(
    spec.fields.map((f) => [
      f.name,
      f.kind === "numeric"
        ? f.min
        : f.kind === "binary"
          ? f.negative
          : f.kind === "ordinal"
            ? f.levels[0]
            : f.categories[0],
    ]),
  );
  const variants: [string, unknown[]][] = [
    ["contract", [...TELCO_CATEGORIES.contract, null]],
    ["gender", ["Male", "Female", null]],
    ["payment_method", [...TELCO_CATEGORIES.payment_method, null]],
    ["monthly_charges", [t, 70.35, below[0], mid, nextDouble(mid, 1n), nextDouble(mid, -1n), nextDouble(t, -1n), null]],
    ["tenure", [0, 5, null]],
  ];
  const rows = variants.flatMap(([field, values]) => values.map((v) => ({ ...base, [field]: v })));
  rows.forEach((row, i) => {
    row.customer_id = `edge-${i}`;
  });
  const csv = join(dir, "edge.csv");
  writeCsv(csv, rows, ["customer_id", ...spec.fields.map((f) => f.name)]);
  return { spec, names, trees, rows: rows as { customer_id: string }[], csv };
}
