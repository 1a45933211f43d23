/**
 * The customer page's data and state (src/telco/customer.md reads as a notebook and calls these; the DOM glue is in
 * customer-view.ts): the finder's index (telco/customer-index.arrow), one customer opened from its detail shard
 * (every join is by ID, never by row position), the segment filter, the what-if scenario scored and explained by the
 * TS TreeSHAP, the counterfactual search on the same trees, the audit records and the TXT report.
 * Node-safe (no DOM, no Framework imports): tests/telco/customer.test.ts runs it on the published files.
 */
import type { Table } from "npm:apache-arrow";
import type { Status, TableRow } from "../components/customer-finder.js";
import { behaviourFields, subscriptionFields, tierLabel } from "../components/customer-profile.js";
import {
  ARTIFACTS,
  CUSTOMER_INDEX_COLUMNS,
  DETAIL_SHAP_PREFIX,
  TELCO_DETAIL_SHARDS,
  type Manifest,
  type PublishedMetrics,
} from "../lib/artifacts.js";
import { audit } from "../lib/audit.js";
import { searchCounterfactual, type Counterfactual } from "../lib/counterfactual.js";
import { shardOf } from "../lib/customer-shards.js";
import { OPERATING_THRESHOLD, decide, type DecisionInput } from "../lib/decision.js";
import { TELCO_SPEC, featureLayout, type RawRow } from "../lib/features.js";
import { percent, signedPoints } from "../lib/format.js";
import { customerReportText, reportFileName } from "../lib/report.js";
import { riskTier, type RiskTier } from "../lib/tiers.js";
import { prepareTrees, type TreesJson } from "../lib/treeshap.js";
import {
  encodeInput,
  explainEncoded,
  featureLabel,
  formatValue,
  modelInputs,
  storedExplanation,
  topDrivers,
  treeScorer,
  waterfallSteps,
  type Explainer,
  type Explanation,
} from "../lib/whatif.js";

/** A customers.arrow row as a plain object. */
export type Customer = Record<string, string | number | boolean> & {
  customer_id: string;
  probability: number;
  oof_probability: number;
  risk_tier: RiskTier;
};
/** One row of the finder's index (telco/customer-index.arrow). */
export interface IndexRow {
  customer_id: string;
  persona: string;
  contract: string;
  tenure: number;
  monthly_charges: number;
  oof_probability: number;
  ab_variant: string;
}
/** A nudge as nudges.arrow holds it (id, text, source, provider, …). */
export type Nudge = Record<string, string>;

/** Everything the page shows of one customer, from their detail shard. */
export interface CustomerDetail {
  customer: Customer;
  /** SHAP in probability terms per source feature, with the customer's ID (as a shap.arrow row). */
  shap: Record<string, number | string> & { customer_id: string };
  nudge: Nudge | null;
  /** Expected further months if kept (fitted on the whole base at build time). */
  remainingMonths: number;
}

type RecordTable = Pick<Table, "toArray">;
const records = (table: RecordTable) => table.toArray().map((r) => (r as { toJSON(): object }).toJSON());

/**
 * The finder's index: its rows in published order, the IDs, the personas, and a lookup by ID. Read column by column
 * (7,043 rows: several times faster than Arrow's row objects, on the page's first view).
 */
export function customerIndex(table: Pick<Table, "getChild" | "numRows">) {
  const columns = CUSTOMER_INDEX_COLUMNS.map(([name]) => {
    const column = table.getChild(name);
    if (!column) throw new Error(`${ARTIFACTS.telcoCustomerIndex.path}: column ${name} is missing`);
    return [name, Array.from(column as Iterable<unknown>)] as const;
  });
  const rows = Array.from({ length: table.numRows }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const [name, values] of columns) row[name] = values[i];
    return row as unknown as IndexRow;
  });
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  return {
    rows,
    ids: rows.map((r) => r.customer_id),
    personas: [...new Set(rows.map((r) => r.persona))].sort(),
    /** The index row of this ID (as typed, or trimmed and in capitals), or null. */
    lookup: (id: string | null): IndexRow | null =>
      id ? (byId.get(id) ?? byId.get(id.trim().toUpperCase()) ?? null) : null,
  };
}
export type CustomerIndex = ReturnType<typeof customerIndex>;

