// The Personas and A/B pages' group statistics in plain TypeScript equal the SQL they replaced, run by DuckDB on the
// published Telco tables (scripts/test.sh runs the pipeline before the unit tests).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tableFromIPC, type Table } from "apache-arrow";
import { recordsToCsv } from "../../src/lib/csv.js";
import { abArms, experimentRows, median, mode, personaProfiles, personaShapMeans } from "../../src/lib/telco-tables.js";
import { startDuckDb, type SqlEngine } from "../models/sql-engines.js";

const read = (name: string) => tableFromIPC(readFileSync(`src/data/telco/${name}.arrow`)) as Table;
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("Telco group statistics without SQL", () => {
  let db: SqlEngine;
  let dir: string;
  const customers = read("customers");
  const shap = read("shap");

  before(async () => {
    db = await startDuckDb();
    dir = mkdtempSync(join(tmpdir(), "telco-tables-"));
    for (const [name, table] of [
      ["customers", customers],
      ["shap", shap],
    ] as const) {
      const path = join(dir, `${name}.csv`);
      writeFileSync(path, recordsToCsv(table.toArray().map((r) => r.toJSON())));
      await db.exec(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${path}', header = true)`);
    }
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("computes medians and modes as SQL does", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(mode(["b", "a", "b", "a", "c"]), "b");
  });

  it("profiles the personas as the SQL did", async () => {
    const sql = await db.query(`
      SELECT persona, count(*)::INT AS n, sum(churn)::INT AS k,
             median(usage_frequency) AS usage, median(payment_delay_days) FILTER (WHERE payment_delay_days > 0) AS delay,
             avg((payment_delay_days > 0)::INT) AS late, median(support_calls) AS calls, median(tenure) AS tenure,
             median(monthly_charges) AS charges, mode(contract) AS contract
      FROM customers GROUP BY 1 ORDER BY avg(churn) DESC`);
    const ts = personaProfiles(customers);
    assert.deepEqual(
      ts.map((p) => p.persona),
      sql.map((p) => p.persona),
    );
    ts.forEach((p, i) => {
      const s = sql[i] as Record<string, number | string>;
      for (const key of ["n", "k", "usage", "delay", "late", "calls", "tenure", "charges"] as const)
        close(p[key], Number(s[key]), `${p.persona} ${key}`);
      assert.equal(p.contract, s.contract);
    });
  });

  it("averages SHAP per persona as the join did", async () => {
    const sql = await db.query(
      "SELECT c.persona, avg(COLUMNS(s.* EXCLUDE (customer_id))) FROM shap s JOIN customers c USING (customer_id) GROUP BY 1 ORDER BY 1",
    );
    const ts = personaShapMeans(customers, shap).sort((a, b) => String(a.persona).localeCompare(String(b.persona)));
    assert.equal(ts.length, sql.length);
    ts.forEach((row, i) => {
      for (const [key, value] of Object.entries(row)) {
        if (key === "persona") assert.equal(value, sql[i].persona);
        else close(value as number, Number(sql[i][key]), `${row.persona} ${key}`);
      }
    });
  });

  it("summarises the A/B arms and lists the experiment's rows in ID order, as the SQL did", async () => {
    const sql = await db.query(`
      SELECT ab_variant AS variant, count(*)::INT AS n, sum(churn_observed)::INT AS k,
             avg(usage_frequency) AS usage, var_samp(usage_frequency) AS usage_var
      FROM customers GROUP BY 1 ORDER BY 1`);
    const ts = abArms(customers);
    ts.forEach((a, i) => {
      assert.equal(a.variant, sql[i].variant);
      for (const key of ["n", "k", "usage", "usage_var"] as const)
        close(a[key], Number(sql[i][key]), `${a.variant} ${key}`);
    });
    const rows = await db.query(
      "SELECT persona, churn_observed AS churned, oof_probability AS risk FROM customers ORDER BY customer_id",
    );
    const mine = experimentRows(customers);
    assert.equal(mine.length, rows.length);
    mine.forEach((r, i) => {
      assert.equal(r.persona, rows[i].persona);
      assert.equal(r.churned, Number(rows[i].churned));
      close(r.risk, Number(rows[i].risk), `row ${i} risk`);
    });
  });
});
