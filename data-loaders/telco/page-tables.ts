/**
 * What the Telco analysis pages read instead of the whole customers table (docs/architecture.md): the narrow tables
 * (engagement, A/B test, Retention: only the columns their views read) and the group statistics the Personas and A/B
 * pages draw first, which go into telco/summary.json. The statistics are computed by the same functions the pages ran
 * (src/lib/telco-tables.ts), over the bytes staged for telco/customers.arrow and telco/shap.arrow: the numbers a page
 * shows are those it computed from the published table before.
 */
import { tableFromIPC, type Table } from "apache-arrow";
import { ARTIFACTS, type TelcoCustomerRow } from "../../src/lib/artifacts.js";
import { telcoPageSummaries, type TelcoPageSummaries } from "../../src/lib/telco-tables.js";
import type { Publication } from "../publish.js";

/** Stages the narrow tables: each keeps its declared columns of every customer, in the customers table's order. */
export function publishTelcoPageTables(pub: Publication, customers: readonly TelcoCustomerRow[]): void {
  pub.table(ARTIFACTS.telcoEngagement, customers);
  pub.table(ARTIFACTS.telcoExperiment, customers);
  pub.table(ARTIFACTS.telcoCampaign, customers);
}

/** The Personas and A/B pages' statistics over the staged customers and SHAP tables (both must be staged first). */
export async function stagedPageSummaries(pub: Publication): Promise<TelcoPageSummaries> {
  const read = async (path: string) => tableFromIPC(await pub.read(path)) as Table;
  return telcoPageSummaries(await read(ARTIFACTS.telcoCustomers.path), await read(ARTIFACTS.telcoShap.path));
}
