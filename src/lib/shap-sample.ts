/**
 * The data shaping behind the SHAP sample charts (src/components/shap-charts.ts): the pipeline's seeded sample of
 * customers (metrics.shap.beeswarm: every feature's SHAP value and raw value for each sampled customer) as beeswarm
 * dots, dependence points, per-level means and the CSV rows of both charts. Browser-safe: no Node imports.
 */
import { labelOf, type DatasetName } from "./columns.js";
import { type FeatureValue, formatValue, valueAxis, valuePositions } from "./feature-values.js";

/** One sampled customer's SHAP value (probability units) for one feature; `row` is their row in the data set. */
export interface ShapPoint {
  feature: string;
  shap: number;
  value: FeatureValue;
  row?: number;
}

/** A stable pseudo-random offset in [0.1, 0.9] for i (no Math.random: the chart is the same on every load). */
export const jitter = (i: number) => 0.1 + 0.8 * ((((Math.sin(i * 12.9898) * 43758.5453) % 1) + 1) % 1);

/** How many customers the sample holds (distinct rows; without row numbers, points per feature). */
export function sampleSize(points: readonly ShapPoint[]): number {
  if (points.length && points.every((d) => d.row !== undefined)) return new Set(points.map((d) => d.row)).size;
  const features = new Set(points.map((d) => d.feature)).size;
  return features ? Math.round(points.length / features) : 0;
}

/** The beeswarm's dots for the features in `order`: colour position (0 low … 1 high, null: no order) and text. */
export function beeswarmDots(points: readonly ShapPoint[], order: readonly string[], dataset: DatasetName) {
  return order.flatMap((feature, f) => {
    const mine = points.filter((d) => d.feature === feature);
    const position = valuePositions(
      dataset,
      feature,
      mine.map((d) => d.value),
    );
    return mine.map((d, i) => ({
      ...d,
      position: position[i],
      jitter: jitter(i + 7919 * f),
      label: labelOf(dataset, feature),
      shown: formatValue(dataset, feature, d.value),
    }));
  });
}

/** One feature's dependence points: x is the value, or for levels their index spread ±0.35 so dots can be seen. */
export function dependenceDots(points: readonly ShapPoint[], feature: string, dataset: DatasetName) {
  const axis = valueAxis(dataset, feature);
  const levelIndex = axis.kind === "levels" ? new Map(axis.levels.map((l, i) => [l, i])) : undefined;
  return points
    .filter((d) => d.feature === feature && d.value !== null)
    .map((d, i) => ({
      ...d,
      x: levelIndex ? (levelIndex.get(String(d.value)) ?? NaN) + 0.7 * (jitter(i) - 0.5) : Number(d.value),
      shown: formatValue(dataset, feature, d.value),
    }))
    .filter((d) => Number.isFinite(d.x));
}

/**
 * Mean effect in `bins` equal-width bins of a numeric value (the line on a dependence chart), at each bin's mean x;
 * bins with fewer than `minCount` customers are left out (a mean of two dots is noise).
 */
export function binnedMeans(dots: readonly { x: number; shap: number }[], { bins = 20, minCount = 5 } = {}) {
  if (!dots.length) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of dots) {
    lo = Math.min(lo, d.x);
    hi = Math.max(hi, d.x);
  }
  const width = (hi - lo) / bins || 1;
  const acc = Array.from({ length: bins }, () => ({ n: 0, x: 0, shap: 0 }));
  for (const d of dots) {
    const b = acc[Math.min(bins - 1, Math.floor((d.x - lo) / width))];
    b.n++;
    b.x += d.x;
    b.shap += d.shap;
  }
  return acc.filter((b) => b.n >= minCount).map((b) => ({ x: b.x / b.n, mean: b.shap / b.n, customers: b.n }));
}

/** Mean effect and count per level of a non-numeric feature, in level order (empty for a numeric feature). */
export function levelMeans(points: readonly ShapPoint[], feature: string, dataset: DatasetName) {
  const axis = valueAxis(dataset, feature);
  if (axis.kind !== "levels") return [];
  return axis.levels
    .map((level, x) => {
      const shaps = points.filter((d) => d.feature === feature && String(d.value) === level).map((d) => d.shap);
      return { x, level, customers: shaps.length, mean: shaps.reduce((a, b) => a + b, 0) / (shaps.length || 1) };
    })
    .filter((d) => d.customers > 0);
}

/** Beeswarm CSV: one record per dot (a sampled customer's SHAP value for one of the features shown), in pp. */
export function beeswarmRows(points: readonly ShapPoint[], order: readonly string[]) {
  return points
    .filter((d) => order.includes(d.feature))
    .map((d) => ({
      sample_row: d.row ?? null,
      feature: d.feature,
      value: d.value,
      shap_pp: +(100 * d.shap).toFixed(4),
    }));
}

/** Dependence CSV: one record per sampled customer with a value for the feature. */
export function dependenceRows(points: readonly ShapPoint[], feature: string) {
  return beeswarmRows(
    points.filter((d) => d.value !== null),
    [feature],
  );
}
