/**
 * What the customer page reads (src/telco/customer.md): a small index for the finder (CUSTOMER_INDEX_COLUMNS) and each
 * customer in full — row, value if kept, nudge, SHAP — for the detail shards (ARTIFACTS.telcoCustomerDetail). Joined by
 * customer ID, never by position: a customer without SHAP values or a nudge stops the build, naming the ID.
 */
import {
  CUSTOMER_INDEX_COLUMNS,
  DETAIL_SHAP_PREFIX,
  type CustomerDetailRow,
  type CustomerIndexRow,
  type NudgeRow,
  type TelcoCustomerRow,
} from "../../src/lib/artifacts.js";
import { expectedRemainingMonths, fitTenureHazards } from "../../src/lib/remaining-value.js";

/** The finder's columns of every customer, in the customers table's order. */
export function customerIndexRows(customers: readonly TelcoCustomerRow[]): CustomerIndexRow[] {
  return customers.map((c) => {
    const row: Record<string, unknown> = {};
    for (const [name] of CUSTOMER_INDEX_COLUMNS) row[name] = c[name];
    return row as CustomerIndexRow;
  });
}

/**
 * Each customer's detail row: the customer, `remaining_months` (expected further months if kept, from per-contract
 * tenure hazards fitted on the whole base, as the Retention page values a subscriber), the nudge's columns prefixed
 * `nudge_`, and one SHAP column per feature group prefixed DETAIL_SHAP_PREFIX (the names to pass as per-feature
 * columns are returned with the rows).
 */
export function customerDetailRows(
  customers: readonly TelcoCustomerRow[],
  shap: readonly { customer_id: string }[],
  nudges: readonly NudgeRow[],
  groups: readonly string[],
): { rows: CustomerDetailRow[]; shapColumns: string[] } {
  const shapById = byId(shap, (r) => r.customer_id, "SHAP row");
  const nudgeById = byId(nudges, (r) => r.id, "nudge");
  const hazards = fitTenureHazards(customers.map((c) => ({ tenure: c.tenure, contract: c.contract, churn: c.churn })));
  const rows = customers.map((c) => {
    const id = c.customer_id;
    const s = shapById.get(id) as Record<string, unknown> | undefined;
    const nudge = nudgeById.get(id);
    if (!s) throw new Error(`customer ${id}: no SHAP row`);
    if (!nudge) throw new Error(`customer ${id}: no nudge`);
    const row: Record<string, unknown> = {
      ...c,
      remaining_months: expectedRemainingMonths(hazards, c.contract, c.tenure),
    };
    for (const [name, value] of Object.entries(nudge)) if (name !== "id") row[`nudge_${name}`] = value;
    for (const g of groups) {
      const v = s[g];
      if (typeof v !== "number") throw new Error(`customer ${id}: no SHAP value for ${g}`);
      row[`${DETAIL_SHAP_PREFIX}${g}`] = v;
    }
    return row as CustomerDetailRow;
  });
  return { rows, shapColumns: groups.map((g) => `${DETAIL_SHAP_PREFIX}${g}`) };
}

function byId<T>(rows: readonly T[], id: (row: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    if (map.has(id(row))) throw new Error(`${what} of customer ${id(row)} given twice`);
    map.set(id(row), row);
  }
  return map;
}
