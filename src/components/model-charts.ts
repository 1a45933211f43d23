import { percent as pct } from "../lib/format.js";
import { words } from "../lib/columns.js";
import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

/** One model's curve points, named for the legend. */
export interface Curve<T> {
  model: string;
  points: T[];
}

/** Red: raises churn; blue: lowers it. */
const RAISES = "var(--rl-risk-high, #b2182b)";
const LOWERS = "#2166ac";

/** Download options of the chart views below: the file name (without extension) and the audit hook. */
export interface ChartDownloads {
  name?: string;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** ROC curves of several models on the same held-out rows, with the chance diagonal. */
export function rocChart(
  curves: Curve<{ fpr: number; tpr: number; threshold: number }>[],
  { width = 480, title = "ROC curve (test rows)" } = {},
) {
  const data = curves.flatMap((c) => c.points.map((p) => ({ ...p, model: c.model })));
  return Plot.plot({
    title,
    width,
    height: Math.min(width, 380),
    x: { label: "False positive rate →", domain: [0, 1], tickFormat: "%" },
    y: { label: "↑ True positive rate", domain: [0, 1], tickFormat: "%", grid: true },
    color: { legend: true },
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: "#aaa", strokeDasharray: "4 3" },
      ),
      Plot.line(data, { x: "fpr", y: "tpr", stroke: "model", strokeWidth: 2 }),
      Plot.tip(
        data,
        Plot.pointer({
          x: "fpr",
          y: "tpr",
          stroke: "model",
          channels: { threshold: "threshold" },
          format: { x: pct, y: pct, threshold: (t: number) => t.toFixed(3) },
        }),
      ),
    ],
  });
}

/** Precision–recall curve with the base rate as the no-skill line. */
export function prChart(
  points: { recall: number; precision: number; threshold: number }[],
  baseRate: number,
  { width = 480, title = "Precision–recall curve (test rows)" } = {},
) {
  return Plot.plot({
    title,
    width,
    height: Math.min(width, 380),
    x: { label: "Recall (share of churners found) →", domain: [0, 1], tickFormat: "%" },
    y: { label: "↑ Precision (share of flagged who churn)", domain: [0, 1], tickFormat: "%", grid: true },
    marks: [
      Plot.ruleY([baseRate], { stroke: "#aaa", strokeDasharray: "4 3" }),
      Plot.text([baseRate], {
        y: (d: number) => d,
        x: 1,
        text: () => "base rate",
        textAnchor: "end",
        dy: -6,
        fill: "#777",
      }),
      Plot.line(points, { x: "recall", y: "precision", stroke: "var(--rl-accent, #0b6e4f)", strokeWidth: 2 }),
      Plot.tip(
        points,
        Plot.pointer({
          x: "recall",
          y: "precision",
          channels: { threshold: "threshold" },
          format: { x: pct, y: pct, threshold: (t: number) => t.toFixed(3) },
        }),
      ),
    ],
  });
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability diagram: observed churn rate against the mean predicted probability per bin; dots sized by rows. */
export function reliabilityChart(
  curves: Curve<ReliabilityBin>[],
  { width = 480, title = "Reliability (test rows, 10 bins)" } = {},
) {
  const data = curves.flatMap((c) => c.points.filter((b) => b.count > 0).map((b) => ({ ...b, model: c.model })));
  return Plot.plot({
    title,
    width,
    height: Math.min(width, 380),
    x: { label: "Mean predicted probability →", domain: [0, 1], tickFormat: "%" },
    y: { label: "↑ Observed churn rate", domain: [0, 1], tickFormat: "%", grid: true },
    r: { range: [2, 10] },
    color: { legend: true },
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: "#aaa", strokeDasharray: "4 3" },
      ),
      Plot.line(data, { x: "meanPredicted", y: "observedRate", stroke: "model" }),
      Plot.dot(data, {
        x: "meanPredicted",
        y: "observedRate",
        r: "count",
        fill: "model",
        tip: { format: { x: pct, y: pct } },
        channels: { customers: "count" },
      }),
    ],
  });
}

