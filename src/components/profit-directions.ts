import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface DirectionRow {
  feature: string;
  /** the generator's true coefficient (log-odds per standard unit) */
  truth: number;
  /** the logistic baseline's estimate, log-odds per standard deviation */
  estimatePerSd: number;
  /** whether the estimate has the true sign */
  agrees: boolean;
}

/** The rows from the strongest true effect to the weakest: the chart's order. */
const byTruth = (rows: readonly DirectionRow[]) => [...rows].sort((a, b) => Math.abs(b.truth) - Math.abs(a.truth));

/** Logistic-regression coefficients next to the generator's true ones, one row per feature, agreement marked. */
export function directionsPlot(
  rows: DirectionRow[],
  {
    width = 640,
    title = "Logistic directions against the true generator coefficients (log-odds)",
  }: { width?: number; title?: string } = {},
): SVGSVGElement | HTMLElement {
  const order = byTruth(rows).map((d) => d.feature);
  const long = rows.flatMap((d) => [
    { feature: d.feature, kind: "truth (generator)", value: d.truth, agrees: d.agrees },
    { feature: d.feature, kind: "logistic estimate", value: d.estimatePerSd, agrees: d.agrees },
  ]);
  const recovered = (d: { agrees: boolean }) => (d.agrees ? "✓ direction recovered" : "✗ direction wrong");
  return Plot.plot({
    title,
    width,
    height: 40 + 30 * rows.length,
    marginLeft: Math.min(230, 8 + 7 * Math.max(...rows.map((d) => d.feature.length), 4)),
    marginRight: width < 520 ? 10 : 150,
    x: { label: "← lowers churn · coefficient (log-odds) · raises churn →", grid: true },
    y: { label: null, domain: order },
    color: {
      legend: true,
      domain: ["truth (generator)", "logistic estimate"],
      range: ["#999999", "var(--rl-accent, #0b6e4f)"],
    },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { y: "feature", x1: "truth", x2: "estimatePerSd", stroke: "#bbb" }),
      Plot.dot(long, { x: "value", y: "feature", fill: "kind", r: 5, symbol: "kind" }),
      width < 520
        ? null
        : Plot.text(rows, {
            y: "feature",
            frameAnchor: "right",
            text: recovered,
            textAnchor: "start",
            dx: 8,
            fill: (d: DirectionRow) => (d.agrees ? "var(--rl-accent, #0b6e4f)" : "var(--rl-risk-high, #b2182b)"),
          }),
      Plot.tip(
        long,
        Plot.pointer({
          x: "value",
          y: "feature",
          channels: { series: "kind", direction: recovered },
          format: { x: (v: number) => v.toFixed(3), fill: false, symbol: false },
        }),
      ),
    ],
  });
}

/** The data behind directionsPlot, for its CSV: one record per feature, in the chart's order. */
export function directionRows(rows: readonly DirectionRow[]) {
  return byTruth(rows).map((d) => ({
    feature: d.feature,
    true_coefficient: d.truth,
    logistic_estimate_per_sd: d.estimatePerSd,
    direction_recovered: d.agrees ? "yes" : "no",
  }));
}

/** directionsPlot with SVG/PNG/CSV downloads (CSV: directionRows). */
export function directionsView(
  rows: DirectionRow[],
  {
    name = "logistic-directions",
    onDownload,
    ...options
  }: {
    width?: number;
    title?: string;
    name?: string;
    onDownload?: (format: DownloadFormat, name: string) => void;
  } = {},
): HTMLDivElement {
  return withDownloads(directionsPlot(rows, options), { name, data: () => directionRows(rows), onDownload });
}
