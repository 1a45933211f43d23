import { labelOf } from "../lib/columns.js";
import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface DriverCell {
  persona: string;
  /** the source feature */
  feature: string;
  /** mean SHAP value within the persona, in probability units */
  shap: number;
}

export interface PersonaDriversOptions {
  width?: number;
  title?: string;
  /** the personas in order (default: first seen) */
  personas?: string[];
  /** the features in order (default: first seen) */
  features?: string[];
}

/** The Telco column table's label of a feature (the heatmap is Telco's persona view). */
const featureName = (feature: string) => labelOf("telco", feature);

/** Heatmap of mean SHAP (percentage points of churn probability) by persona and feature, diverging at 0. */
export function personaDrivers(
  cells: Iterable<DriverCell>,
  { width = 640, title = "", personas = undefined, features = undefined }: PersonaDriversOptions = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(cells);
  const max = Math.max(...data.map((d) => Math.abs(d.shap)), 1e-9) * 100;
  const narrow = width < 600;
  const f = features ?? [...new Set(data.map((d) => d.feature))];
  const p = personas ?? [...new Set(data.map((d) => d.persona))];
  // On a phone, features run down the page so the labels stay readable.
  const [x, y, xDomain, yDomain] = narrow
    ? (["persona", "feature", p, f] as const)
    : (["feature", "persona", f, p] as const);
  return Plot.plot({
    title,
    width,
    height: narrow ? 40 + 24 * f.length + 120 : 60 + 34 * p.length + 110,
    marginLeft: narrow ? 120 : 170,
    marginBottom: narrow ? 120 : 110,
    x: { label: null, domain: xDomain, tickRotate: -40, tickFormat: narrow ? undefined : featureName },
    y: { label: null, domain: yDomain, tickFormat: narrow ? featureName : undefined },
    color: {
      type: "diverging",
      scheme: "RdBu",
      reverse: true,
      domain: [-max, max],
      legend: true,
      label: "Mean SHAP: pushes churn probability (percentage points)",
    },
    marks: [
      Plot.cell(data, { x, y, fill: (d) => 100 * d.shap, inset: 0.5 }),
      Plot.tip(
        data,
        Plot.pointer({
          x,
          y,
          title: (d) =>
            `${d.persona}\n${featureName(d.feature)}: ${d.shap >= 0 ? "+" : ""}${(100 * d.shap).toFixed(2)} pp on average`,
        }),
      ),
    ],
  });
}

/** The data behind the heatmap, for its CSV: one record per persona and feature, in the chart's orders, in pp. */
export function driverRows(
  cells: Iterable<DriverCell>,
  { personas, features }: { personas?: readonly string[]; features?: readonly string[] } = {},
): { persona: string; feature: string; mean_shap_pp: number }[] {
  const data = Array.from(cells, (d) => ({
    persona: String(d.persona),
    feature: String(d.feature),
    shap: Number(d.shap),
  }));
  const p = personas ?? [...new Set(data.map((d) => d.persona))];
  const f = features ?? [...new Set(data.map((d) => d.feature))];
  const rank = (order: readonly string[], v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
  return data
    .sort((a, b) => rank(p, a.persona) - rank(p, b.persona) || rank(f, a.feature) - rank(f, b.feature))
    .map((d) => ({ persona: d.persona, feature: d.feature, mean_shap_pp: +(100 * d.shap).toFixed(4) }));
}

/** personaDrivers with SVG/PNG/CSV downloads (CSV: driverRows). */
export function personaDriversView(
  cells: Iterable<DriverCell>,
  {
    name = "persona-drivers",
    onDownload,
    ...options
  }: PersonaDriversOptions & { name?: string; onDownload?: (format: DownloadFormat, name: string) => void } = {},
): HTMLDivElement {
  const data = Array.from(cells);
  return withDownloads(personaDrivers(data, options), {
    name,
    data: () => driverRows(data, options),
    onDownload,
  });
}
