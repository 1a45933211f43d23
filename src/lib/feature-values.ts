/**
 * Where a customer's feature value sits between "low" and "high", for colouring SHAP beeswarms, and the order and
 * wording of values for dependence charts. From the column table's encodings (src/lib/columns.ts), so a feature is
 * read the same way everywhere:
 *  - numbers: the value's rank among the values shown (0 = lowest, 1 = highest; ties share their mean rank), so a
 *    skewed feature still spreads over the whole colour ramp;
 *  - Yes/No columns: No = low, Yes = high; ordered levels (contract) and numeric categories (city tier): by order;
 *  - categories with "No" and "Yes" among others ("No internet service"): No = low, Yes = high, the others none;
 *  - other unordered categories (payment method, internet service): none — they have no low or high, and the
 *    dependence chart shows them by name.
 * Browser-safe: no Node imports.
 */
import { type Column, columnsOf, type DatasetName } from "./columns.js";

export type FeatureValue = string | number | null;

/** How a feature's values are laid out on a dependence chart's x axis. */
export type ValueAxis = { kind: "numeric"; unit?: string } | { kind: "levels"; levels: string[] };

function columnOf(dataset: DatasetName, feature: string): Column | undefined {
  return columnsOf(dataset).find((c) => c.name === feature);
}

/** The ordered levels of a non-numeric feature, or null when it is numeric (or unknown and numeric-valued). */
function levelsOf(column: Column | undefined): { levels: string[]; ordered: boolean } | null {
  const e = column?.encoding;
  if (!e || e.kind === "numeric") return null;
  if (e.kind === "binary") return { levels: [e.negative, e.positive], ordered: true };
  if (e.kind === "ordinal") return { levels: [...e.levels], ordered: true };
  const numeric = e.categories.every((c) => typeof c === "number");
  return { levels: e.categories.map(String), ordered: numeric };
}

/** The x axis of a feature's dependence chart: numeric with its unit, or its levels in order. */
export function valueAxis(dataset: DatasetName, feature: string): ValueAxis {
  const column = columnOf(dataset, feature);
  const levels = levelsOf(column);
  return levels ? { kind: "levels", levels: levels.levels } : { kind: "numeric", unit: column?.unit };
}

/**
 * Each value's position from low (0) to high (1) within the feature, or null where the feature has no order (the
 * chart draws those grey). `values` are one feature's values for the customers shown.
 */
export function valuePositions(
  dataset: DatasetName,
  feature: string,
  values: readonly FeatureValue[],
): (number | null)[] {
  const levels = levelsOf(columnOf(dataset, feature));
  if (levels) {
    const index = new Map(levels.levels.map((l, i) => [l, i]));
    if (levels.ordered)
      return values.map((v) => (v === null ? null : (index.get(String(v)) ?? NaN) / (levels.levels.length - 1)));
    if (index.has("No") && index.has("Yes")) return values.map((v) => (v === "No" ? 0 : v === "Yes" ? 1 : null));
    return values.map(() => null);
  }
  return percentileRanks(values.map((v) => (typeof v === "number" && Number.isFinite(v) ? v : null)));
}

/** Ranks scaled to [0, 1] (ties share their mean rank; a single distinct value sits at 0.5); null stays null. */
export function percentileRanks(values: readonly (number | null)[]): (number | null)[] {
  const present = values.map((v, i) => ({ v, i })).filter((d): d is { v: number; i: number } => d.v !== null);
  present.sort((a, b) => a.v - b.v);
  const out: (number | null)[] = values.map(() => null);
  const n = present.length;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && present[end + 1].v === present[start].v) end++;
    const rank = n > 1 ? (start + end) / 2 / (n - 1) : 0.5;
    for (let k = start; k <= end; k++) out[present[k].i] = rank;
    start = end + 1;
  }
  return out;
}

/** A value as people read it: "24 months", "USD 70.35", "Fiber optic", "missing". */
export function formatValue(dataset: DatasetName, feature: string, value: FeatureValue): string {
  if (value === null) return "missing";
  if (typeof value !== "number") return value;
  const unit = columnOf(dataset, feature)?.unit;
  const number = Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  if (!unit) return number;
  return unit === "USD" || unit === "₹" ? `${unit} ${number}` : `${number} ${unit}`;
}
