import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface StratumComparison {
  /** "persona | contract" */
  stratum: string;
  /** customers in the stratum (both arms) */
  n: number;
  /** the T-learner's estimate (fraction; negative = churn prevented) */
  estimate: number;
  /** the simulation's true average effect in the stratum (fraction) */
  truth: number;
}

/** Estimated against true effect per stratum, in percentage points; dots sized by customers, on the y = x line. */
export function upliftVsTruth(
  rows: Iterable<StratumComparison>,
  { width = 640, title = "" } = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows, (d) => ({ ...d, e: 100 * d.estimate, t: 100 * d.truth }));
  const lo = Math.min(0, ...data.map((d) => Math.min(d.e, d.t))) - 1;
  const hi = Math.max(0, ...data.map((d) => Math.max(d.e, d.t))) + 1;
  const side = Math.min(width, 520);
  return Plot.plot({
    title,
    width: side,
    height: side,
    marginLeft: 50,
    x: { label: "True effect in the stratum (pp) →", domain: [lo, hi], grid: true },
    y: { label: "↑ Estimated effect (pp)", domain: [lo, hi], grid: true },
    r: { range: [2, 12] },
    marks: [
      Plot.line(
        [
          [lo, lo],
          [hi, hi],
        ],
        { stroke: "currentColor", strokeOpacity: 0.4, strokeDasharray: "4,4" },
      ),
      Plot.dot(data, { x: "t", y: "e", r: "n", fill: "var(--rl-accent, #0b6e4f)", fillOpacity: 0.6, stroke: "white" }),
      Plot.tip(
        data,
        Plot.pointer({
          x: "t",
          y: "e",
          title: (d) =>
            `${d.stratum}\n${d.n.toLocaleString("en-US")} customers\nestimated ${d.e.toFixed(1)} pp\ntrue ${d.t.toFixed(1)} pp`,
        }),
      ),
    ],
  });
}

/** The data behind upliftVsTruth, for its CSV: one record per stratum, effects in percentage points. */
export function upliftRows(rows: Iterable<StratumComparison>) {
  return Array.from(rows, (d) => ({
    stratum: d.stratum,
    customers: d.n,
    estimated_effect_pp: +(100 * d.estimate).toFixed(4),
    true_effect_pp: +(100 * d.truth).toFixed(4),
  }));
}

/** upliftVsTruth with SVG/PNG/CSV downloads (CSV: upliftRows). */
export function upliftVsTruthView(
  rows: Iterable<StratumComparison>,
  {
    name = "uplift-vs-truth",
    onDownload,
    ...options
  }: {
    width?: number;
    title?: string;
    name?: string;
    onDownload?: (format: DownloadFormat, name: string) => void;
  } = {},
): HTMLDivElement {
  const data = Array.from(rows);
  return withDownloads(upliftVsTruth(data, options), { name, data: () => upliftRows(data), onDownload });
}
