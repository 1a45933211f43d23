/**
 * Design-based analysis of a stratified A/B test (docs/experiments.md): the difference in means with the standard
 * error of the stratified design, Lin's (2013) covariate-adjusted estimate with a robust standard error, and
 * per-group effects with a multiplicity adjustment. Pure functions, no Node or DOM imports.
 */
import { normalQuantile } from "./ab.js";
import { robustOls, type HcType } from "./ols.js";
import { normalCdf } from "./stats.js";

/** One estimate of the average treatment effect (treated − control) with its normal-theory interval. */
export interface EffectEstimate {
  estimate: number;
  se: number;
  /** (1 − alpha) interval: estimate ± z · se */
  lo: number;
  hi: number;
  z: number;
  /** two-sided p-value of "no effect" */
  p: number;
  n: number;
}

/** The experiment, one entry per customer. */
export interface ExperimentData {
  /** the outcome (here churned 0/1) */
  outcome: ArrayLike<number>;
  /** true for the treatment arm (B) */
  treated: ArrayLike<boolean>;
  /** the assignment stratum (randomisation was balanced within each) */
  stratum: ArrayLike<string>;
  /** a pre-treatment covariate for the adjustment (here the out-of-fold churn risk) */
  covariate: ArrayLike<number>;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha: ${alpha}`);
}

/** An estimate and its standard error as an EffectEstimate: normal interval and two-sided p-value. */
export function effectEstimate(estimate: number, se: number, n: number, alpha = 0.05): EffectEstimate {
  checkAlpha(alpha);
  if (!Number.isFinite(estimate) || !(se >= 0)) throw new Error(`invalid estimate ${estimate} with SE ${se}`);
  const zc = normalQuantile(1 - alpha / 2);
  const z = se === 0 ? 0 : estimate / se;
  return { estimate, se, lo: estimate - zc * se, hi: estimate + zc * se, z, p: 2 * (1 - normalCdf(Math.abs(z))), n };
}

function checkArms(outcome: ArrayLike<number>, treated: ArrayLike<boolean>): void {
  if (outcome.length !== treated.length) {
    throw new Error(`invalid input: ${outcome.length} outcomes, ${treated.length} treatment flags`);
  }
  for (let i = 0; i < outcome.length; i++) {
    if (!Number.isFinite(outcome[i]!)) throw new Error(`invalid outcome at ${i}: ${outcome[i]}`);
  }
}

/**
 * Stratified difference in means: Σ_s (N_s/N)(ȳ_Bs − ȳ_As) with the Neyman variance Σ_s (N_s/N)² (s²_As/n_As +
 * s²_Bs/n_Bs) (sample variances, n − 1). This is the standard error of the design: each stratum is its own completely
 * randomised experiment. It is conservative by the spread of the individual effects, which no design can estimate.
 */
export function stratifiedDifference(
  outcome: ArrayLike<number>,
  treated: ArrayLike<boolean>,
  stratum: ArrayLike<string>,
  alpha = 0.05,
): EffectEstimate {
  checkArms(outcome, treated);
  if (stratum.length !== outcome.length) {
    throw new Error(`invalid input: ${outcome.length} outcomes, ${stratum.length} strata`);
  }
  // per stratum: [n, sum, sum of squares] for A then B
  const cells = new Map<string, number[]>();
  for (let i = 0; i < outcome.length; i++) {
    let c = cells.get(stratum[i]!);
    if (!c) {
      c = [0, 0, 0, 0, 0, 0];
      cells.set(stratum[i]!, c);
    }
    const o = treated[i] ? 3 : 0;
    const y = outcome[i]!;
    c[o]!++;
    c[o + 1]! += y;
    c[o + 2]! += y * y;
  }
  const n = outcome.length;
  let estimate = 0;
  let variance = 0;
  for (const [name, [nA, sA, qA, nB, sB, qB]] of cells as Map<string, number[]>) {
    if (nA! < 2 || nB! < 2)
      throw new Error(`stratum ${JSON.stringify(name)} needs 2 customers per arm: ${nA} A, ${nB} B`);
    const w = (nA! + nB!) / n;
    const varA = (qA! - sA! ** 2 / nA!) / (nA! - 1);
    const varB = (qB! - sB! ** 2 / nB!) / (nB! - 1);
    estimate += w * (sB! / nB! - sA! / nA!);
    variance += w * w * (Math.max(0, varA) / nA! + Math.max(0, varB) / nB!);
  }
  return effectEstimate(estimate, Math.sqrt(variance), n, alpha);
}

/** Indicator columns for the levels of a categorical variable, the first level (sorted) left out as the reference. */
export function dummyColumns(values: ArrayLike<string>): Float64Array[] {
  const levels = [...new Set(Array.from(values))].sort();
  return levels.slice(1).map((level) => Float64Array.from(values as ArrayLike<string>, (v) => (v === level ? 1 : 0)));
}

export interface AdjustedEstimate extends EffectEstimate {
  /** the robust covariance used */
  hc: HcType;
  /** columns adjusted for (each covariate centred and interacted with treatment) */
  covariates: number;
}

/**
 * Lin's (2013) regression adjustment: OLS of y on 1, T, the centred covariates X − X̄ and T·(X − X̄); the coefficient
 * of T estimates the average effect, with a robust (default HC2) standard error. The interaction lets each arm have
 * its own slope, so the adjustment cannot hurt precision asymptotically, even when the model is wrong.
 */
export function linAdjusted(
  outcome: ArrayLike<number>,
  treated: ArrayLike<boolean>,
  covariates: readonly ArrayLike<number>[],
  { hc = "HC2" as HcType, alpha = 0.05 } = {},
): AdjustedEstimate {
  checkArms(outcome, treated);
  const n = outcome.length;
  const t = Float64Array.from(treated as ArrayLike<boolean>, (b) => (b ? 1 : 0));
  const centred = covariates.map((x, j) => {
    if (x.length !== n) throw new Error(`invalid covariate ${j}: ${x.length} values for ${n} customers`);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i]!;
    mean /= n;
    return Float64Array.from(x, (v) => v - mean);
  });
  const interactions = centred.map((x) => x.map((v, i) => v * t[i]!));
  const fit = robustOls([new Float64Array(n).fill(1), t, ...centred, ...interactions], outcome, hc);
  return { ...effectEstimate(fit.coef[1]!, fit.se[1]!, n, alpha), hc, covariates: covariates.length };
}

export interface ExperimentAnalysis {
  /** pooled difference in means with the unstratified (Neyman/Wald) standard error, for comparison only */
  unstratified: EffectEstimate;
  /** difference in means by stratum with the stratified standard error: the design's unadjusted estimate */
  stratified: EffectEstimate;
  /** Lin's adjustment for the covariate and the assignment strata: the estimate the decision uses */
  adjusted: AdjustedEstimate;
  /** 1 − (adjusted SE / stratified SE)²: the share of the variance the covariate removes beyond the strata */
  varianceReduction: number;
  /**
   * 1 − (adjusted SE / unstratified SE)²: the share of the simple difference's variance that stratifying and adjusting
   * remove together; the `r2` to plan the next test with (power.ts), whose formulas start from the simple difference.
   */
  planningR2: number;
}

/**
 * The experiment's effect three ways. The decision should use `adjusted`: it is consistent whatever the covariate,
 * its robust SE covers (docs/experiments.md measures it over re-randomisations), and it is the most precise.
 */
export function analyseExperiment(
  data: ExperimentData,
  { hc = "HC2" as HcType, alpha = 0.05 } = {},
): ExperimentAnalysis {
  const { outcome, treated, stratum, covariate } = data;
  const strata = dummyColumns(stratum);
  const unstratified = linAdjusted(outcome, treated, [], { hc, alpha });
  // Equal to Lin's regression on the strata alone, and with HC2 to its SE too (tests/lib/experiment.test.ts), so it
  // and `adjusted` differ by the covariate only.
  const stratified = stratifiedDifference(outcome, treated, stratum, alpha);
  const adjusted = linAdjusted(outcome, treated, [covariate, ...strata], { hc, alpha });
  return {
    unstratified,
    stratified,
    adjusted,
    varianceReduction: 1 - (adjusted.se / stratified.se) ** 2,
    planningR2: 1 - (adjusted.se / unstratified.se) ** 2,
  };
}

/** Holm's step-down adjusted p-values (family-wise error control, uniformly more powerful than Bonferroni). */
export function holmAdjust(p: readonly number[]): number[] {
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new Error(`invalid p-value at ${i}: ${v}`);
  });
  const m = p.length;
  const order = p.map((_, i) => i).sort((i, j) => p[i]! - p[j]!);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]!));
    out[i] = running;
  });
  return out;
}

export interface GroupEffect extends AdjustedEstimate {
  group: string;
  /** Bonferroni-simultaneous interval: all groups' intervals hold together with probability ≥ 1 − alpha */
  simultaneousLo: number;
  simultaneousHi: number;
  /** Holm-adjusted p-value */
  pHolm: number;
}

/**
 * The effect within each group (e.g. persona), each by Lin's adjustment for the covariate and the strata within the
 * group; with per-group (1 − alpha) intervals, Bonferroni-simultaneous intervals and Holm-adjusted p-values,
 * because looking for the best of m groups finds a "significant" one by chance far more often than alpha.
 */
export function groupEffects(
  data: ExperimentData,
  group: ArrayLike<string>,
  { hc = "HC2" as HcType, alpha = 0.05 } = {},
): GroupEffect[] {
  checkAlpha(alpha);
  if (group.length !== data.outcome.length) {
    throw new Error(`invalid input: ${data.outcome.length} outcomes, ${group.length} group labels`);
  }
  const members = new Map<string, number[]>();
  for (let i = 0; i < group.length; i++) {
    if (!members.has(group[i]!)) members.set(group[i]!, []);
    members.get(group[i]!)!.push(i);
  }
  const pick = <T>(values: ArrayLike<T>, idx: number[]) => idx.map((i) => values[i]!);
  const groups = [...members.keys()].sort();
  const effects = groups.map((g) => {
    const idx = members.get(g)!;
    const strata = dummyColumns(pick(data.stratum, idx));
    return linAdjusted(pick(data.outcome, idx), pick(data.treated, idx), [pick(data.covariate, idx), ...strata], {
      hc,
      alpha,
    });
  });
  const zs = normalQuantile(1 - alpha / (2 * groups.length));
  const pHolm = holmAdjust(effects.map((e) => e.p));
  return effects.map((e, k) => ({
    group: groups[k]!,
    ...e,
    simultaneousLo: e.estimate - zs * e.se,
    simultaneousHi: e.estimate + zs * e.se,
    pHolm: pHolm[k]!,
  }));
}