/** A detail shard's row split into the customer, their SHAP values, their nudge and the value if kept. */
export function detailOf(record: Record<string, unknown>): CustomerDetail {
  const customer: Record<string, unknown> = {};
  const shap: Record<string, unknown> = { customer_id: record.customer_id };
  const nudge: Record<string, unknown> = { id: record.customer_id };
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith(DETAIL_SHAP_PREFIX)) shap[key.slice(DETAIL_SHAP_PREFIX.length)] = value;
    else if (key.startsWith("nudge_")) nudge[key.slice("nudge_".length)] = value;
    else if (key !== "remaining_months") customer[key] = value;
  }
  const remainingMonths = Number(record.remaining_months);
  if (!Number.isFinite(remainingMonths))
    throw new Error(`invalid remaining_months for ${String(record.customer_id)}: ${String(record.remaining_months)}`);
  return {
    customer: customer as Customer,
    shap: shap as CustomerDetail["shap"],
    nudge: nudge.text ? (nudge as Nudge) : null,
    remainingMonths,
  };
}

/** What the page shows for the ID in its URL: nothing, an unknown ID, the customer loading, failed or ready. */
export type CustomerState =
  | { kind: "none" }
  | { kind: "unknown"; id: string }
  | { kind: "loading"; id: string }
  | { kind: "error"; id: string; message: string }
  | { kind: "ready"; id: string; detail: CustomerDetail };

/**
 * Opens customers from their detail shards: for an ID, "unknown" at once when the index lacks it, else "loading" (only
 * while its shard is being fetched) then "ready" or "error". Each shard is fetched and split once. `first` (the ID in
 * the page's URL) has its shard fetched at once, beside the index, rather than after it.
 */
export function customerOpener(
  loadShard: (shard: number) => Promise<RecordTable>,
  { shards = TELCO_DETAIL_SHARDS, first = null as string | null } = {},
) {
  const loaded = new Map<number, Map<string, CustomerDetail>>();
  const pending = new Map<number, Promise<Map<string, CustomerDetail>>>();
  const fetchShard = (shard: number) => {
    let load = pending.get(shard);
    if (!load) {
      load = loadShard(shard).then((table) => {
        const details = (records(table) as Record<string, unknown>[]).map(detailOf);
        const byId = new Map(details.map((d) => [d.customer.customer_id, d]));
        loaded.set(shard, byId);
        return byId;
      });
      // A failed fetch is forgotten, so opening the customer again tries again.
      load.catch(() => pending.delete(shard));
      pending.set(shard, load);
    }
    return load;
  };
  // IDs are published in capitals: the URL's ID as the index would resolve it.
  if (first?.trim()) fetchShard(shardOf(first.trim().toUpperCase(), shards)).catch(() => {});
  return async function* open(selectedId: string | null, index: CustomerIndex): AsyncGenerator<CustomerState> {
    if (!selectedId) return yield { kind: "none" };
    const entry = index.lookup(selectedId);
    if (!entry) return yield { kind: "unknown", id: selectedId };
    const id = entry.customer_id;
    const shard = shardOf(id, shards);
    let details = loaded.get(shard);
    if (!details) {
      yield { kind: "loading", id };
      try {
        details = await fetchShard(shard);
      } catch (error) {
        return yield { kind: "error", id, message: String((error as Error)?.message ?? error) };
      }
    }
    const detail = details.get(id);
    if (!detail) return yield { kind: "error", id, message: `the file of shard ${shard} does not hold this customer` };
    yield { kind: "ready", id, detail };
  };
}

/**
 * Customers of a segment ("All" = any value) as table rows, riskiest first by the cross-fitted score (each customer
 * scored by a model that never saw them), whose tier the tier filter uses.
 */
export function segment(
  rows: readonly IndexRow[],
  filter: { persona: string; contract: string; tier: string; variant: string },
): TableRow[] {
  const keep = (value: unknown, wanted: string) => wanted === "All" || value === wanted;
  return rows
    .map(
      (c): TableRow => ({
        customer_id: c.customer_id,
        persona: c.persona,
        contract: c.contract,
        tenure: c.tenure,
        monthly_charges: c.monthly_charges,
        score: c.oof_probability,
        tier: riskTier(c.oof_probability),
        ab_variant: c.ab_variant,
      }),
    )
    .filter(
      (r) =>
        keep(r.persona, filter.persona) &&
        keep(r.contract, filter.contract) &&
        keep(r.tier, filter.tier) &&
        keep(r.ab_variant, filter.variant),
    )
    .sort((a, b) => b.score - a.score || (a.customer_id < b.customer_id ? -1 : 1));
}

