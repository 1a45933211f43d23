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
import { columnsOf, labelOf } from "./columns.js";
import { groupedProbabilityShap, type PlattParams } from "./shap-display.js";
import { predictMargin, treeShap, type PreparedEnsemble } from "./treeshap.js";

/** The label of a Telco source feature, from the column table ("Monthly charges"). */
export const featureLabel = (name: string): string => labelOf("telco", name);

const UNITS = new Map<string, string>(
  columnsOf("telco").flatMap((c) => ("unit" in c && c.unit ? [[c.name, c.unit] as [string, string]] : [])),
);
/** The unit of a Telco column from the column table ("months", "USD"), or "". */
const unitOf = (name: string): string => UNITS.get(name) ?? "";

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

/** A field an edit changed besides the one edited, and why (shown under the form). */
export interface FollowedChange {
  field: string;
  from: RawRow[string];
  to: RawRow[string];
  because: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Applies one edit and keeps the Telco inputs consistent the way the data is: without internet every add-on is
 * "No internet service" (and back to "No" when internet is added); without a phone line, multiple_lines is
 * "No phone service"; and, while `totalFollows` (the user has not typed a total), total charges follow tenure ×
 * monthly charges. Returns the new row and every other field it changed, with the reason.
 */
export function applyEdit(
  row: RawRow,
  field: string,
  value: RawRow[string],
  { totalFollows = false }: { totalFollows?: boolean } = {},
): { row: RawRow; followed: FollowedChange[] } {
  const next: RawRow = { ...row, [field]: value };
  const set = (name: string, to: RawRow[string]) => {
    next[name] = to;
  };
  if (field === "internet_service") {
    for (const a of TELCO_ADDONS) {
      if (value === "No") set(a, "No internet service");
      else if (next[a] === "No internet service") set(a, "No");
    }
  } else if ((TELCO_ADDONS as readonly string[]).includes(field)) {
    if (value === "No internet service") {
      set("internet_service", "No");
      for (const a of TELCO_ADDONS) set(a, "No internet service");
    } else if (next.internet_service === "No") {
      set("internet_service", "DSL");
      for (const a of TELCO_ADDONS) if (next[a] === "No internet service") set(a, "No");
    }
  }
  if (field === "phone_service") {
    if (value === "No") set("multiple_lines", "No phone service");
    else if (next.multiple_lines === "No phone service") set("multiple_lines", "No");
  } else if (field === "multiple_lines") {
    set("phone_service", value === "No phone service" ? "No" : "Yes");
  }
  if (totalFollows && (field === "tenure" || field === "monthly_charges")) {
    const tenure = Number(String(next.tenure).trim());
    const monthly = Number(String(next.monthly_charges).trim());
    if (String(next.tenure).trim() !== "" && Number.isFinite(tenure) && Number.isFinite(monthly))
      set("total_charges", round2(tenure * monthly));
  }
  const followed: FollowedChange[] = [];
  for (const name of Object.keys(next)) {
    if (name === field || String(next[name]) === String(row[name])) continue;
    followed.push({ field: name, from: row[name], to: next[name], because: followReason(name) });
  }
  return { row: next, followed };
}

function followReason(name: string): string {
  if (name === "total_charges") return "tenure × monthly charges";
  if (name === "multiple_lines" || name === "phone_service") return "multiple lines need a phone line";
  return "add-ons need an internet service";
}

export interface CheckedInput {
  /** The parsed row (numbers as numbers), or null when a field is invalid. */
  row: RawRow | null;
  /** One message per invalid field (empty when valid), in words: "Tenure must be between 0 and 72 months…". */
  messages: Record<string, string>;
}

/** A numeric field's range in words: "0 and 72 months", "$18.00 and $120.00". */
function rangeWords(field: { name: string; min: number; max: number }): string {
  const unit = unitOf(field.name);
  if (unit === "USD") return `${formatValue(field.name, field.min)} and ${formatValue(field.name, field.max)}`;
  return `${field.min} and ${field.max}${unit ? ` ${unit}` : ""}`;
}

/**
 * Validates form values (strings from text inputs): every field is required, numbers must parse and lie in the
 * range the model was trained on, and every problem is named in words with the field's label and unit. A valid row
 * comes back with its numbers parsed, so no NaN can ever reach the model from the form.
 */
export function checkInput(values: RawRow, spec: FeatureSpec = TELCO_SPEC): CheckedInput {
  const messages: Record<string, string> = {};
  const problems = validateInput(spec, values, { required: true });
  for (const field of spec.fields) {
    if (!(field.name in problems)) continue;
    const label = featureLabel(field.name);
    const raw = String(values[field.name] ?? "").trim();
    if (raw === "") messages[field.name] = `${label} is required.`;
    else if (field.kind !== "numeric") messages[field.name] = `${label}: “${raw}” is not one of the choices.`;
    else if (!Number.isFinite(Number(raw)))
      messages[field.name] = `${label} must be a number between ${rangeWords(field)}; “${raw}” is not a number.`;
    else if (field.integer && !Number.isInteger(Number(raw)))
      messages[field.name] = `${label} must be a whole number of ${unitOf(field.name) || "units"}.`;
    else
      messages[field.name] =
        `${label} must be between ${rangeWords(field)}: ${formatValue(field.name, Number(raw))} is ` +
        `${Number(raw) < field.min ? "below" : "above"} anything the model has seen, so it is not scored.`;
  }
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
 * Calibrated probabilities of rows from the trees, σ(a · margin + b): what model.onnx computes, without ONNX Runtime
 * (the counterfactual search's scorer, on the page and at build time).
 */
export function treeScorer(explainer: Explainer): (rows: readonly RawRow[]) => Float64Array {
  const { ensemble, platt } = explainer;
  const spec = explainer.spec ?? TELCO_SPEC;
  const x = new Float32Array(ensemble.nFeatures);
  return (rows) =>
    Float64Array.from(rows, (row) => {
      encodeRow(spec, row, x);
      return 1 / (1 + Math.exp(-(platt.a * predictMargin(ensemble, x) + platt.b)));
    });
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

/** Formats a raw feature value for labels and the report, with the column table's unit ("1 month", "$29.85"). */
export function formatValue(feature: string, value: RawRow[string]): string {
  if (value === null || value === undefined || value === "") return "—";
  const unit = unitOf(feature);
  if (unit === "USD") return `$${Number(value).toFixed(2)}`;
  // One of a counted unit is singular: "1 month", "1 call", "1 session a month".
  const counted = Number(value) === 1 ? unit.replace(/^(\w+?)s\b/, "$1") : unit;
  return unit ? `${value} ${counted}` : String(value);
}

/** "Tenure = 1 month", "Contract = Month-to-month": a feature with the customer's value, for bars and lists. */
export function featureWithValue(feature: string, row: RawRow): string {
  return feature in row ? `${featureLabel(feature)} = ${formatValue(feature, row[feature])}` : featureLabel(feature);
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The top `top` contributions by absolute size, then one "All other features" bar holding the rest. Drawn in
 * probability space: the stored contributions are the calibrated log-odds contributions scaled into probability
 * points (src/lib/shap-display.ts), so they are turned back into log-odds, added one bar at a time, and each bar
 * runs from σ(log-odds before) to σ(log-odds after). The running total is then always a probability (0–100%), the
 * bars still sum to probability − base, and the last bar ends exactly at the customer's probability.
 */
export function waterfallSteps(
  explanation: Explanation,
  { top = 8, row = {} as RawRow }: { top?: number; row?: RawRow } = {},
): Waterfall {
  const { base, probability, features, values } = explanation;
  if (!(top >= 1)) throw new Error(`invalid top: ${top}`);
  if (!(base > 0 && base < 1 && probability > 0 && probability < 1))
    throw new Error(`invalid explanation: base ${base}, probability ${probability}`);
  // Probability points per unit of log-odds for this row (the local slope when the two coincide).
  const delta = probability - base;
  const perLogit = Math.abs(delta) > 1e-12 ? delta / (logit(probability) - logit(base)) : base * (1 - base);
  const order = features.map((_, i) => i).sort((i, j) => Math.abs(values[j]) - Math.abs(values[i]) || i - j);
  const shown = order.slice(0, Math.min(top, features.length));
  const steps: WaterfallStep[] = [];
  let z = logit(base);
  let running = base;
  for (const i of shown) {
    const f = features[i];
    z += values[i] / perLogit;
    const end = sigmoid(z);
    steps.push({
      feature: f,
      label: featureWithValue(f, row),
      detail: formatValue(f, row[f]),
      value: end - running,
      start: running,
      end,
    });
    running = end;
  }
  const rest = features.length - shown.length;
  if (rest > 0) {
    steps.push({
      feature: "other",
      label: `All other features (${rest})`,
      detail: "",
      value: probability - running,
      start: running,
      end: probability,
    });
  } else if (steps.length > 0) {
    const last = steps[steps.length - 1];
    last.end = probability;
    last.value = probability - last.start;
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
        `${featureWithValue(f, row)}: ${v >= 0 ? "+" : "−"}${(100 * Math.abs(v)).toFixed(1)} pp ${v >= 0 ? "towards" : "away from"} churn`,
    );
}

/** Formats a probability as a percentage with one decimal. */
export const percent = (p: number): string => `${(100 * p).toFixed(1)}%`;

/** Signed change in percentage points. */
export const pointsChange = (delta: number): string =>
  `${delta >= 0 ? "+" : "−"}${(100 * Math.abs(delta)).toFixed(1)} pp`;
