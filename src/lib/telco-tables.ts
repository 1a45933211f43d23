/**
 * Group statistics of the Telco customers for the Personas and A/B pages, in plain TypeScript over Arrow tables: no SQL
 * engine (DuckDB-WASM's 7 MB download and start-up). The pipeline runs the aggregates over the tables it publishes and
 * puts them in telco/summary.json (telcoPageSummaries), so these pages draw their first chart from a few kilobytes; the
 * A/B page runs experimentRows over its narrow table (telco/experiment.arrow). Browser-safe and pure; each function
 * states the SQL it replaces, and tests/lib/telco-tables.test.ts checks it against DuckDB on the published table.
 */
import type { Table } from "apache-arrow";
import { analyseExperiment, type ExperimentAnalysis, type ExperimentData } from "./experiment.js";

const column = (t: Table, name: string) => {
  const c = t.getChild(name);
  if (!c) throw new Error(`invalid customers table: no column ${name}`);
  return c.toArray() as ArrayLike<number | string | bigint>;
};
const numbers = (t: Table, name: string) => Float64Array.from(column(t, name) as ArrayLike<number>, Number);
const strings = (t: Table, name: string) => Array.from(column(t, name), String);

/** Row indices by a key, in order of first appearance (a GROUP BY's groups). */
function groupRows(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const rows = groups.get(key);
    if (rows) rows.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** The median of values (the mean of the middle two for an even count, as SQL's median); NaN when empty. */
export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The most frequent value (ties: the first to reach the count in row order). */
export function mode(values: readonly string[]): string {
  const counts = new Map<string, number>();
  let best = "";
  let most = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > most) [best, most] = [v, n];
  }
  return best;
}

export interface PersonaProfile {
  persona: string;
  n: number;
  k: number;
  usage: number;
  /** median delay of the customers who paid late (days) */
  delay: number;
  /** share of customers who paid late */
  late: number;
  calls: number;
  tenure: number;
  charges: number;
  contract: string;
}

/**
 * Per persona, by churn rate (highest first):
 *   SELECT persona, count(*), sum(churn), median(usage_frequency),
 *          median(payment_delay_days) FILTER (WHERE payment_delay_days > 0), avg((payment_delay_days > 0)::INT),
 *          median(support_calls), median(tenure), median(monthly_charges), mode(contract)
 *   FROM customers GROUP BY persona ORDER BY avg(churn) DESC
 */
export function personaProfiles(customers: Table): PersonaProfile[] {
  const persona = strings(customers, "persona");
  const churn = numbers(customers, "churn");
  const usage = numbers(customers, "usage_frequency");
  const delay = numbers(customers, "payment_delay_days");
  const calls = numbers(customers, "support_calls");
  const tenure = numbers(customers, "tenure");
  const charges = numbers(customers, "monthly_charges");
  const contract = strings(customers, "contract");
  const groups = groupRows(persona);
  const pick = (rows: number[], a: Float64Array) => rows.map((i) => a[i]);
  return [...groups]
    .map(([p, rows]) => {
      const late = rows.filter((i) => delay[i] > 0);
      return {
        persona: p,
        n: rows.length,
        k: rows.reduce((s, i) => s + churn[i], 0),
        usage: median(pick(rows, usage)),
        delay: median(pick(late, delay)),
        late: late.length / rows.length,
        calls: median(pick(rows, calls)),
        tenure: median(pick(rows, tenure)),
        charges: median(pick(rows, charges)),
        contract: mode(rows.map((i) => contract[i])),
      };
    })
    .sort((a, b) => b.k / b.n - a.k / a.n || a.persona.localeCompare(b.persona));
}

/** A persona and the mean of each SHAP column (feature name → probability points) over its customers. */
export type PersonaShapMeans = Record<string, number | string>;

/**
 * The mean of every SHAP column per persona, the SHAP table joined to the customers by ID:
 *   SELECT c.persona, avg(COLUMNS(s.* EXCLUDE (customer_id))) FROM shap s JOIN customers c USING (customer_id) GROUP BY 1
 */
