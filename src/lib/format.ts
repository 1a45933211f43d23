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

/** The currencies of the data sets: rupees (food delivery) and US dollars (IBM Telco). */
export type Currency = "INR" | "USD";

const US_GROUPING = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const SYMBOL: Record<Currency, string> = { INR: "₹", USD: "$" };

/**
 * Money for people in the data set's currency, rounded to the unit, with a true minus: "₹1,23,457", "−$2,000".
 * `compact` shortens large amounts the way each market reads them: "₹40.1 lakh", "₹1.23 crore"; "$412.3k", "$1.23M".
 */
export function formatMoney(x: number, currency: Currency, { compact = false } = {}): string {
  if (!Number.isFinite(x)) return "–";
  const sign = Math.round(x) < 0 ? "−" : "";
  const a = Math.abs(x);
  const symbol = SYMBOL[currency];
  if (!symbol) throw new Error(`invalid currency: ${currency}`);
  if (compact && currency === "INR" && a >= 1e7) return `${sign}₹${(a / 1e7).toFixed(2)} crore`;
  if (compact && currency === "INR" && a >= 1e5) return `${sign}₹${(a / 1e5).toFixed(1)} lakh`;
  if (compact && currency === "USD" && a >= 1e6) return `${sign}$${(a / 1e6).toFixed(2)}M`;
  if (compact && currency === "USD" && a >= 1e4) return `${sign}$${(a / 1e3).toFixed(1)}k`;
  const grouping = currency === "INR" ? INDIAN_GROUPING : US_GROUPING;
  return `${sign}${symbol}${grouping.format(Math.round(a))}`;
}

/** A count with the data set's digit grouping: Indian for rupee data, US for dollar data. */
export function formatCountIn(x: number, currency: Currency): string {
  return currency === "INR" ? formatCount(x) : count(x);
}
