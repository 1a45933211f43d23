import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

/** Customers who stayed and who churned: the colours of both outcome histograms. */
const OUTCOME_COLORS = {
  legend: true,
  domain: ["Stayed", "Churned"],
  range: ["var(--rl-risk-low, #67a9cf)", "var(--rl-risk-high, #b2182b)"],
};
const OUTCOMES = ["Stayed", "Churned"];

type OnDownload = (format: DownloadFormat, name: string) => void;

export interface OutcomeCount {
  /** the bucket on the x axis (a number of days, calls, …, or a label) */
  bucket: string;
  /** "Stayed" or "Churned" */
  outcome: string;
  /** customers in the bucket with the outcome */
  n: number;
}

export interface OutcomeHistogramOptions {
  width?: number;
  title?: string;
  xLabel?: string;
  /** the buckets left to right (default: the order of the rows) */
  order?: string[];
  height?: number;
}

/** Rows as plain records (a DuckDB result is an Arrow table of proxies: read it once, here). */
function plainCounts(rows: Iterable<OutcomeCount>): OutcomeCount[] {
  return Array.from(rows, (r) => ({ bucket: String(r.bucket), outcome: String(r.outcome), n: Number(r.n) }));
}

/** Customers per bucket: all and churned, in first-seen order. */
function bucketTotals(data: readonly OutcomeCount[]): Map<string, { all: number; churned: number }> {
  const totals = new Map<string, { all: number; churned: number }>();
  for (const d of data) {
    const t = totals.get(d.bucket) ?? { all: 0, churned: 0 };
    t.all += d.n;
    if (d.outcome === "Churned") t.churned += d.n;
    totals.set(d.bucket, t);
  }
  return totals;
}

/** Stacked bars of customers per bucket split by outcome, with the bucket's churn rate in the tooltip. */
export function outcomeHistogram(
  rows: Iterable<OutcomeCount>,
  { width = 640, title = "", xLabel = "", order = undefined, height = 260 }: OutcomeHistogramOptions = {},
): SVGSVGElement | HTMLElement {
  const data = plainCounts(rows);
  const totals = bucketTotals(data);
  const rate = (b: string) => {
    const t = totals.get(b)!;
    return t.all ? `${((100 * t.churned) / t.all).toFixed(1)}%` : "—";
  };
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: {
      label: xLabel,
      domain: order ?? [...totals.keys()],
      tickRotate: width < 500 && (order?.length ?? 0) > 8 ? -45 : 0,
    },
    y: { label: "↑ Customers", grid: true },
    color: OUTCOME_COLORS,
    marks: [
      Plot.barY(data, { x: "bucket", y: "n", fill: "outcome", order: OUTCOMES }),
      Plot.ruleY([0]),
      Plot.tip(
        data,
        Plot.pointerX(
          Plot.stackY({
            x: "bucket",
            y: "n",
            order: OUTCOMES,
            fill: "outcome",
            title: (d) =>
              `${xLabel}: ${d.bucket}\n${d.outcome}: ${d.n.toLocaleString("en-US")} customers\nchurn rate in bucket: ${rate(d.bucket)}`,
          }),
        ),
      ),
    ],
  });
}

/**
 * The data behind an outcome histogram, for its CSV: one record per bucket (in the chart's order) with the
 * customers who stayed, who churned, and the bucket's churn rate. `bucketColumn` names the bucket column.
 */
export function outcomeRows(
  rows: Iterable<OutcomeCount>,
  { order, bucketColumn = "bucket" }: { order?: readonly string[]; bucketColumn?: string } = {},
): Record<string, string | number>[] {
  const data = plainCounts(rows);
  const totals = bucketTotals(data);
  const buckets = [...totals.keys()];
  if (order) {
    const rank = (b: string) => (order.includes(b) ? order.indexOf(b) : order.length);
    buckets.sort((a, b) => rank(a) - rank(b));
  }
  return buckets.map((bucket) => {
    const t = totals.get(bucket)!;
    return {
      [bucketColumn]: bucket,
      customers: t.all,
      stayed: t.all - t.churned,
      churned: t.churned,
      churn_rate: t.all ? +(t.churned / t.all).toFixed(6) : NaN,
    };
  });
}

/** outcomeHistogram with SVG/PNG/CSV downloads (CSV: outcomeRows). */
export function outcomeHistogramView(
  rows: Iterable<OutcomeCount>,
  {
    name,
    bucketColumn,
    onDownload,
    ...options
  }: OutcomeHistogramOptions & { name: string; bucketColumn?: string; onDownload?: OnDownload },
): HTMLDivElement {
  const data = plainCounts(rows);
  return withDownloads(outcomeHistogram(data, options), {
    name,
    data: () => outcomeRows(data, { order: options.order, bucketColumn }),
    onDownload,
  });
}

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
