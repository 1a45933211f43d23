/**
 * The customer page's data shaping and state (src/telco/customer.md reads as a notebook and calls these): customers
 * indexed by ID (every join is by ID, never by row position), the segment filter, the what-if scenario scored by
 * ONNX Runtime and explained by TreeSHAP, and the TXT report. Browser-only (DOM).
 */
import type { Table } from "npm:apache-arrow";
import { saveBlob } from "../components/chart-export.js";
import { behaviourFields, subscriptionFields, tierLabel } from "../components/customer-profile.js";
import type { Status, TableRow } from "../components/customer-finder.js";
import { OPERATING_THRESHOLD, decide, type DecisionInput } from "../lib/decision.js";
import { percent } from "../lib/format.js";
import type { Manifest, PublishedMetrics } from "../lib/artifacts.js";
import { audit } from "../lib/audit.js";
import { searchCounterfactual, type Counterfactual } from "../lib/counterfactual.js";
import { TELCO_SPEC, encodeRows, featureLayout, type RawRow } from "../lib/features.js";
import { createOnnxScorer, type OnnxScorer } from "../lib/onnx-scorer.js";
import { expectedRemainingMonths, fitTenureHazards } from "../lib/remaining-value.js";
import { customerReportText, reportFileName } from "../lib/report.js";
import { riskTier, type RiskTier } from "../lib/tiers.js";
import { prepareTrees, type TreesJson } from "../lib/treeshap.js";
import {
  encodeInput,
  explainEncoded,
  featureLabel,
  formatValue,
  modelInputs,
  topDrivers,
  waterfallSteps,
  type Explanation,
} from "../lib/whatif.js";

export type Customer = Record<string, string | number | boolean> & {
  customer_id: string;
  probability: number;
  oof_probability: number;
  risk_tier: RiskTier;
};
type Row = RawRow;

/** The Telco tables as plain objects keyed by customer ID, and the TreeSHAP explainer. */
export function customerIndex(customers: Table, shap: Table, nudges: Table, trees: TreesJson) {
  const all = customers.toArray().map((r) => r.toJSON() as Customer);
  const byId = new Map(all.map((c) => [c.customer_id, c]));
  // The value of keeping a customer, as the Retention page prices it (src/lib/remaining-value.ts): monthly charges
  // × expected further months from the per-contract tenure hazards fitted on the whole base.
  const hazards = fitTenureHazards(
    all.map((c) => ({ tenure: Number(c.tenure), contract: String(c.contract), churn: Number(c.churn) })),
  );
  return {
    /** Expected further months and the revenue they bring if the customer is kept (undiscounted, 72-month horizon). */
    keepValue: (c: Customer) => {
      const months = expectedRemainingMonths(hazards, String(c.contract), Number(c.tenure));
      return { months, value: months * Number(c.monthly_charges) };
    },
    customers: all,
    shapById: new Map(shap.toArray().map((r) => [r.customer_id as string, r.toJSON() as Row])),
    nudgeById: new Map(nudges.toArray().map((r) => [r.id as string, r.toJSON() as Row])),
    explainer: { ensemble: prepareTrees(trees), platt: trees.platt, spec: TELCO_SPEC },
    layout: featureLayout(TELCO_SPEC),
    /** The customer with this ID (trimmed, any case), or null. */
    lookup: (id: string | null) => (id ? (byId.get(id) ?? byId.get(id.trim().toUpperCase()) ?? null) : null),
  };
}

/**
 * Customers of a segment ("All" = any value) as table rows, riskiest first by the cross-fitted score (each customer
 * scored by a model that never saw them), whose tier the tier filter uses.
 */