export function personaShapMeans(customers: Table, shap: Table): PersonaShapMeans[] {
  const ids = strings(customers, "customer_id");
  const persona = strings(customers, "persona");
  const personaOf = new Map(ids.map((id, i) => [id, persona[i]]));
  const shapIds = strings(shap, "customer_id");
  const features = shap.schema.fields.map((f) => f.name).filter((n) => n !== "customer_id");
  const values = features.map((f) => numbers(shap, f));
  const sums = new Map<string, { n: number; sums: Float64Array }>();
  shapIds.forEach((id, r) => {
    const p = personaOf.get(id);
    if (p === undefined) return; // an inner join: a SHAP row without a customer is left out
    const g = sums.get(p) ?? { n: 0, sums: new Float64Array(features.length) };
    g.n++;
    values.forEach((v, j) => {
      g.sums[j] += v[r];
    });
    sums.set(p, g);
  });
  return [...sums].map(([p, g]) => ({
    persona: p,
    ...Object.fromEntries(features.map((f, j) => [f, g.sums[j] / g.n])),
  }));
}

export interface Arm {
  variant: string;
  n: number;
  k: number;
  usage: number;
  usage_var: number;
}

/**
 * Per A/B variant:
 *   SELECT ab_variant, count(*), sum(churn_observed), avg(usage_frequency), var_samp(usage_frequency)
 *   FROM customers GROUP BY 1 ORDER BY 1
 */
export function abArms(customers: Table): Arm[] {
  const variant = strings(customers, "ab_variant");
  const churned = numbers(customers, "churn_observed");
  const usage = numbers(customers, "usage_frequency");
  return [...groupRows(variant)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([v, rows]) => {
      const mean = rows.reduce((s, i) => s + usage[i], 0) / rows.length;
      const ss = rows.reduce((s, i) => s + (usage[i] - mean) ** 2, 0);
      return {
        variant: v,
        n: rows.length,
        k: rows.reduce((s, i) => s + churned[i], 0),
        usage: mean,
        usage_var: rows.length > 1 ? ss / (rows.length - 1) : Number.NaN,
      };
    });
}

export interface ExperimentInput {
  persona: string;
  contract: string;
  treated: boolean;
  churned: number;
  risk: number;
  true_effect: number;
  outcome: number;
  stratum: string;
}

/**
 * One row per customer, sorted by ID (so the cross-fitting folds are the same on every load):
 *   SELECT persona, contract, ab_variant = 'B', churn_observed, oof_probability, true_effect FROM customers ORDER BY customer_id
 */
export function experimentRows(customers: Table): ExperimentInput[] {
  const ids = strings(customers, "customer_id");
  const persona = strings(customers, "persona");
  const contract = strings(customers, "contract");
  const variant = strings(customers, "ab_variant");
  const churned = numbers(customers, "churn_observed");
  const risk = numbers(customers, "oof_probability");
  const effect = numbers(customers, "true_effect");
  const order = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  return order.map((i) => ({
    persona: persona[i],
    contract: contract[i],
    treated: variant[i] === "B",
    churned: churned[i],
    risk: risk[i],
    true_effect: effect[i],
    outcome: churned[i],
    stratum: `${persona[i]} | ${contract[i]}`,
  }));
}

/** The experiment as the estimators take it: churn, arm, assignment stratum and the out-of-fold churn risk. */
export function experimentData(rows: readonly ExperimentInput[]): ExperimentData {
  return {
    outcome: rows.map((d) => d.churned),
    treated: rows.map((d) => d.treated),
    stratum: rows.map((d) => d.stratum),
    covariate: rows.map((d) => d.risk),
  };
}

/** The overall effect: unstratified, stratified and Lin-adjusted for risk and strata with HC2 errors. */
export function analyseOverall(rows: readonly ExperimentInput[]): ExperimentAnalysis {
  return analyseExperiment(experimentData(rows), { hc: "HC2" });
}

/**
 * What the Personas and A/B pages draw first, computed at build time over the published tables (telco/summary.json).
 * JSON has no NaN: a median or variance of no customers is written as null.
 */
export interface TelcoPageSummaries {
  personaProfiles: PersonaProfile[];
  personaShap: PersonaShapMeans[];
  abArms: Arm[];
  /** the A/B test's overall effect three ways (analyseOverall over experimentRows: the decision's estimate) */
  abOverall: ExperimentAnalysis;
}

export function telcoPageSummaries(customers: Table, shap: Table): TelcoPageSummaries {
  return {
    personaProfiles: personaProfiles(customers),
    personaShap: personaShapMeans(customers, shap),
    abArms: abArms(customers),
    abOverall: analyseOverall(experimentRows(customers)),
  };
}
