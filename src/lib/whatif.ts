/**
 * Pure helpers of the customer page's "What if?" panel and its SHAP waterfall: pick a customer's model inputs,
 * keep edited inputs consistent, validate and parse them, explain a row with the TS TreeSHAP in probability
 * terms, and turn per-feature contributions into waterfall steps that sum exactly to the score.
 * Browser-safe and Node-safe (scripts/bench-whatif.ts and the unit tests import it).
 */
import {
  TELCO_ADDONS,
  TELCO_SPEC,
  encodeRow,
  featureLayout,
  validateInput,
  type FeatureSpec,
  type RawRow,
} from "./features.js";
import { labelOf } from "./columns.js";
import { groupedProbabilityShap, type PlattParams } from "./shap-display.js";
import { treeShap, type PreparedEnsemble } from "./treeshap.js";

/** The label of a Telco source feature, from the column table ("Monthly charges"). */
export const featureLabel = (name: string): string => labelOf("telco", name);

/** The model inputs of a customer record (Arrow row or plain object): one value per spec field. */
export function modelInputs(customer: object, spec: FeatureSpec = TELCO_SPEC): RawRow {
  const record = customer as Record<string, unknown>;
  const row: RawRow = {};
  for (const field of spec.fields) {
    const v = record[field.name];
    row[field.name] = typeof v === "bigint" ? Number(v) : (v as RawRow[string]);
  }
  return row;
}

/**
 * Applies one edit and keeps the Telco inputs consistent the way the data is: without internet every add-on is
 * "No internet service" (and back to "No" when internet is added); without a phone line, multiple_lines is
 * "No phone service". Returns a new row.
 */
export function applyEdit(row: RawRow, field: string, value: RawRow[string]): RawRow {
  const next: RawRow = { ...row, [field]: value };
  if (field === "internet_service") {
    for (const a of TELCO_ADDONS) {
      if (value === "No") next[a] = "No internet service";
      else if (next[a] === "No internet service") next[a] = "No";
    }
  } else if ((TELCO_ADDONS as readonly string[]).includes(field)) {
    if (value === "No internet service") {
      next.internet_service = "No";
      for (const a of TELCO_ADDONS) next[a] = "No internet service";
    } else if (next.internet_service === "No") {
      next.internet_service = "DSL";
      for (const a of TELCO_ADDONS) if (next[a] === "No internet service") next[a] = "No";
    }
  }
  if (field === "phone_service") {
    if (value === "No") next.multiple_lines = "No phone service";
    else if (next.multiple_lines === "No phone service") next.multiple_lines = "No";
  } else if (field === "multiple_lines") {
    next.phone_service = value === "No phone service" ? "No" : "Yes";
  }
  return next;
}

export interface CheckedInput {
  /** The parsed row (numbers as numbers), or null when a field is invalid. */
  row: RawRow | null;
  /** One message per invalid field (empty when valid). */
  messages: Record<string, string>;
}

/**
 * Validates form values (strings from text inputs) with the shared validateInput: every field is required,
 * numbers must parse and lie in the spec's range. A valid row comes back with its numbers parsed, so no NaN
 * can ever reach the model from the form.
 */
export function checkInput(values: RawRow, spec: FeatureSpec = TELCO_SPEC): CheckedInput {
  const messages = validateInput(spec, values, { required: true });
  if (Object.keys(messages).length > 0) return { row: null, messages };
  const row: RawRow = { ...values };
  for (const field of spec.fields)
    if (field.kind === "numeric") row[field.name] = Number(String(values[field.name]).trim());
  return { row, messages };
}

/** The names of the fields whose value differs between two rows (numbers compared as numbers). */
export function changedFields(before: RawRow, after: RawRow, spec: FeatureSpec = TELCO_SPEC): string[] {
  return spec.fields
    .filter((f) =>
      f.kind === "numeric"
        ? Number(before[f.name]) !== Number(after[f.name])
        : String(before[f.name]) !== String(after[f.name]),
    )
    .map((f) => f.name);
}

/** A row's explanation in probability terms, one value per source feature. */
export interface Explanation {
  /** Calibrated probability with every feature at its expectation. */
  base: number;
  /** The row's calibrated probability (TreeSHAP's; equals the ONNX score within float precision). */
  probability: number;
  /** Source feature names, in spec order. */
  features: string[];
  /** Contributions in probability units; they sum to probability − base. */
  values: number[];
}

/** The model pieces an explanation needs (trees.json prepared once). */
export interface Explainer {
  ensemble: PreparedEnsemble;
  platt: PlattParams;
  spec?: FeatureSpec;
}

