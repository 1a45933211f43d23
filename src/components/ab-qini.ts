import * as Plot from "npm:@observablehq/plot";
import type { QiniPoint } from "../lib/ab.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface QiniSeries {
  /** the targeting rule, e.g. "Estimated uplift" */
  name: string;
  points: QiniPoint[];
}

export interface QiniPlotOptions {
  width?: number;
  title?: string;
  /** the y axis: what the gain counts */
  label?: string;
  height?: number;
}

/** Qini (or gain) curves: churners prevented against the share of customers targeted, one line per rule. */
export function qiniPlot(
  series: QiniSeries[],
  { width = 640, title = "", label = "Churners prevented", height = 320 }: QiniPlotOptions = {},
): SVGSVGElement | HTMLElement {
  const data = series.flatMap((s) => s.points.map((p) => ({ ...p, rule: s.name })));
  const names = series.map((s) => s.name);
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: { label: "Share of customers targeted (%) →", percent: true, domain: [0, 100] },
    y: { label: `↑ ${label}`, grid: true },
    color: {
      legend: true,
      domain: names,
      range: ["var(--rl-accent, #0b6e4f)", "var(--rl-risk-medium, #ef8a62)", "#7f7f7f", "#2166ac"],
    },
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, {
        x: "fraction",
        y: "gain",
        stroke: "rule",
        strokeWidth: 2,
        curve: "linear",
      }),
      Plot.tip(
        data,
        Plot.pointer({
          x: "fraction",
          y: "gain",
          stroke: "rule",
          title: (d) =>
            `${d.rule}\ntarget ${(100 * d.fraction).toFixed(1)}% (${d.targeted.toLocaleString("en-US")} customers)\n${label.toLowerCase()}: ${d.gain.toFixed(1)}`,
        }),
      ),
    ],
  });
}

/** The data behind qiniPlot, for its CSV: one record per point of each targeting rule's curve. */
export function qiniRows(series: QiniSeries[]) {
  return series.flatMap((s) =>
    s.points.map((p) => ({
      rule: s.name,
      customers_targeted: p.targeted,
      share_targeted: +p.fraction.toFixed(6),
      churners_prevented: +p.gain.toFixed(4),
    })),
  );
}

/** qiniPlot with SVG/PNG/CSV downloads (CSV: qiniRows). */
export function qiniView(
  series: QiniSeries[],
  {
    name,
    onDownload,
    ...options
  }: QiniPlotOptions & { name: string; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLDivElement {
  return withDownloads(qiniPlot(series, options), { name, data: () => qiniRows(series), onDownload });
}
