import * as Plot from "npm:@observablehq/plot";
import { formatRupees, type CurveSample } from "../lib/profit.js";

export interface ModelCurve {
  /** model name, the colour legend's entry */
  model: string;
  samples: CurveSample[];
  /** profit when this model's scores are cut at the theoretical threshold */
  atTheory: number;
  /** this model's own best threshold and its profit */
  optimum: { threshold: number; profit: number };
}

/** The profit curves of several models on one chart, each marked where the theoretical threshold cuts its scores. */
export function modelComparisonPlot(
  models: ModelCurve[],
  {
    width = 640,
    height = 340,
    theoretical = 0.35,
    title = "Profit by threshold for each model (₹): miscalibration costs money at the theoretical threshold",
  } = {},
): SVGSVGElement | HTMLElement {
  const lines = models.flatMap((m) => m.samples.map((s) => ({ ...s, model: m.model })));
  const atTheory = models.map((m) => ({ model: m.model, threshold: theoretical, profit: m.atTheory }));
  const best = models.map((m) => ({ model: m.model, ...m.optimum }));
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 70,
    x: { label: "Threshold on the model's score →", domain: [0, 1], tickFormat: "%" },
    y: { label: "↑ Expected profit (₹)", grid: true, tickFormat: (v: number) => formatRupees(v) },
    color: { legend: true, domain: models.map((m) => m.model), range: ["#0b6e4f", "#d95f02", "#7570b3"] },
    marks: [
      Plot.ruleY([0], { stroke: "var(--theme-foreground-faint, #999)" }),
      Plot.ruleX([theoretical], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.text([theoretical], {
        x: (d: number) => d,
        frameAnchor: "top",
        text: () => `theory ${theoretical.toFixed(3)}`,
        textAnchor: "start",
        dx: 4,
        dy: 4,
      }),
      Plot.line(lines, { x: "threshold", y: "profit", stroke: "model", strokeWidth: 1.8 }),
      Plot.dot(best, {
        x: "threshold",
        y: "profit",
        stroke: "model",
        r: 5,
        strokeWidth: 2,
        fill: "var(--theme-background, white)",
      }),
      Plot.dot(atTheory, { x: "threshold", y: "profit", fill: "model", r: 5, symbol: "diamond" }),
      Plot.tip(
        lines,
        Plot.pointer({
          x: "threshold",
          y: "profit",
          stroke: "model",
          channels: { model: "model", "customers targeted": "targeted" },
          format: { x: (v: number) => v.toFixed(3), y: (v: number) => formatRupees(v), stroke: false },
        }),
      ),
    ],
  });
}
