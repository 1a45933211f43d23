// The consumer's view: DuckDB-WASM (the engine behind the pages' `sql`) must read what the loaders write.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { rowsToArrowIPC } from "../../data-loaders/arrow.js";
import { FOOD_ARROW_COLUMNS, foodRows } from "../../data-loaders/food/generate.js";
import { TELCO_DATA_COLUMNS } from "../../src/lib/artifacts.js";
import { enrichTelco } from "../../data-loaders/telco/enrich.js";
import { readTelco } from "../../data-loaders/telco/ingest.js";
import { TELCO_CSV } from "./helpers.js";

const dist = fileURLToPath(new URL("../../node_modules/@duckdb/duckdb-wasm/dist/", import.meta.url));
const BUNDLES = {
  mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: `${dist}duckdb-node-mvp.worker.cjs` },
  eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-node-eh.worker.cjs` },
};

describe("DuckDB-WASM reads the pipeline's Arrow IPC streams", () => {
  let connection: duckdb.DuckDBConnection;
  before(async () => {
    const db = await duckdb.createDuckDB(BUNDLES, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate();
    connection = db.connect();
  });
  const one = (sql: string) => connection.query(sql).get(0)!.toJSON();

  it("reads the enriched Telco table with its types", async () => {
    const rows = enrichTelco((await readTelco({ path: TELCO_CSV })).rows);
    connection.insertArrowFromIPCStream(rowsToArrowIPC(rows, TELCO_DATA_COLUMNS), { name: "telco" });
    assert.deepEqual(
      one(
        "select count(*)::int n, sum(churn)::int churners, count(*) filter (total_charges_blank)::int blank, " +
          "count(*) filter (ab_variant = 'B')::int b from telco",
      ),
      { n: 7043, churners: 1869, blank: 11, b: 3521 },
    );
  });

  it("reads a multi-batch food stream written by rowsToArrowIPC", async () => {
    const bytes = rowsToArrowIPC(foodRows({ n: 50_000 }), FOOD_ARROW_COLUMNS, { batchSize: 8192 });
    connection.insertArrowFromIPCStream(bytes, { name: "food" });
    assert.deepEqual(one("select count(*)::int n, max(customer_id) last_id from food"), {
      n: 50_000,
      last_id: "FD0050000",
    });
    const types = connection
      .query("describe food")
      .toArray()
      .map((r) => `${r.column_name}:${r.column_type}`);
    assert.deepEqual(types.slice(0, 3), ["customer_id:VARCHAR", "tenure_months:INTEGER", "recency_days:INTEGER"]);
  });
});