export function segment(
  customers: Customer[],
  filter: { persona: string; contract: string; tier: string; variant: string },
): TableRow[] {
  const keep = (value: unknown, wanted: string) => wanted === "All" || value === wanted;
  return customers
    .map(
      (c): TableRow => ({
        customer_id: c.customer_id,
        persona: String(c.persona),
        contract: String(c.contract),
        tenure: Number(c.tenure),
        monthly_charges: Number(c.monthly_charges),
        score: c.oof_probability,
        tier: riskTier(c.oof_probability),
        ab_variant: String(c.ab_variant),
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

/** What the page's status region says: no customer, an unknown ID, or the customer with the decision in a line. */
export function statusOf(selectedId: string | null, customer: Customer | null, total: number): Status {
  if (!selectedId) return { kind: "none" };
  if (!customer) return { kind: "unknown", id: selectedId, total };
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

export type ScorerState =
  | { status: "loading" }
  | { status: "ready"; scorer: OnnxScorer }
  | { status: "error"; message: string };

/** The ONNX session, loaded once: "loading", then "ready" or "error" (the page says which). */
export async function* onnxScorer(modelUrl: string, wasmUrl: string, nfeatures: number): AsyncGenerator<ScorerState> {
  yield { status: "loading" };
  try {
    yield { status: "ready", scorer: await createOnnxScorer(modelUrl, nfeatures, { wasmUrl }) };
  } catch (error) {
    console.warn("ONNX Runtime failed to load", error);
    yield { status: "error", message: String((error as Error)?.message ?? error) };
  }
}

/** A what-if state: either the form's problems (`invalid`), or the edited row scored and explained. */
export interface Scenario {
  invalid: Record<string, string> | null;
  row: Row | null;
  changed: string[];
  explanation: Explanation | null;
  onnx: number | null;
}

/** The edited customer scored (ONNX, once ready) and explained (TreeSHAP), or the form's problems. */
export async function scoreEdit(
  edit: { row: Row | null; changed: string[]; messages: Record<string, string> } | null,
  explainer: ReturnType<typeof customerIndex>["explainer"],
  scorer: ScorerState,
): Promise<Scenario | null> {
  if (!edit) return null;
  if (!edit.row) return { invalid: edit.messages, row: null, changed: [], explanation: null, onnx: null };
  const x = encodeInput(edit.row);
  const explanation = explainEncoded(explainer, x);
  const onnx = scorer.status === "ready" ? (await scorer.scorer.score(x))[0] : null;
  return { invalid: null, row: edit.row, changed: edit.changed, explanation, onnx };
}

/**
 * "What would keep this customer?" with the page's ONNX session: every combination of actionable offers scored in
 * one batch by the same model the what-if uses (null until the session is ready).
 */
export async function keepCustomer(
  row: Row,
  scorer: ScorerState,
  threshold = OPERATING_THRESHOLD,
): Promise<Counterfactual | null> {
  if (scorer.status !== "ready") return null;
  const { scorer: onnx } = scorer;
  return searchCounterfactual(row, (rows) => onnx.score(encodeRows(TELCO_SPEC, rows).data), { threshold });
}

/** An option's waterfall: the edited row explained by TreeSHAP, labelled with its values. */
export function optionWaterfall(
  explainer: ReturnType<typeof customerIndex>["explainer"],
  row: Row,
  top = 6,
): ReturnType<typeof waterfallSteps> {
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

/**
 * One whatif_run record per burst of edits (a second after the last), not one per keystroke, with the values tried
 * and the churn probability before and after.
 */
export function whatIfAuditor(): (customer: Customer, scenario: Scenario) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (customer, scenario) => {
    clearTimeout(timer);
    if (!scenario.row || !scenario.changed.length) return;
    const detail: Record<string, string | number> = {
      customer: customer.customer_id,
      churn_before: customer.probability,
    };
    if (scenario.onnx !== null) detail.churn_after = scenario.onnx;
    for (const f of WHATIF_FIELDS) {
      const v = scenario.row[f];
      if (typeof v === "number" || (typeof v === "string" && v !== "")) detail[f] = v;
    }
    timer = setTimeout(() => audit("whatif_run", detail), 1000);
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

/** Builds and saves the customer's TXT report (model and data provenance from the metrics and the manifest). */
export function downloadReport({
  customer,
  original,
  nudge,
  scenario,
  metrics,
  manifest,
}: {
  customer: Customer;
  original: Explanation;
  nudge: Row | null;
  scenario: Scenario | null;
  metrics: PublishedMetrics;
  manifest: Manifest;
}): void {
  const row = modelInputs(customer);
  const edited = scenario?.row && scenario.changed.length && scenario.onnx !== null ? scenario : null;
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
          after: edited.onnx as number,
          tier: tierLabel(riskTier(edited.onnx as number)),
        }
      : undefined,
    generatedAt: new Date().toISOString(),
  });
  saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), reportFileName(customer.customer_id));
  audit("report_downloaded", { customer: customer.customer_id });
}
