/**
 * Checks a pipeline run's SQL export end to end: every customer of DIR/<dataset>/customers.arrow is scored by the
 * exported SQL in DuckDB and in a throwaway PostgreSQL, and compared with the probability the pipeline published.
 *   npx tsx scripts/check-sql.ts DIR [--dialect ansi|snowflake]   (DIR as written by scripts/pipeline.ts --out)
 * Exits 1 when any row differs by more than 1e-6. Needs @duckdb/node-api and Debian's postgresql.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { specFor } from "../src/lib/features.js";
import { createTableSql, dialectFor, scoreQuerySql } from "../models/sql.js";
import { parseXgboostJson } from "../models/trees.js";
import { startDuckDb, startPostgres, writeCsv } from "../tests/models/sql-engines.js";

const { values, positionals } = parseArgs({
  options: { dialect: { type: "string", default: "ansi" } },
  allowPositionals: true,
});
const dir = positionals[0];
if (!dir) throw new Error("usage: npx tsx scripts/check-sql.ts DIR [--dialect ansi|snowflake]");
const dialect = dialectFor(values.dialect!);
const tmp = mkdtempSync(join(tmpdir(), "retention-lab-check-sql-"));
let worst = 0;
try {
  for (const dataset of ["telco", "food"] as const) {
    const spec = specFor(dataset);
    const table = tableFromIPC(readFileSync(join(dir, dataset, "customers.arrow")));
    const columns = [spec.id, ...spec.fields.map((f) => f.name)];
    // Arrow integers may come back as bigint; the CSV wants plain numbers.
    const plain = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
    const rows = table.toArray().map((r) => Object.fromEntries(columns.map((c) => [c, plain(r[c])])));
    const ids = table.getChild(spec.id)!.toArray() as string[];
    const published = table.getChild("probability")!.toArray() as Float64Array;
    const expected = new Map(Array.from(ids, (id, i) => [String(id), published[i]]));
    const csv = join(tmp, `${dataset}.csv`);
    writeCsv(csv, rows, columns);
    const model = parseXgboostJson(readFileSync(join(dir, dataset, "model.json")));
    const { platt } = JSON.parse(readFileSync(join(dir, dataset, "metrics.json"), "utf8")).calibration;
    for (const start of [startDuckDb, startPostgres]) {
      const engine = await start();
      try {
        await engine.exec(createTableSql(spec, { label: null, dialect }));
        await engine.loadCsv("customers", csv);
        const scored = await engine.query(scoreQuerySql(spec, model, platt, { label: null, dialect }));
        if (scored.length !== expected.size)
          throw new Error(`${dataset} ${engine.name}: ${scored.length} rows scored, expected ${expected.size}`);
        let max = 0;
        for (const r of scored)
          max = Math.max(max, Math.abs(Number(r.probability) - expected.get(String(r[spec.id]))!));
        worst = Math.max(worst, max);
        console.log(`${dataset} (${model.trees.length} trees), ${engine.name}: ${scored.length} rows, max |Δ| ${max}`);
      } finally {
        await engine.close();
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (!(worst <= 1e-6)) {
  console.error(`check-sql: max |SQL − pipeline| ${worst} exceeds 1e-6`);
  process.exit(1);
}
