/**
 * Benchmark of the SQL export in DuckDB (in process) and a throwaway PostgreSQL (a benchmark: timings are printed,
 * never asserted). Needs @duckdb/node-api and Debian's postgresql, as tests/models/sql.test.ts does.
 *   npx tsx scripts/bench-sql.ts [N …]   (default 20000 1000000; the food generator's base)
 *   ENGINES=duckdb,postgresql (empty: XGBoost only)  ROUNDS=600
 * The model: the food recipe's depth-3 candidate, ROUNDS rounds on 20,000 rows. Per size and engine: load the CSV,
 * plan the score query (EXPLAIN), CREATE TABLE scored AS (the score step), the histogram and the top 1,000; and the
 * max |SQL − XGBoost| over every row, against σ(a·margin + b) from XGBoost's own margin.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { foodRows, type FoodRecord } from "../data-loaders/food/generate.js";
import { encodeRows, FOOD_SPEC } from "../src/lib/features.js";
import { calibrateAll, fitPlatt } from "../models/calibrate.js";
import { RECIPES } from "../models/recipes.js";
import { createTableSql, histogramSql, scoreQuerySql, scoreTableSql, topSql } from "../models/sql.js";
import { predictMargin, trainRounds } from "../models/train.js";
import { parseXgboostJson } from "../models/trees.js";
import { startDuckDb, startPostgres, writeCsv, type SqlEngine } from "../tests/models/sql-engines.js";

process.env.OMP_WAIT_POLICY ??= "PASSIVE";
const sizes = process.argv.slice(2).map(Number);
const engines = (process.env.ENGINES ?? "duckdb,postgresql").split(",").filter(Boolean);
const rounds = Number(process.env.ROUNDS ?? 600);
const spec = FOOD_SPEC;

// The model: fixed rounds near what early stopping picks on the food base (395–703 in issue 17's runs).
const trainRows = [...foodRows({ n: 20_000, seed: 42 })];
const x = encodeRows(spec, trainRows);
const label = Float32Array.from(trainRows, (r) => r.churned);
const booster = trainRounds({ ...x, label }, RECIPES.food.grid[1], rounds, { seed: 1 });
const model = parseXgboostJson(booster.saveJson());
const platt = fitPlatt(predictMargin(booster, x), label);
console.log(`model: ${model.trees.length} trees of depth ≤ ${RECIPES.food.grid[1].max_depth}`);

const dir = mkdtempSync(join(tmpdir(), "retention-lab-bench-sql-"));
const seconds = (start: number) => (performance.now() - start) / 1000;
try {
  for (const n of sizes.length ? sizes : [20_000, 1_000_000]) {
    // The base as CSV and XGBoost's scores of it, in batches (a million rows never sit in memory as objects).
    const csv = join(dir, `food-${n}.csv`);
    const expected = new Float64Array(n);
    let done = 0;
    let xgboostSeconds = 0; // XGBoost's own predictor on the same rows (encoding excluded), for comparison
    function* batches(): Generator<FoodRecord> {
      let batch: FoodRecord[] = [];
      const score = () => {
        const encoded = encodeRows(spec, batch);
        const start = performance.now();
        const margin = predictMargin(booster, encoded);
        xgboostSeconds += seconds(start);
        expected.set(calibrateAll(platt, margin), done);
        done += batch.length;
        batch = [];
      };
      for (const row of foodRows({ n, seed: 7 })) {
        batch.push(row);
        yield row;
        if (batch.length === 50_000) score();
      }
      if (batch.length) score();
    }
    writeCsv(csv, batches(), [spec.id, ...spec.fields.map((f) => f.name), spec.target]);
    console.log(
      `n = ${n}: CSV ${(statSync(csv).size / 1e6).toFixed(1)} MB; XGBoost predict ${xgboostSeconds.toFixed(2)} s ` +
        `= ${Math.round(n / xgboostSeconds)} rows/s (its default threads)`,
    );
    for (const name of engines) {
      const engine: SqlEngine = name === "duckdb" ? await startDuckDb() : await startPostgres();
      try {
        await engine.exec(createTableSql(spec));
        let start = performance.now();
        await engine.loadCsv("customers", csv);
        const load = seconds(start);
        // Planning a query of a few hundred kilobytes is a fixed cost; EXPLAIN measures it alone.
        start = performance.now();
        await engine.exec(`EXPLAIN ${scoreQuerySql(spec, model, platt)}`);
        const plan = seconds(start);
        start = performance.now();
        await engine.exec(scoreTableSql(spec, model, platt));
        const score = seconds(start);
        start = performance.now();
        await engine.query(histogramSql(spec));
        const histogram = seconds(start);
        start = performance.now();
        await engine.query(topSql(spec));
        const top = seconds(start);
        const rows = await engine.query(`SELECT ${spec.id}, probability FROM scored`);
        let max = 0;
        for (const r of rows) {
          const i = Number(String(r[spec.id]).slice(2)) - 1; // FD0000123 → row 122 (ids count from 1)
          max = Math.max(max, Math.abs((r.probability as number) - expected[i]));
        }
        if (rows.length !== n) throw new Error(`${name}: ${rows.length} scored rows, expected ${n}`);
        console.log(
          `  ${name}: load ${load.toFixed(2)} s; plan ${plan.toFixed(2)} s; score ${score.toFixed(2)} s = ` +
            `${Math.round(n / score)} rows/s (${Math.round(n / (score - plan))} without planning); ` +
            `histogram ${histogram.toFixed(2)} s, top 1,000 ${top.toFixed(2)} s; max |SQL − XGBoost| ${max}`,
        );
      } finally {
        await engine.close();
      }
    }
    rmSync(csv, { force: true });
  }
} finally {
  booster.dispose();
  rmSync(dir, { recursive: true, force: true });
}