/** Encodes a row (float32, as the model sees it). */
export function encodeInput(row: RawRow, spec: FeatureSpec = TELCO_SPEC): Float32Array {
  return encodeRow(spec, row);
}

/** TreeSHAP of one encoded row, turned into probability terms grouped per source feature. */
export function explainEncoded(explainer: Explainer, x: Float32Array): Explanation {
  const layout = featureLayout(explainer.spec ?? TELCO_SPEC);
  const phi = treeShap(explainer.ensemble, x);
  const shap = groupedProbabilityShap(phi, explainer.platt, layout.groupIndex, layout.groups.length);
  return { base: shap.base, probability: shap.probability, features: layout.groups, values: Array.from(shap.values) };
}

/**
 * An explanation from stored per-feature SHAP (shap.arrow, joined by customer_id) and the stored probability.
 * The base is the probability minus the contributions, so base + Σ values = probability holds exactly for the row.
 */
export function storedExplanation(probability: number, shapRow: object, features: readonly string[]): Explanation {
  const record = shapRow as Record<string, unknown>;
  const values = features.map((f) => {
    const v = Number(record[f]);
    if (!Number.isFinite(v)) throw new Error(`invalid SHAP value for ${f}: ${String(record[f])}`);
    return v;
  });
  const base = probability - values.reduce((s, v) => s + v, 0);
  return { base, probability, features: [...features], values };
}

/** One bar of the waterfall: it moves the running score from `start` to `end`. */
export interface WaterfallStep {
  feature: string;
  label: string;
  /** The customer's value of the feature, for the tooltip ("" for the "other features" bar). */
  detail: string;
  value: number;
  start: number;
  end: number;
}

export interface Waterfall {
  base: number;
  probability: number;
  steps: WaterfallStep[];
}

/** Formats a raw feature value for labels and the report. */
export function formatValue(feature: string, value: RawRow[string]): string {
  if (value === null || value === undefined || value === "") return "—";
  if (feature === "tenure") return `${value} ${value === 1 ? "month" : "months"}`;
  if (feature === "monthly_charges" || feature === "total_charges") return `$${Number(value).toFixed(2)}`;
  return String(value);
}

/**
 * The top `top` contributions by absolute size, then one "All other features" bar holding the rest, computed as
 * the remainder so that base + Σ steps = probability exactly (to float rounding).
 */
export function waterfallSteps(
  explanation: Explanation,
  { top = 8, row = {} as RawRow }: { top?: number; row?: RawRow } = {},
): Waterfall {
  const { base, probability, features, values } = explanation;
  if (!(top >= 1)) throw new Error(`invalid top: ${top}`);
  const order = features.map((_, i) => i).sort((i, j) => Math.abs(values[j]) - Math.abs(values[i]) || i - j);
  const shown = order.slice(0, Math.min(top, features.length));
  const steps: WaterfallStep[] = [];
  let running = base;
  for (const i of shown) {
    const f = features[i];
    steps.push({
      feature: f,
      label: featureLabel(f),
      detail: formatValue(f, row[f]),
      value: values[i],
      start: running,
      end: running + values[i],
    });
    running += values[i];
  }
  const rest = features.length - shown.length;
  if (rest > 0) {
    const value = probability - running;
    steps.push({
      feature: "other",
      label: `All other features (${rest})`,
      detail: "",
      value,
      start: running,
      end: probability,
    });
  } else if (steps.length > 0) {
    steps[steps.length - 1].end = probability;
  }
  return { base, probability, steps };
}

/** The top drivers towards churn and away from it, as readable lines (report, page). */
export function topDrivers(explanation: Explanation, n = 3, row: RawRow = {}): string[] {
  const { features, values } = explanation;
  return features
    .map((f, i) => ({ f, v: values[i] }))
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, n)
    .map(
      ({ f, v }) =>
        `${featureLabel(f)} = ${formatValue(f, row[f])}: ${v >= 0 ? "+" : "−"}${(100 * Math.abs(v)).toFixed(1)} pp ${v >= 0 ? "towards" : "away from"} churn`,
    );
}

/** Formats a probability as a percentage with one decimal. */
export const percent = (p: number): string => `${(100 * p).toFixed(1)}%`;

/** Signed change in percentage points. */
export const pointsChange = (delta: number): string =>
  `${delta >= 0 ? "+" : "−"}${(100 * Math.abs(delta)).toFixed(1)} pp`;
