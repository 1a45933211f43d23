/**
 * SHAP from XGBoost's own TreeSHAP (pred_contribs), checked for additivity against the margin, then
 * shown in probability terms per source feature (src/lib/shap-display.ts), plus summaries for charts.
 */
import { randomLcg, shuffler } from "d3";
import { groupedProbabilityShap, type PlattParams } from "../src/lib/shap-display.js";
import { type Booster, DMatrix } from "./xgboost.js";

export interface MarginShap {
  /** nrow × (nfeat + 1), bias last (XGBoost's layout, float32). */
  contributions: Float32Array;
  margin: Float32Array;
  /** max |Σ contributions − margin| over rows. */
  maxAdditivityError: number;
}

/** pred_contribs (option_mask 4) and the margin (option_mask 1); throws if they disagree beyond `tolerance`. */
export function marginShap(
  booster: Booster,
  ds: { data: Float32Array; nrow: number; ncol: number },
  tolerance = 1e-4,
): MarginShap {
  const d = new DMatrix(ds.data, ds.nrow, ds.ncol);
  try {
    const contributions = booster.predict(d, 4);
    const margin = booster.predict(d, 1);
    const width = ds.ncol + 1;
    if (contributions.length !== ds.nrow * width)
      throw new Error(`pred_contribs returned ${contributions.length} values, expected ${ds.nrow} × ${width}`);
    let maxAdditivityError = 0;
    for (let i = 0; i < ds.nrow; i++) {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += contributions[i * width + j];
      maxAdditivityError = Math.max(maxAdditivityError, Math.abs(sum - margin[i]));
    }
    if (!(maxAdditivityError <= tolerance))
      throw new Error(`SHAP additivity violated: max |Σφ − margin| = ${maxAdditivityError} > ${tolerance}`);
    return { contributions, margin, maxAdditivityError };
  } finally {
    d.dispose();
  }
}

export interface GroupedShap {
  /** Source feature names (columns of `values`). */
  groups: string[];
  /** nrow × groups, probability units; each row sums to probability − base. */
  values: Float64Array;
  /** Per-row base probability (the same for every row: σ(a·bias + b)). */
  base: Float64Array;
  probability: Float64Array;
}

/** Per-row probability-term SHAP grouped per source feature. */
export function groupedShap(
  shap: MarginShap,
  platt: PlattParams,
  groupIndex: Int32Array,
  groups: readonly string[],
): GroupedShap {
  const nrow = shap.margin.length;
  const width = groupIndex.length + 1;
  const values = new Float64Array(nrow * groups.length);
  const base = new Float64Array(nrow);
  const probability = new Float64Array(nrow);
  for (let i = 0; i < nrow; i++) {
    const row = groupedProbabilityShap(shap.contributions, platt, groupIndex, groups.length, i * width);
    values.set(row.values, i * groups.length);
    base[i] = row.base;
    probability[i] = row.probability;
  }
  return { groups: [...groups], values, base, probability };
}

/** Mean |SHAP| per source feature (probability units), largest first: the global importance chart. */
export function globalImportance(g: GroupedShap): { feature: string; meanAbs: number; meanSigned: number }[] {
  const k = g.groups.length;
  const nrow = g.values.length / k;
  return g.groups
    .map((feature, j) => {
      let abs = 0;
      let signed = 0;
      for (let i = 0; i < nrow; i++) {
        abs += Math.abs(g.values[i * k + j]);
        signed += g.values[i * k + j];
      }
      return { feature, meanAbs: abs / nrow, meanSigned: signed / nrow };
    })
    .sort((a, b) => b.meanAbs - a.meanAbs);
}

export interface BeeswarmPoint {
  row: number;
  feature: string;
  shap: number;
  /** The feature's raw value (number or category) for colouring and dependence plots. */
  value: string | number | null;
}

/**
 * A seeded sample of rows for the beeswarm and dependence charts (all features of each sampled row), so the
 * charts stay small; per-customer values for every row live in shap.arrow.
 */
export function beeswarmSample(
  g: GroupedShap,
  featureValue: (row: number, feature: string) => string | number | null,
  { size = 1000, seed = 42 } = {},
): BeeswarmPoint[] {
  const k = g.groups.length;
  const nrow = g.values.length / k;
  const rows = shuffler(randomLcg(seed))(Array.from({ length: nrow }, (_, i) => i)).slice(0, Math.min(size, nrow));
  rows.sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(6));
  return rows.flatMap((row) =>
    g.groups.map((feature, j) => ({
      row,
      feature,
      shap: round(g.values[row * k + j]),
      value: featureValue(row, feature),
    })),
  );
}
