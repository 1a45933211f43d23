// The real Telco rows for tests and experiments, through the data engineer's ingest (validated, snake_case).
import { fileURLToPath } from "node:url";
import { readTelco } from "../../data-loaders/telco/ingest.js";

/** $TELCO_CSV, else the shared copy beside the project (as CI lays it out). */
export const TELCO_CSV =
  process.env.TELCO_CSV || fileURLToPath(new URL("../../../shared/data/Telco-Customer-Churn.csv", import.meta.url));

/** All 7,043 customers. */
export async function telcoRows() {
  return (await readTelco({ path: TELCO_CSV })).rows;
}