/** What the page's one status region says about a customer state (`total`: customers in the index). */
export function statusOf(state: CustomerState, total: number): Status {
  if (state.kind === "none") return { kind: "none" };
  if (state.kind === "unknown") return { kind: "unknown", id: state.id, total };
  if (state.kind === "loading") return { kind: "loading", id: state.id };
  if (state.kind === "error") return { kind: "error", id: state.id, message: state.message };
  const { customer } = state.detail;
  const d = decide(customer as unknown as DecisionInput);
  const tenure = formatValue("tenure", customer.tenure as number);
  return {
    kind: "customer",
    id: customer.customer_id,
    summary:
      `${customer.contract}, ${tenure} with us; churn probability ${percent(d.score)} (cross-fitted), ` +
      `${d.targeted ? "targeted" : "not targeted"} at the ${percent(d.threshold, 0)} threshold.`,
  };
}

/** The customer ID a page URL asks for: `?id=…`, or `?customer=…` (older links); null when neither is set. */
export function idFromUrl(href: string): string | null {
  const params = new URL(href).searchParams;
  return (params.get("id") ?? params.get("customer"))?.trim() || null;
}

/** The same URL showing this customer (`?id=…`; the older `customer` parameter dropped), or none. */
export function urlWithId(href: string, id: string | null): string {
  const url = new URL(href);
  url.searchParams.delete("customer");
  if (id) url.searchParams.set("id", id);
  else url.searchParams.delete("id");
  return url.href;
}

/** The value of keeping a customer: expected further months × monthly charges (undiscounted, 72-month horizon). */
export function keepValue(detail: CustomerDetail): { months: number; value: number } {
  const months = detail.remainingMonths;
  return { months, value: months * Number(detail.customer.monthly_charges) };
}

/** The TS TreeSHAP explainer of trees.json. */
export function explainerOf(trees: TreesJson): Explainer {
  return { ensemble: prepareTrees(trees), platt: trees.platt, spec: TELCO_SPEC };
}

/** A what-if state: either the form's problems (`invalid`), or the edited row scored and explained. */
export interface Scenario {
  invalid: Record<string, string> | null;
  row: RawRow | null;
  changed: string[];
  explanation: Explanation | null;
  /** The edited row's calibrated churn probability (TreeSHAP's: the model's score to float precision). */
  probability: number | null;
}

/** The edited customer scored and explained by TreeSHAP in one synchronous step, or the form's problems. */
export function scenarioOf(
  edit: { row: RawRow | null; changed: string[]; messages: Record<string, string> },
  explainer: Explainer,
): Scenario {
  if (!edit.row) return { invalid: edit.messages, row: null, changed: [], explanation: null, probability: null };
  const explanation = explainEncoded(explainer, encodeInput(edit.row));
  return { invalid: null, row: edit.row, changed: edit.changed, explanation, probability: explanation.probability };
}

/** The one-line what-if summary that follows the reader down the form at phone width. */
export function scenarioSummary(customer: Customer, scenario: Scenario): string {
  if (scenario.invalid || scenario.probability === null) return "Not scored: fix the field marked in red.";
  const p = scenario.probability;
  return (
    `Churn ${percent(customer.probability)} → ${percent(p)} (${signedPoints(p - customer.probability)})` +
    (scenario.changed.length ? "" : ", no changes yet")
  );
}

/**
 * "What would keep this customer?": every combination of actionable offers scored by the same trees as the what-if
 * (σ(a · margin + b), what model.onnx computes), no ONNX Runtime needed. Scored `chunk` rows at a time, handing the
 * main thread back between chunks, so the page stays responsive while up to a few hundred combinations are scored.
 */
export function keepCustomer(
  customer: Customer,
  explainer: Explainer,
  { threshold = OPERATING_THRESHOLD, chunk = 32 } = {},
): Promise<Counterfactual> {
  const score = treeScorer(explainer);
  return searchCounterfactual(
    modelInputs(customer),
    async (rows) => {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i += chunk) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
        out.set(score(rows.slice(i, i + chunk)), i);
      }
      return out;
    },
    { threshold },
  );
}

const GROUPS = featureLayout(TELCO_SPEC).groups;

/** The customer's stored explanation (their SHAP row and final-model probability), or null when a value is missing. */
export function originalExplanation(detail: CustomerDetail): Explanation | null {
  if (GROUPS.some((g) => typeof detail.shap[g] !== "number")) return null;
  return storedExplanation(detail.customer.probability, detail.shap, GROUPS);
}

