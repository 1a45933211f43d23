import { percent as pct } from "../lib/format.js";
import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface CountRow {
  /** the category on the axis */
  group: string;
  /** members of the category */
  n: number;
}

export interface CountBarsOptions {
  width?: number;
  title?: string;
  /** the x axis label */
  label?: string;
  /** what the members are called in the tooltip */
  noun?: string;
  color?: string;
}

/** Rows as plain records (a DuckDB result is an Arrow table of proxies: read it once, here). */
function plainCounts(rows: Iterable<CountRow>): CountRow[] {
  return Array.from(rows, (r) => ({ group: String(r.group), n: Number(r.n) }));
}

/** Horizontal bars of a count per category, each labelled with its count and share of the total. */
export function countBars(
  rows: Iterable<CountRow>,
  {
    width = 640,
    title = "",
    label = "Customers",
    noun = "customers",
    color = "var(--rl-risk-low, #67a9cf)",
  }: CountBarsOptions = {},
): SVGSVGElement | HTMLElement {
  const data = plainCounts(rows);
  const total = data.reduce((s, d) => s + d.n, 0);
  return Plot.plot({
    title,
    width,
    height: 40 + 28 * data.length,
    marginLeft: Math.min(180, width / 3),
    marginRight: 100,
    x: { label: `${label} →`, grid: true },
    y: { label: null, domain: data.map((d) => d.group) },
    marks: [
      Plot.barX(data, { x: "n", y: "group", fill: color }),
      Plot.text(data, {
        x: "n",
        y: "group",
        text: (d) => `${d.n.toLocaleString("en-US")} (${pct(d.n / total)})`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.tip(
        data,
        Plot.pointerY({
          x: "n",
          y: "group",
          title: (d) => `${d.group}\n${d.n.toLocaleString("en-US")} ${noun}, ${pct(d.n / total)} of the base`,
        }),
      ),
    ],
  });
}

/** The data behind countBars, for its CSV: category, customers and share of the total, in the chart's order. */
export function countRows(
  rows: Iterable<CountRow>,
  { groupColumn = "group" }: { groupColumn?: string } = {},
): Record<string, string | number>[] {
  const data = plainCounts(rows);
  const total = data.reduce((s, d) => s + d.n, 0);
  return data.map((d) => ({ [groupColumn]: d.group, customers: d.n, share: total ? +(d.n / total).toFixed(6) : NaN }));
}

/** countBars with SVG/PNG/CSV downloads (CSV: countRows). */
export function countBarsView(
  rows: Iterable<CountRow>,
  {
    name,
    groupColumn,
    onDownload,
    ...options
  }: CountBarsOptions & {
    name: string;
    groupColumn?: string;
    onDownload?: (format: DownloadFormat, name: string) => void;
  },
): HTMLDivElement {
  const data = plainCounts(rows);
  return withDownloads(countBars(data, options), { name, data: () => countRows(data, { groupColumn }), onDownload });
}
