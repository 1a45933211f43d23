import { formatRupees } from "../lib/format.js";
import * as Plot from "npm:@observablehq/plot";
import type { CurveSample } from "../lib/profit.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface ModelCurve {
  /** model name, the colour legend's entry */
  model: string;
  samples: CurveSample[];
  /** profit when this model's scores are cut at the theoretical threshold */
  atTheory: number;
  /** this model's own best threshold and its profit */
  optimum: { threshold: number; profit: number };
}

export interface ModelComparisonOptions {
  width?: number;
  height?: number;
  /** the theoretical threshold (a rule, and a diamond on each curve) */
  theoretical?: number;
  title?: string;
}

/** The profit curves of several models on one chart, each marked where the theoretical threshold cuts its scores. */
export function modelComparisonPlot(
  models: ModelCurve[],
  {
    width = 640,
    height = 340,
    theoretical = 0.35,
    title = "Profit by threshold for each model (₹): miscalibration costs money at the theoretical threshold",
  }: ModelComparisonOptions = {},
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
    color: {
      legend: true,
      domain: models.map((m) => m.model),
      range: ["var(--rl-accent, #0b6e4f)", "#d95f02", "#7570b3"],
    },
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

/**
 * The data behind modelComparisonPlot, for its CSV: each model's curve samples (point "curve"), then its own best
 * threshold ("own_optimum", the hollow circle) and the profit at the theoretical threshold ("theoretical_threshold",
 * the diamond). Customers targeted are known for the curve samples only.
 */
export function modelComparisonRows(models: ModelCurve[], { theoretical = 0.35 }: { theoretical?: number } = {}) {
  const row = (model: string, point: string, threshold: number, profit: number, targeted?: number, share?: number) => ({
    model,
    point,
    threshold: +threshold.toFixed(6),
    customers_targeted: targeted ?? null,
    share_targeted: share === undefined ? null : +share.toFixed(6),
    expected_profit_inr: +profit.toFixed(2),
  });
  return models.flatMap((m) => [
    ...m.samples.map((s) => row(m.model, "curve", s.threshold, s.profit, s.targeted, s.fraction)),
    row(m.model, "own_optimum", m.optimum.threshold, m.optimum.profit),
    row(m.model, "theoretical_threshold", theoretical, m.atTheory),
  ]);
}

/** modelComparisonPlot with SVG/PNG/CSV downloads (CSV: modelComparisonRows). */
export function modelComparisonView(
  models: ModelCurve[],
  {
    name = "profit-by-model",
    onDownload,
    ...options
  }: ModelComparisonOptions & { name?: string; onDownload?: (format: DownloadFormat, name: string) => void } = {},
): HTMLDivElement {
  return withDownloads(modelComparisonPlot(models, options), {
    name,
    data: () => modelComparisonRows(models, options),
    onDownload,
  });
}