/** Global importance: mean |SHAP| per source feature, in probability points. */
export function importanceChart(
  importance: { feature: string; meanAbs: number }[],
  { width = 640, title = "What drives the model overall (mean |SHAP|)", label = words } = {},
) {
  return Plot.plot({
    title,
    width,
    height: 30 + 22 * importance.length,
    marginLeft: 140,
    x: {
      label:
        width < 520
          ? "Mean |effect| on churn risk (pp) →"
          : "Mean absolute effect on churn probability (percentage points) →",
      grid: true,
      transform: (v: number) => 100 * v,
    },
    y: { label: null, domain: importance.map((d) => d.feature), tickFormat: label },
    marks: [
      Plot.barX(importance, {
        x: "meanAbs",
        y: "feature",
        fill: "var(--rl-accent, #0b6e4f)",
        tip: { format: { x: (v: number) => `${v.toFixed(2)} pp` } },
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Logistic-regression coefficients per standard deviation, as odds ratios on a log scale. */
export function coefficientChart(
  coefficients: { feature: string; perSd: number; oddsRatioPerSd: number; direction: string }[],
  { width = 640, title = "Logistic baseline: odds ratio per standard deviation", label = words } = {},
) {
  const data = [...coefficients].sort((a, b) => b.perSd - a.perSd);
  return Plot.plot({
    title,
    width,
    height: 30 + 20 * data.length,
    marginLeft: 250,
    x: { type: "log", label: "Odds ratio of churning per +1 SD (log scale) →", grid: true, tickFormat: "~g" },
    y: { label: null, domain: data.map((d) => d.feature), tickFormat: label },
    marks: [
      Plot.ruleX([1]),
      Plot.ruleY(data, {
        y: "feature",
        x1: 1,
        x2: "oddsRatioPerSd",
        stroke: (d: { perSd: number }) => (d.perSd > 0 ? RAISES : LOWERS),
        strokeWidth: 3,
      }),
      Plot.dot(data, {
        y: "feature",
        x: "oddsRatioPerSd",
        fill: (d: { perSd: number }) => (d.perSd > 0 ? RAISES : LOWERS),
        tip: true,
        channels: { direction: "direction" },
      }),
    ],
  });
}

// ------------------------------------------------------------------ the data behind each chart, and its views
// Each xxxRows builds the CSV records of one chart (readable column names, the chart's units); each xxxView is
// the chart with SVG/PNG/CSV downloads (chart-export.ts).

type RocPoint = { fpr: number; tpr: number; threshold: number };

/** ROC: one record per curve point (model, false and true positive rate, score threshold). */
export function rocRows(curves: Curve<RocPoint>[]) {
  return curves.flatMap((c) =>
    c.points.map((p) => ({ model: c.model, fpr: p.fpr, tpr: p.tpr, threshold: p.threshold })),
  );
}

export function rocView(
  curves: Curve<RocPoint>[],
  { name = "roc-curve", onDownload, ...options }: { width?: number; title?: string } & ChartDownloads = {},
): HTMLDivElement {
  return withDownloads(rocChart(curves, options), { name, data: () => rocRows(curves), onDownload });
}

type PrPoint = { recall: number; precision: number; threshold: number };

/** Precision–recall: one record per curve point. */
export function prRows(points: PrPoint[]) {
  return points.map((p) => ({ recall: p.recall, precision: p.precision, threshold: p.threshold }));
}

export function prView(
  points: PrPoint[],
  baseRate: number,
  { name = "precision-recall", onDownload, ...options }: { width?: number; title?: string } & ChartDownloads = {},
): HTMLDivElement {
  return withDownloads(prChart(points, baseRate, options), { name, data: () => prRows(points), onDownload });
}

/** Reliability: one record per model and non-empty bin (the dots on the chart). */
export function reliabilityRows(curves: Curve<ReliabilityBin>[]) {
  return curves.flatMap((c) =>
    c.points
      .filter((b) => b.count > 0)
      .map((b) => ({
        model: c.model,
        bin_from: b.lower,
        bin_to: b.upper,
        customers: b.count,
        mean_predicted: b.meanPredicted,
        observed_rate: b.observedRate,
      })),
  );
}

export function reliabilityView(
  curves: Curve<ReliabilityBin>[],
  { name = "reliability", onDownload, ...options }: { width?: number; title?: string } & ChartDownloads = {},
): HTMLDivElement {
  return withDownloads(reliabilityChart(curves, options), { name, data: () => reliabilityRows(curves), onDownload });
}

type Coefficient = { feature: string; perSd: number; oddsRatioPerSd: number; direction: string };

/** Logistic coefficients: one record per feature, in the chart's order (most churn-raising first). */
export function coefficientRows(coefficients: Coefficient[]) {
  return [...coefficients]
    .sort((a, b) => b.perSd - a.perSd)
    .map((d) => ({
      feature: d.feature,
      coefficient_per_sd: d.perSd,
      odds_ratio_per_sd: d.oddsRatioPerSd,
      direction: d.direction,
    }));
}

export function coefficientView(
  coefficients: Coefficient[],
  {
    name = "logistic-coefficients",
    onDownload,
    ...options
  }: { width?: number; title?: string; label?: (name: string) => string } & ChartDownloads = {},
): HTMLDivElement {
  return withDownloads(coefficientChart(coefficients, options), {
    name,
    data: () => coefficientRows(coefficients),
    onDownload,
  });
}
