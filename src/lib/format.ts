/**
 * Formatting for people, one module for every page, component and embed: percentages, signed percentage points,
 * counts, money, p-values. A number that is not finite shows as a dash, never "NaN%".
 */
const INDIAN_GROUPING = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 0 });

/** Money in rupees with Indian digit grouping, rounded to the rupee: "₹1,23,457", "−₹2,000". */
export function formatRupees(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const rounded = Math.round(x);
  const text = `₹${INDIAN_GROUPING.format(Math.abs(rounded))}`;
  return rounded < 0 ? `−${text}` : text;
}

/** A count rounded to a whole number, with Indian digit grouping: "1,23,457". */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const rounded = Math.round(x);
  return rounded < 0 ? `−${INDIAN_GROUPING.format(-rounded)}` : INDIAN_GROUPING.format(rounded);
}

/** A share as a percentage with one decimal (default): 0.2654 → "26.5%". */
export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "–";
}

/** A difference in percentage points with its sign (a true minus): −0.0373 → "−3.7 pp", 0 → "0.0 pp". */
export function signedPoints(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "–";
  return `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(100 * x).toFixed(digits)} pp`;
}

/** A whole count with US digit grouping (the Telco pages): 7043 → "7,043". */
export function count(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–";
}

/** A p-value as a reader needs it: four decimals, "< 0.0001" below that. */
export function pValue(p: number): string {
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}
