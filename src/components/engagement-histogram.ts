import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

/** Customers who stayed and who churned: the colours of the outcome histogram. */
const OUTCOME_COLORS = {
  legend: true,
  domain: ["Stayed", "Churned"],
  range: ["var(--rl-risk-low, #67a9cf)", "var(--rl-risk-high, #b2182b)"],
};
const OUTCOMES = ["Stayed", "Churned"];

type OnDownload = (format: DownloadFormat, name: string) => void;

// --------------------------------------------------------------------------- a numeric value, binned

export interface OutcomeValue {
  /** the customer's value (tenure in months, …) */
  value: number;
  /** "Stayed" or "Churned" */
  outcome: string;
  /** customers with this value and outcome (default 1: one row per customer) */
  n?: number;
}

export interface OutcomeBin {
  /** the bin is [lo, hi) */
  lo: number;
  hi: number;
  stayed: number;
  churned: number;
}

/**
 * Bins [lo, hi) of width `binWidth`, from the one holding the lowest value to the one holding the highest, counting
 * who stayed and who churned (the edges Plot's binX chooses for a count of thresholds that gives this width).
 */
export function outcomeBins(rows: Iterable<OutcomeValue>, binWidth: number): OutcomeBin[] {
  if (!(binWidth > 0)) throw new Error(`invalid bin width: ${binWidth}`);
  const data = Array.from(rows, (r) => ({ value: Number(r.value), outcome: String(r.outcome), n: Number(r.n ?? 1) }));
  const values = data.map((d) => d.value).filter(Number.isFinite);
  if (!values.length) return [];
  const first = Math.floor(Math.min(...values) / binWidth);
  const last = Math.floor(Math.max(...values) / binWidth);
  const bins: OutcomeBin[] = [];
  for (let i = first; i <= last; i++) bins.push({ lo: i * binWidth, hi: (i + 1) * binWidth, stayed: 0, churned: 0 });
  for (const d of data) {
    if (!Number.isFinite(d.value)) continue;
    const bin = bins[Math.floor(d.value / binWidth) - first];
    if (d.outcome === "Churned") bin.churned += d.n;
    else bin.stayed += d.n;
  }
  return bins;
}

/** A histogram of a numeric value with stacked outcomes (stayed, churned), from outcomeBins. */
export function outcomeBinsHistogram(
  bins: readonly OutcomeBin[],
  { width = 640, title = "", xLabel = "", height = 260 } = {},
): SVGSVGElement | HTMLElement {
  const long = bins.flatMap((b) =>
    OUTCOMES.map((outcome) => ({ ...b, outcome, n: outcome === "Churned" ? b.churned : b.stayed })),
  );
  const rate = (b: OutcomeBin) =>
    b.stayed + b.churned ? `${((100 * b.churned) / (b.stayed + b.churned)).toFixed(1)}%` : "—";
  return Plot.plot({
    title,
    width,
    height,
    x: { label: `${xLabel} →` },
    y: { label: "↑ Customers", grid: true },
    color: OUTCOME_COLORS,
    marks: [
      Plot.rectY(long, {
        x1: "lo",
        x2: "hi",
        y: "n",
        fill: "outcome",
        order: OUTCOMES,
        insetLeft: 0.5,
        insetRight: 0.5,
        tip: true,
        title: (d) =>
          `${xLabel}: ${d.lo}–${d.hi}\n${d.outcome}: ${d.n.toLocaleString("en-US")} customers\nchurn rate in bin: ${rate(d)}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * The data behind outcomeBinsHistogram, for its CSV: one record per bin. `valueColumn` names the value, e.g.
 * "tenure_months" → columns tenure_months_from, tenure_months_to (the bin is [from, to)).
 */
export function outcomeBinRows(
  bins: readonly OutcomeBin[],
  { valueColumn = "value" }: { valueColumn?: string } = {},
): Record<string, number>[] {
  return bins.map((b) => {
    const all = b.stayed + b.churned;
    return {
      [`${valueColumn}_from`]: b.lo,
      [`${valueColumn}_to`]: b.hi,
      customers: all,
      stayed: b.stayed,
      churned: b.churned,
      churn_rate: all ? +(b.churned / all).toFixed(6) : NaN,
    };
  });
}

/** The binned histogram with SVG/PNG/CSV downloads (CSV: outcomeBinRows). */
export function outcomeBinsHistogramView(
  rows: Iterable<OutcomeValue>,
  {
    binWidth,
    name,
    valueColumn,
    onDownload,
    ...options
  }: {
    binWidth: number;
    name: string;
    valueColumn?: string;
    onDownload?: OnDownload;
    width?: number;
    title?: string;
    xLabel?: string;
    height?: number;
  },
): HTMLDivElement {
  const bins = outcomeBins(rows, binWidth);
  return withDownloads(outcomeBinsHistogram(bins, options), {
    name,
    data: () => outcomeBinRows(bins, { valueColumn }),
    onDownload,
  });
}
