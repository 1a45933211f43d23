/**
 * SHAP values shown in probability terms that agree with the calibrated probability the page displays.
 * Margin SHAP φ_j (bias φ_M last) → calibrated logit contributions a·φ_j with base a·φ_M + b (Platt slope a,
 * intercept b) → the probability change p − p_base split across features in proportion to those logit
 * contributions. So the bars sum exactly to p − p_base, signs are kept, and the ordering matches the logit view.
 */

export interface PlattParams {
  a: number;
  b: number;
}

export interface ProbabilityShap {
  /** Calibrated probability with every feature at its expectation: σ(a·bias + b). */
  base: number;
  /** The row's calibrated probability σ(a·margin + b). */
  probability: number;
  /** Per-feature contributions in probability units; they sum to probability − base. */
  values: Float64Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Converts one row of margin SHAP (nFeatures values then the bias, XGBoost's pred_contribs layout,
 * starting at `offset`) into probability terms.
 */
export function probabilityShap(
  phi: ArrayLike<number>,
  platt: PlattParams,
  nFeatures: number,
  offset = 0,
): ProbabilityShap {
  const logit = new Float64Array(nFeatures);
  let total = 0;
  for (let j = 0; j < nFeatures; j++) total += logit[j] = platt.a * phi[offset + j];
  const baseLogit = platt.a * phi[offset + nFeatures] + platt.b;
  const base = sigmoid(baseLogit);
  const probability = sigmoid(baseLogit + total);
  const delta = probability - base;
  // When the logit contributions cancel, p − p_base is (numerically) zero too: use the local slope instead.
  const scale = Math.abs(total) > 1e-12 ? delta / total : base * (1 - base);
  const values = logit.map((c) => c * scale);
  return { base, probability, values };
}

/** Sums encoded-column values per source feature (groupIndex[j] = group of column j). Exact: a plain sum. */
export function groupValues(values: ArrayLike<number>, groupIndex: ArrayLike<number>, nGroups: number): Float64Array {
  const out = new Float64Array(nGroups);
  for (let j = 0; j < groupIndex.length; j++) out[groupIndex[j]] += values[j];
  return out;
}

/** probabilityShap followed by grouping per source feature. */
export function groupedProbabilityShap(
  phi: ArrayLike<number>,
  platt: PlattParams,
  groupIndex: ArrayLike<number>,
  nGroups: number,
  offset = 0,
): ProbabilityShap {
  const shap = probabilityShap(phi, platt, groupIndex.length, offset);
  return { ...shap, values: groupValues(shap.values, groupIndex, nGroups) };
}
