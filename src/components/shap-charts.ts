/**
 * The SHAP sample charts of the Models page: the beeswarm (each dot a customer, placed by the feature's effect on
 * their churn probability and coloured by the feature's value, low → high) and the dependence chart (the effect
 * against the value, one feature at a time). The data is the pipeline's seeded sample (metrics.shap.beeswarm).
 */
import * as Plot from "npm:@observablehq/plot";
import { labelOf, type DatasetName } from "../lib/columns.js";
import { valueAxis } from "../lib/feature-values.js";
import { signedPoints } from "../lib/format.js";
import {
  beeswarmDots,
  beeswarmRows,
  binnedMeans,
  dependenceDots,
  dependenceRows,
  levelMeans,
  sampleSize,
  type ShapPoint,
} from "../lib/shap-sample.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface ShapChartOptions {
  width?: number;
  dataset: DatasetName;
  name?: string;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** Blue for low values, red for high ones, through a mid-tone that stays visible on white (no white middle). */
const LOW = "#2166ac";
const HIGH = "#b2182b";
const NO_ORDER = "#9a9a9a";
const ACCENT = "var(--rl-accent, #0b6e4f)";

const pp = (v: number) => signedPoints(v, 1);

/** Beeswarm-style strip per feature: x = effect on churn probability, colour = the customer's value (low → high). */
export function beeswarmChart(
  points: readonly ShapPoint[],
  order: readonly string[],
  { width = 640, dataset }: { width?: number; dataset: DatasetName },
) {
  const data = beeswarmDots(points, order, dataset);
  const customers = sampleSize(points);
  const narrow = width < 520;
  return Plot.plot({
    title: "How each feature moves individual customers",
    subtitle: `SHAP values of a seeded sample of ${customers.toLocaleString("en-US")} customers; colour: the customer's value of that feature (grey: categories without an order)`,
    width,
    height: 60 + (narrow ? 38 : 44) * order.length,
    marginLeft: narrow ? 110 : 150,
    marginRight: 12,
    x: {
      label: "Effect on churn probability (percentage points) →",
      grid: true,
      transform: (v: number) => 100 * v,
      ticks: narrow ? 5 : undefined,
    },
    y: { axis: null, domain: [0, 1] },
    fy: { label: null, domain: order, axis: "left", padding: 0.15, tickFormat: (f: string) => labelOf(dataset, f) },
    color: {
      type: "linear",
      domain: [0, 1],
      range: [LOW, HIGH],
      interpolate: "lab",
      unknown: NO_ORDER,
      legend: true,
      label: "Feature value",
      ticks: [0, 1],
      tickFormat: (t: number) => (t === 0 ? "low" : "high"),
    },
    marks: [
      Plot.ruleX([0], { stroke: "#777" }),
      Plot.dot(data, {
        x: "shap",
        y: "jitter",
        fy: "feature",
        r: 1.8,
        fill: "position",
        fillOpacity: 0.75,
        channels: { Feature: "label", Value: "shown", Effect: { value: "shap", label: "Effect" } },
        tip: { format: { x: false, y: false, fy: false, fill: false, Effect: pp } },
      }),
    ],
  });
}

/** SHAP against the feature's value for one feature: numbers on a linear axis, levels in their order. */
export function dependenceChart(
  points: readonly ShapPoint[],
  feature: string,
  { width = 640, dataset }: { width?: number; dataset: DatasetName },
) {
  const axis = valueAxis(dataset, feature);
  const data = dependenceDots(points, feature, dataset);
  const means = levelMeans(points, feature, dataset);
  const label = labelOf(dataset, feature);
  const unit = axis.kind === "numeric" && axis.unit ? ` (${axis.unit})` : "";
  const narrow = width < 520;
  return Plot.plot({
    title: `${label}: effect on churn probability by value`,
    subtitle:
      axis.kind === "numeric"
        ? "Each dot a sampled customer; the line is the mean effect in bins of the value"
        : "Each dot a sampled customer (spread sideways to be seen); diamonds: the mean effect of each value",
    width,
    height: Math.min(420, Math.max(280, width * 0.55)),
    marginLeft: 56,
    marginBottom: axis.kind === "levels" && narrow ? 60 : 40,
    x:
      axis.kind === "numeric"
        ? { label: `${label}${unit} →`, grid: true, ticks: narrow ? 5 : undefined }
        : {
            label,
            domain: [-0.5, axis.levels.length - 0.5],
            ticks: axis.levels.map((_, i) => i),
            tickFormat: (i: number) => axis.levels[i],
            tickRotate: narrow && axis.levels.length > 2 ? -20 : 0,
          },
    y: { label: "↑ Effect on churn probability (pp)", grid: true, transform: (v: number) => 100 * v },
    marks: [
      Plot.ruleY([0], { stroke: "#777" }),
      Plot.dot(data, {
        x: "x",
        y: "shap",
        r: 2,
        fill: ACCENT,
        fillOpacity: 0.45,
        channels: { Value: "shown", Effect: { value: "shap", label: "Effect" } },
        tip: { format: { x: false, y: false, Effect: pp } },
      }),
      ...(axis.kind === "numeric"
        ? [
            Plot.line(binnedMeans(data), {
              x: "x",
              y: "mean",
              stroke: "currentColor",
              strokeWidth: 2,
              channels: { Customers: "customers", "Mean effect": { value: "mean", label: "Mean effect" } },
              tip: { format: { x: false, y: false, "Mean effect": pp } },
            }),
          ]
        : [
            Plot.dot(means, {
              x: "x",
              y: "mean",
              symbol: "diamond2",
              r: 7,
              stroke: "currentColor",
              strokeWidth: 2,
              channels: {
                Value: "level",
                Customers: "customers",
                "Mean effect": { value: "mean", label: "Mean effect" },
              },
              tip: { format: { x: false, y: false, "Mean effect": pp } },
            }),
          ]),
    ],
  });
}

// ------------------------------------------------------------------ the data behind each chart, and its views

export function beeswarmView(
  points: readonly ShapPoint[],
  order: readonly string[],
  { name = "shap-beeswarm", onDownload, ...options }: ShapChartOptions,
): HTMLDivElement {
  return withDownloads(beeswarmChart(points, order, options), {
    name,
    data: () => beeswarmRows(points, order),
    onDownload,
  });
}

export function dependenceView(
  points: readonly ShapPoint[],
  feature: string,
  { name = `shap-dependence-${feature}`, onDownload, ...options }: ShapChartOptions,
): HTMLDivElement {
  return withDownloads(dependenceChart(points, feature, options), {
    name,
    data: () => dependenceRows(points, feature),
    onDownload,
  });
}
