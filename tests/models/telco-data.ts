// The real Telco rows for tests and experiments, through the data engineer's ingest (validated, snake_case).
import { readTelco } from "../../data-loaders/telco/ingest.js";
import { TELCO_CSV } from "../telco-csv.js";

export { TELCO_CSV };

/** All 7,043 customers. */
export async function telcoRows() {
  return (await readTelco({ path: TELCO_CSV })).rows;
}