/** An option's waterfall: the edited row explained by TreeSHAP, labelled with its values. */
export function optionWaterfall(explainer: Explainer, row: RawRow, top = 6): ReturnType<typeof waterfallSteps> {
  return waterfallSteps(explainEncoded(explainer, encodeInput(row)), { top, row });
}

/** The what-if fields the audit trail records (src/lib/audit-schema.ts): the actionable ones and the bill. */
const WHATIF_FIELDS = [
  "tenure",
  "monthly_charges",
  "contract",
  "internet_service",
  "payment_method",
  "tech_support",
  "online_security",
  "paperless_billing",
] as const;

/** The whatif_run record of a scored edit: the values tried and the churn probability before and after. */
export function whatIfRecord(customer: Customer, scenario: Scenario): Record<string, string | number> | null {
  if (!scenario.row || !scenario.changed.length) return null;
  const detail: Record<string, string | number> = {
    customer: customer.customer_id,
    churn_before: customer.probability,
  };
  if (scenario.probability !== null) detail.churn_after = scenario.probability;
  for (const f of WHATIF_FIELDS) {
    const v = scenario.row[f];
    if (typeof v === "number" || (typeof v === "string" && v !== "")) detail[f] = v;
  }
  return detail;
}

/** One whatif_run record per burst of edits (a second after the last), not one per keystroke. */
export function whatIfAuditor(): (customer: Customer, scenario: Scenario) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (customer, scenario) => {
    clearTimeout(timer);
    const detail = whatIfRecord(customer, scenario);
    if (detail) timer = setTimeout(() => audit("whatif_run", detail), 1000);
  };
}

/** Records a change of a segment filter (persona, contract, tier, variant) with the value chosen. */
export function auditFilter(filter: string, input: HTMLElement & { value: unknown }): void {
  input.addEventListener("input", () =>
    audit("filter_changed", { filter, value: String(input.value), dataset: "telco" }),
  );
}

/** The decision as report lines: which score, targeted or not at which threshold, the actual outcome. */
export function decisionFields(customer: Customer): [string, string][] {
  const d = decide(customer as unknown as DecisionInput);
  return [
    [
      "Score above",
      `final model's, ${d.finalInSample ? "in-sample (trained on this customer)" : "held out (test split)"}`,
    ],
    ["Churn probability (cross-fitted)", percent(d.score)],
    ["Decision", `${d.targeted ? "targeted" : "not targeted"} at the ${percent(d.threshold, 0)} operating threshold`],
    ["Actual outcome", d.churned ? "left (Churn = Yes)" : "stayed (Churn = No)"],
  ];
}

/** The customer's TXT report (model and data provenance from the metrics and the manifest) and its file name. */
export function customerReport({
  customer,
  original,
  nudge,
  scenario,
  metrics,
  manifest,
  generatedAt,
}: {
  customer: Customer;
  original: Explanation;
  nudge: Nudge | null;
  scenario: Scenario | null;
  metrics: PublishedMetrics;
  manifest: Manifest;
  generatedAt: string;
}): { text: string; fileName: string } {
  const row = modelInputs(customer);
  const edited = scenario?.row && scenario.changed.length && scenario.probability !== null ? scenario : null;
  const text = customerReportText({
    customerId: customer.customer_id,
    subscription: subscriptionFields(customer),
    behaviour: behaviourFields(customer),
    probability: customer.probability,
    tier: tierLabel(customer.risk_tier),
    decision: decisionFields(customer),
    drivers: topDrivers(original, 3, row),
    nudge: nudge
      ? {
          text: String(nudge.text),
          source: String(nudge.source),
          provider: String(nudge.provider),
          model: String(nudge.model),
          promptVersion: String(nudge.prompt_version),
          reason: String(nudge.reason),
        }
      : { text: "(none)", source: "none" },
    modelVersion: {
      xgboost: metrics.xgboostVersion,
      treesSha256: manifest.files["telco/trees.json"],
      calibration: `${metrics.calibration.chosen} calibration`,
    },
    data: { telcoSha256: manifest.telco.sha256, seed: manifest.seed, rows: manifest.telco.rows },
    whatIf: edited
      ? {
          changes: edited.changed.map(
            (f) => `${featureLabel(f)}: ${formatValue(f, row[f])} → ${formatValue(f, edited.row?.[f])}`,
          ),
          before: customer.probability,
          after: edited.probability as number,
          tier: tierLabel(riskTier(edited.probability as number)),
        }
      : undefined,
    generatedAt,
  });
  return { text, fileName: reportFileName(customer.customer_id) };
}
