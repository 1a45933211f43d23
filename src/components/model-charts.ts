import * as Plot from "npm:@observablehq/plot";

/** One model's curve points, named for the legend. */
export interface Curve<T> {
  model: string;
  points: T[];
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

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
  { width = 640, title = "What drives the model overall (mean |SHAP|)" } = {},
) {
  return Plot.plot({
    title,
    width,
    height: 30 + 22 * importance.length,
    marginLeft: 140,
    x: {
      label: "Mean absolute effect on churn probability (percentage points) →",
      grid: true,
      transform: (v: number) => 100 * v,
    },
    y: { label: null, domain: importance.map((d) => d.feature) },
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

/** A stable pseudo-random offset in [0.1, 0.9] for row i (no Math.random: the chart is the same on every load). */
const jitter = (i: number) => 0.1 + ((0.8 * (((Math.sin(i * 12.9898) * 43758.5453) % 1) + 1)) % 1);

/** Beeswarm-style strip plot: each dot one customer's SHAP value for a feature (red raises churn, blue lowers it). */
export function beeswarmChart(
  points: { feature: string; shap: number; value: string | number | null }[],
  order: string[],
  { width = 640, title = "How each feature moves individual customers (SHAP, sample)" } = {},
) {
  const data = points.filter((d) => order.includes(d.feature)).map((d, i) => ({ ...d, jitter: jitter(i) }));
  return Plot.plot({
    title,
    width,
    height: 40 + 44 * order.length,
    marginLeft: 140,
    x: { label: "Effect on churn probability (percentage points) →", grid: true, transform: (v: number) => 100 * v },
    y: { axis: null, domain: [0, 1] },
    fy: { label: null, domain: order, axis: "left", padding: 0.15 },
    marks: [
      Plot.ruleX([0], { stroke: "#999" }),
      Plot.dot(data, {
        x: "shap",
        y: "jitter",
        fy: "feature",
        r: 1.6,
        fill: (d: { shap: number }) => (d.shap > 0 ? "#b2182b" : "#2166ac"),
        fillOpacity: 0.6,
        channels: { feature: "feature", value: "value" },
        tip: { format: { y: false, fy: false, x: (v: number) => `${v.toFixed(1)} pp` } },
      }),
    ],
  });
}

/** Logistic-regression coefficients per standard deviation, as odds ratios on a log scale. */
export function coefficientChart(
  coefficients: { feature: string; perSd: number; oddsRatioPerSd: number; direction: string }[],
  { width = 640, title = "Logistic baseline: odds ratio per standard deviation" } = {},
) {
  const data = [...coefficients].sort((a, b) => b.perSd - a.perSd);
  return Plot.plot({
    title,
    width,
    height: 30 + 20 * data.length,
    marginLeft: 250,
    x: { type: "log", label: "Odds ratio of churning per +1 SD (log scale) →", grid: true, tickFormat: "~g" },
    y: { label: null, domain: data.map((d) => d.feature) },
    marks: [
      Plot.ruleX([1]),
      Plot.ruleY(data, {
        y: "feature",
        x1: 1,
        x2: "oddsRatioPerSd",
        stroke: (d: { perSd: number }) => (d.perSd > 0 ? "#b2182b" : "#2166ac"),
        strokeWidth: 3,
      }),
      Plot.dot(data, {
        y: "feature",
        x: "oddsRatioPerSd",
        fill: (d: { perSd: number }) => (d.perSd > 0 ? "#b2182b" : "#2166ac"),
        tip: true,
        channels: { direction: "direction" },
      }),
    ],
  });
}
