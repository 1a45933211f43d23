/**
 * The customer page's data shaping and state (src/telco/customer.md reads as a notebook and calls these): customers
 * indexed by ID (every join is by ID, never by row position), the segment filter, the what-if scenario scored by
 * ONNX Runtime and explained by TreeSHAP, and the TXT report. Browser-only (DOM).
 */
import type { Table } from "npm:apache-arrow";
import { saveBlob } from "../components/chart-export.js";
import { behaviourFields, subscriptionFields, tierLabel } from "../components/customer-profile.js";
import type { Manifest, PublishedMetrics } from "../lib/artifacts.js";
import { audit } from "../lib/audit.js";
import { TELCO_SPEC, featureLayout, type RawRow } from "../lib/features.js";
import { createOnnxScorer, type OnnxScorer } from "../lib/onnx-scorer.js";
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
  type Explanation,
} from "../lib/whatif.js";

export type Customer = Record<string, string | number | boolean> & {
  customer_id: string;
  probability: number;
  risk_tier: RiskTier;
};
type Row = RawRow;

/** The Telco tables as plain objects keyed by customer ID, and the TreeSHAP explainer. */
export function customerIndex(customers: Table, shap: Table, nudges: Table, trees: TreesJson) {
  const all = customers.toArray().map((r) => r.toJSON() as Customer);
  const byId = new Map(all.map((c) => [c.customer_id, c]));
  return {
    customers: all,
    shapById: new Map(shap.toArray().map((r) => [r.customer_id as string, r.toJSON() as Row])),
    nudgeById: new Map(nudges.toArray().map((r) => [r.id as string, r.toJSON() as Row])),
    explainer: { ensemble: prepareTrees(trees), platt: trees.platt, spec: TELCO_SPEC },
    layout: featureLayout(TELCO_SPEC),
    /** The customer with this ID (trimmed, any case), or null. */
    lookup: (id: string | null) => (id ? (byId.get(id) ?? byId.get(id.trim().toUpperCase()) ?? null) : null),
  };
}

/** Customers of a segment ("All" = any value), riskiest first. */
export function segment(
  customers: Customer[],
  filter: { persona: string; contract: string; tier: string; variant: string },
): Customer[] {
  const keep = (value: unknown, wanted: string) => wanted === "All" || value === wanted;
  return customers
    .filter(
      (c) =>
        keep(c.persona, filter.persona) &&
        keep(c.contract, filter.contract) &&
        keep(c.risk_tier, filter.tier) &&
        keep(c.ab_variant, filter.variant),
    )
    .sort((a, b) => b.probability - a.probability);
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
