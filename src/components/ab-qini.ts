import * as Plot from "npm:@observablehq/plot";
import type { QiniPoint } from "../lib/ab.js";

export interface QiniSeries {
  /** the targeting rule, e.g. "Estimated uplift" */
  name: string;
  points: QiniPoint[];
}

/** Qini (or gain) curves: churners prevented against the share of customers targeted, one line per rule. */
export function qiniPlot(
  series: QiniSeries[],
  { width = 640, title = "", label = "Churners prevented", height = 320 } = {},
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
    color: { legend: true, domain: names, range: ["#0b6e4f", "#ef8a62", "#7f7f7f", "#2166ac"] },
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
