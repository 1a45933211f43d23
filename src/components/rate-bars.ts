import * as Plot from "npm:@observablehq/plot";
import { wilson } from "../lib/stats.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface RateRow {
  /** the category on the axis */
  group: string;
  /** members of the category */
  n: number;
  /** members with the outcome (e.g. churned) */
  k: number;
}

export interface RateBarsOptions {
  width?: number;
  title?: string;
  /** the x axis label, e.g. "Churn rate" */
  label?: string;
  /** what the members are called in the tooltip */
  noun?: string;
  /** the categories top to bottom (default: the order of the rows) */
  order?: string[];
  color?: string;
}

/** Horizontal bars of a rate per category with 95% Wilson intervals, a title, a unit and tooltips. */
export function rateBars(
  rows: Iterable<RateRow>,
  {
    width = 640,
    title = "",
    label = "Churn rate",
    noun = "customers",
    order = undefined,
    color = "var(--rl-accent, #0b6e4f)",
  }: RateBarsOptions = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows, (r) => ({ ...r, n: Number(r.n), k: Number(r.k), ...wilson(Number(r.k), Number(r.n)) }));
  const marginLeft = Math.min(180, 8 + 7 * Math.max(...data.map((d) => d.group.length), 4));
  return Plot.plot({
    title,
    // Never narrower than its margins: while a layout settles, a container can report a few dozen pixels, and the
    // bars would get negative widths.
    width: Math.max(width, marginLeft + 120),
    marginLeft,
    height: 40 + 28 * data.length,
    x: {
      label: `${label} →`,
      tickFormat: "%",
      domain: [0, Math.min(1, Math.max(...data.map((d) => d.hi)) * 1.15)],
      grid: true,
    },
    y: { label: null, domain: order ?? data.map((d) => d.group) },
    marks: [
      Plot.barX(data, { x: "rate", y: "group", fill: color, fillOpacity: 0.8 }),
      Plot.ruleY(data, { x1: "lo", x2: "hi", y: "group", stroke: "currentColor", strokeWidth: 1.5 }),
      Plot.text(data, {
        x: "hi",
        y: "group",
        text: (d) => `${(100 * d.rate).toFixed(1)}%`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.tip(
        data,
        Plot.pointerY({
          x: "rate",
          y: "group",
          channels: {
            [noun]: "n",
            churned: "k",
            "95% CI": (d) => `${(100 * d.lo).toFixed(1)}–${(100 * d.hi).toFixed(1)}%`,
          },
          format: { x: (v: number) => `${(100 * v).toFixed(1)}%` },
        }),
      ),
    ],
  });
}

/** Rows as plain records (a DuckDB result is an Arrow table of proxies: read it once, here). */
function plainRates(rows: Iterable<RateRow>): RateRow[] {
  return Array.from(rows, (r) => ({ group: String(r.group), n: Number(r.n), k: Number(r.k) }));
}

/**
 * The data behind a rate chart, for its CSV: one record per category in the chart's order, with the rate and its
 * 95% Wilson interval as the chart computes them. `groupColumn` names the category column (default "group").
 */
export function rateRows(
  rows: Iterable<RateRow>,
  { order, groupColumn = "group" }: { order?: readonly string[]; groupColumn?: string } = {},
): Record<string, string | number>[] {
  const data = plainRates(rows);
  if (order) {
    const rank = (g: string) => (order.includes(g) ? order.indexOf(g) : order.length);
    data.sort((a, b) => rank(a.group) - rank(b.group));
  }
  return data.map((d) => {
    const w = wilson(d.k, d.n);
    return {
      [groupColumn]: d.group,
      customers: d.n,
      churned: d.k,
      churn_rate: +w.rate.toFixed(6),
      ci95_low: +w.lo.toFixed(6),
      ci95_high: +w.hi.toFixed(6),
    };
  });
}

export interface RateBarsViewOptions extends RateBarsOptions {
  /** the download file name without extension, e.g. "churn-by-contract" */
  name: string;
  /** the CSV's category column (default "group") */
  groupColumn?: string;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** rateBars with SVG/PNG/CSV downloads (CSV: rateRows). */
export function rateBarsView(
  rows: Iterable<RateRow>,
  { name, groupColumn, onDownload, ...options }: RateBarsViewOptions,
): HTMLDivElement {
  const data = plainRates(rows);
  return withDownloads(rateBars(data, options), {
    name,
    data: () => rateRows(data, { order: options.order, groupColumn }),
    onDownload,
  });
}
