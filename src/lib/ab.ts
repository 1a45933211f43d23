/**
 * A/B test statistics for the Telco retention experiment: two-proportion z-test and interval, Welch's t-test,
 * the minimum detectable effect, a stratified two-model (T-learner) uplift estimate and the Qini curve.
 * Pure functions, no Node or DOM imports: the pages and the unit tests use the same code.
 */
import { regularizedBeta } from "./incomplete-beta.js";
import { normalCdf, Z95 } from "./stats.js";

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`invalid probability: ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowTail = (q: number) => {
    const r = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1)
    );
  };
  // Not refined by Newton steps against normalCdf: that CDF is only good to 1.5e-7 and would spoil the quantile.
  if (p < 0.02425) return lowTail(p);
  if (p > 1 - 0.02425) return -lowTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

function checkCount(k: number, n: number, arm: string): void {
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`invalid counts for ${arm}: ${k} of ${n}`);
  }
}

export interface ProportionComparison {
  /** rates in control (A) and treatment (B) */
  pA: number;
  pB: number;
  /** pB − pA: negative means the treatment lowers the rate */
  diff: number;
  /** unpooled standard error of the difference (used for the interval) */
  se: number;
  /** 95% (or 1 − alpha) Wald interval of the difference */
  lo: number;
  hi: number;
  /** z statistic with the pooled standard error (the test under H0: pA = pB) */
  z: number;
  /** two-sided p-value */
  p: number;
}

/**
 * Two-proportion comparison of treatment B against control A: k successes (e.g. churners) of n in each arm.
 * The test uses the pooled standard error (exact under the null), the interval the unpooled one.
 */
export function twoProportionTest(kA: number, nA: number, kB: number, nB: number, alpha = 0.05): ProportionComparison {
  checkCount(kA, nA, "A");
  checkCount(kB, nB, "B");
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha: ${alpha}`);
  const pA = kA / nA;
  const pB = kB / nB;
  const diff = pB - pA;
  const se = Math.sqrt((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB);
  const pooled = (kA + kB) / (nA + nB);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  const z = se0 === 0 ? 0 : diff / se0;
  const zc = alpha === 0.05 ? Z95 : normalQuantile(1 - alpha / 2);
  return { pA, pB, diff, se, lo: diff - zc * se, hi: diff + zc * se, z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Summary of one arm for a mean comparison. */
export interface MeanSummary {
  n: number;
  mean: number;
  /** sample variance (n − 1 denominator) */
  variance: number;
}

export interface MeanComparison {
  /** meanB − meanA */
  diff: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom */
  df: number;
  t: number;
  /** two-sided p-value from Student's t with df degrees of freedom */
  p: number;
  lo: number;
  hi: number;
}

/** Welch's unequal-variance t-test of B against A, with a (1 − alpha) interval for the difference of means. */
export function welchTest(a: MeanSummary, b: MeanSummary, alpha = 0.05): MeanComparison {
  for (const [arm, s] of [
    ["A", a],
    ["B", b],
  ] as const) {
    if (!(s.n >= 2) || !Number.isFinite(s.mean) || !(s.variance >= 0)) {
      throw new Error(`invalid summary for ${arm}: n ${s.n}, mean ${s.mean}, variance ${s.variance}`);
    }
  }
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) throw new Error("invalid summaries: both variances are 0");
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const diff = b.mean - a.mean;
  const t = diff / se;
  const tc = studentQuantile(1 - alpha / 2, df);
  return { diff, se, df, t, p: 2 * (1 - studentCdf(Math.abs(t), df)), lo: diff - tc * se, hi: diff + tc * se };
}

/** Student's t cumulative distribution, via the regularized incomplete beta function. */
export function studentCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`invalid degrees of freedom: ${df}`);
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student's t quantile by bisection on the CDF (monotone, so 100 halvings are exact to double precision). */
export function studentQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`invalid probability: ${p}`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (studentCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Minimum detectable absolute difference of two proportions around a baseline rate p0, for a two-sided test at
 * level alpha with the given power: (z_{1−α/2} + z_{power}) · sqrt(p0 (1 − p0) (1/nA + 1/nB)).
 */
export function minimumDetectableEffect(
  p0: number,
  nA: number,
  nB: number,
  { alpha = 0.05, power = 0.8 } = {},
): number {
  if (!(p0 > 0 && p0 < 1)) throw new Error(`invalid baseline rate: ${p0}`);
  if (!(nA > 0) || !(nB > 0)) throw new Error(`invalid sample sizes: ${nA}, ${nB}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha: ${alpha}`);
  if (!(power > 0 && power < 1)) throw new Error(`invalid power: ${power}`);
  return (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * Math.sqrt(p0 * (1 - p0) * (1 / nA + 1 / nB));
}

// ------------------------------------------------------------------------------------------ two-model uplift

/** One customer as the uplift helpers see it. */
export interface UpliftRow {
  /** the stratum the T-learner pools over (e.g. "persona | contract") */
  stratum: string;
  /** true for the treatment arm (B) */
  treated: boolean;
  /** 1 = churned, 0 = stayed */
  outcome: number;
}

export interface StratumUplift {
  stratum: string;
  nA: number;
  kA: number;
  nB: number;
  kB: number;
  /** shrunken churn rates per arm */
  rateA: number;
  rateB: number;
  /** rateB − rateA: the estimated effect of treatment on churn (negative = churn prevented) */
  uplift: number;
}

/**
 * Shrunken rate: (k + m·prior) / (n + m), the posterior mean under a Beta prior worth m customers at the prior rate.
 */
export function shrunkRate(k: number, n: number, prior: number, strength: number): number {
  if (!(n >= 0) || !(k >= 0) || k > n) throw new Error(`invalid counts: ${k} of ${n}`);
  if (!(prior >= 0 && prior <= 1)) throw new Error(`invalid prior rate: ${prior}`);
  if (!(strength >= 0)) throw new Error(`invalid strength: ${strength}`);
  if (n + strength === 0) return prior;
  return (k + strength * prior) / (n + strength);
}

/**
 * Two-model (T-learner) uplift by stratum: one churn model per arm, each the stratum's churn rate shrunk toward
 * that arm's overall rate by `strength` pseudo-customers; uplift = rate(B) − rate(A).
 */
export function stratumUplift(rows: Iterable<UpliftRow>, { strength = 20 } = {}): Map<string, StratumUplift> {
  const cells = new Map<string, { nA: number; kA: number; nB: number; kB: number }>();
  let nA = 0;
  let kA = 0;
  let nB = 0;
  let kB = 0;
  for (const r of rows) {
    if (r.outcome !== 0 && r.outcome !== 1) throw new Error(`invalid outcome: ${r.outcome}`);
    let cell = cells.get(r.stratum);
    if (!cell) {
      cell = { nA: 0, kA: 0, nB: 0, kB: 0 };
      cells.set(r.stratum, cell);
    }
    if (r.treated) {
      cell.nB++;
      cell.kB += r.outcome;
      nB++;
      kB += r.outcome;
    } else {
      cell.nA++;
      cell.kA += r.outcome;
      nA++;
      kA += r.outcome;
    }
  }
  if (nA === 0 || nB === 0) throw new Error(`both arms need customers: ${nA} in A, ${nB} in B`);
  const out = new Map<string, StratumUplift>();
  for (const [stratum, c] of cells) {
    const rateA = shrunkRate(c.kA, c.nA, kA / nA, strength);
    const rateB = shrunkRate(c.kB, c.nB, kB / nB, strength);
    out.set(stratum, { stratum, ...c, rateA, rateB, uplift: rateB - rateA });
  }
  return out;
}

/**
 * Cross-fitted stratum uplift: rows are dealt into `folds` folds by position (row i → fold i mod folds) and each
 * row gets the uplift estimated from the other folds, so a Qini curve on the same rows is not flattered by overfit.
 */
export function crossFitUplift(rows: readonly UpliftRow[], { folds = 2, strength = 20 } = {}): Float64Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`invalid folds: ${folds}`);
  const out = new Float64Array(rows.length);
  for (let f = 0; f < folds; f++) {
    const model = stratumUplift(
      rows.filter((_, i) => i % folds !== f),
      { strength },
    );
    for (let i = f; i < rows.length; i += folds) out[i] = model.get(rows[i]!.stratum)?.uplift ?? 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- Qini

export interface QiniPoint {
  /** customers targeted so far */
  targeted: number;
  /** targeted / total */
  fraction: number;
  /** churners prevented so far: Y_A(k)·N_B(k)/N_A(k) − Y_B(k) (0 while no control customer is in the top k) */
  gain: number;
}

export interface QiniCurve {
  points: QiniPoint[];
  /** total incremental churners prevented when everyone is treated (the end of the curve) */
  total: number;
  /** area between the curve and the random-targeting diagonal, in churners prevented × fraction targeted */
  area: number;
}

/**
 * Qini curve for a churn-reducing treatment: target customers from the highest score down (ties as one step, so
 * the order within a tie cannot matter) and count the churners the treatment has prevented so far.
 */
export function qiniCurve(
  scores: ArrayLike<number>,
  treated: ArrayLike<boolean>,
  churned: ArrayLike<number>,
): QiniCurve {
  const n = scores.length;
  if (n === 0) throw new Error("invalid input: no customers");
  if (treated.length !== n || churned.length !== n) {
    throw new Error(`invalid input: ${n} scores, ${treated.length} treatment flags, ${churned.length} outcomes`);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  for (const i of order) {
    if (!Number.isFinite(scores[i]!)) throw new Error(`invalid score at ${i}: ${scores[i]}`);
    if (churned[i] !== 0 && churned[i] !== 1) throw new Error(`invalid outcome at ${i}: ${churned[i]}`);
  }
  order.sort((i, j) => scores[j]! - scores[i]!);
  const points: QiniPoint[] = [{ targeted: 0, fraction: 0, gain: 0 }];
  let nA = 0;
  let yA = 0;
  let nB = 0;
  let yB = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e < n && scores[order[e]!] === scores[order[s]!]) {
      const i = order[e]!;
      if (treated[i]) {
        nB++;
        yB += churned[i]!;
      } else {
        nA++;
        yA += churned[i]!;
      }
      e++;
    }
    const gain = nA === 0 ? 0 : (yA * nB) / nA - yB;
    points.push({ targeted: e, fraction: e / n, gain });
    s = e;
  }
  const total = points[points.length - 1]!.gain;
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    area += ((a.gain - total * a.fraction + (b.gain - total * b.fraction)) / 2) * (b.fraction - a.fraction);
  }
  return { points, total, area };
}

/**
 * Cumulative sum of `values` when customers are taken from the highest score down, ties as one step: with the
 * simulation's true per-customer effects as values, the churners really prevented by treating the top k.
 */
export function cumulativeGain(scores: ArrayLike<number>, values: ArrayLike<number>): QiniPoint[] {
  const n = scores.length;
  if (n === 0) throw new Error("invalid input: no customers");
  if (values.length !== n) throw new Error(`invalid input: ${n} scores, ${values.length} values`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (const i of order) if (!Number.isFinite(scores[i]!)) throw new Error(`invalid score at ${i}: ${scores[i]}`);
  order.sort((i, j) => scores[j]! - scores[i]!);
  const points: QiniPoint[] = [{ targeted: 0, fraction: 0, gain: 0 }];
  let sum = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e < n && scores[order[e]!] === scores[order[s]!]) sum += values[order[e++]!]!;
    points.push({ targeted: e, fraction: e / n, gain: sum });
    s = e;
  }
  return points;
}
