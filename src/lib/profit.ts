/**
 * The economics of a retention campaign (docs/profit.md). Shared by the pipeline (offer caps) and the pages.
 *
 * Targeting one customer costs the offer (coupon) and the contact, whoever they are; a customer who would have
 * churned accepts and stays with probability `acceptance`, which keeps their lifetime value. So the expected profit
 * of targeting a customer with calibrated churn probability p is  p·acceptance·LTV − (coupon + contact),  positive
 * exactly when p exceeds  (coupon + contact) / (acceptance · LTV)  — the theoretical optimal threshold.
 */
import { upperHull as hullOf } from "./hull.js";

export interface Economics {
  /** lifetime value kept when a would-be churner is retained (currency units) */
  ltv: number;
  /** cost of the offer to the business for each targeted customer */
  couponCost: number;
  /** cost of contacting one customer (message, call) */
  contactCost: number;
  /** probability that a would-be churner who gets the offer stays */
  acceptance: number;
}

/** Defaults of the food-delivery original (LTV ₹500, coupon ₹50) plus an acceptance rate of 30%, the mean of the
 * Beta(6, 14) that Verbraken et al. (2013) use for EMP, and a ₹2 contact (push message or SMS). */
export const DEFAULT_ECONOMICS: Economics = { ltv: 500, couponCost: 50, contactCost: 2, acceptance: 0.3 };

/** The slider ranges (documented in docs/profit.md). */
export const ECONOMICS_RANGES: Record<keyof Economics, { min: number; max: number; step: number }> = {
  ltv: { min: 50, max: 5000, step: 10 },
  couponCost: { min: 0, max: 500, step: 1 },
  contactCost: { min: 0, max: 50, step: 0.5 },
  acceptance: { min: 0.01, max: 1, step: 0.01 },
};

/** Throws a clear error naming the first invalid field. */
export function checkEconomics(e: Economics): Economics {
  for (const key of Object.keys(ECONOMICS_RANGES) as (keyof Economics)[]) {
    const { min, max } = ECONOMICS_RANGES[key];
    const v = e[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      throw new Error(`invalid ${key}: ${v} (expected a number from ${min} to ${max})`);
    }
  }
  return e;
}

const costPerTarget = (e: Economics) => e.couponCost + e.contactCost;

/** Expected profit of targeting one customer with churn probability p. */
export function expectedProfit(p: number, e: Economics, ltv = e.ltv): number {
  return p * e.acceptance * ltv - costPerTarget(e);
}

/** The threshold above which targeting pays: (coupon + contact) / (acceptance · LTV), capped at 1. */
export function theoreticalThreshold(e: Economics): number {
  return Math.min(1, costPerTarget(e) / (e.acceptance * e.ltv));
}

/** The largest whole coupon (≤ the configured cost) that keeps targeting this customer profitable in expectation. */
export function offerCouponCap(p: number, ltv: number, e: Economics): number {
  return Math.max(0, Math.floor(Math.min(e.couponCost, p * e.acceptance * ltv - e.contactCost)));
}

/**
 * Scores ranked once: everything the profit curve needs, independent of the economics, so a slider update is
 * O(n) arithmetic over typed arrays with no sorting.
 */
export interface RankedScores {
  n: number;
  positives: number;
  /** distinct thresholds, descending: targeting everyone with p ≥ thresholds[k] */
  thresholds: Float64Array;
  /** customers targeted at each threshold */
  targeted: Float64Array;
  /** churners (label 1) among them */
  churners: Float64Array;
  /** row indices by descending score (ties: by row), i.e. by descending expected profit under a flat LTV */
  order: Uint32Array;
}

/** Sort by score (descending) and accumulate counts at every distinct score (ties are targeted together). */
export function rankScores(scores: ArrayLike<number>, labels: ArrayLike<number>): RankedScores {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`scores and labels differ in length: ${n} vs ${labels.length}`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (!(scores[i] >= 0 && scores[i] <= 1)) throw new Error(`invalid probability at row ${i}: ${scores[i]}`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`invalid label at row ${i}: ${labels[i]}`);
    order[i] = i;
  }
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const thresholds: number[] = [];
  const targeted: number[] = [];
  const churners: number[] = [];
  let k = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const j = order[i];
    k++;
    pos += labels[j];
    if (i === n - 1 || scores[order[i + 1]] !== scores[j]) {
      thresholds.push(scores[j]);
      targeted.push(k);
      churners.push(pos);
    }
  }
  return {
    n,
    positives: pos,
    thresholds: Float64Array.from(thresholds),
    targeted: Float64Array.from(targeted),
    churners: Float64Array.from(churners),
    order,
  };
}

/** The outcome of one targeting policy, in counts and money. */
export interface PolicyOutcome {
  threshold: number;
  targeted: number;
  /** share of the base targeted */
  fraction: number;
  /** targeted churners (retained with probability `acceptance`) */
  tp: number;
  /** targeted customers who would have stayed anyway */
  fp: number;
  /** churners not targeted */
  fn: number;
  /** stayers not targeted */
  tn: number;
  /** expected revenue kept: tp · acceptance · LTV */
  saved: number;
  /** offer and contact cost of the targeted churners */
  savedCost: number;
  /** offer and contact cost spent on customers who would have stayed */
  wasted: number;
  /** lifetime value of the churners who were not targeted */
  lost: number;
  /** saved − savedCost − wasted */
  profit: number;
}

function outcome(r: RankedScores, threshold: number, targeted: number, tp: number, e: Economics): PolicyOutcome {
  const cost = costPerTarget(e);
  const fp = targeted - tp;
  const saved = tp * e.acceptance * e.ltv;
  return {
    threshold,
    targeted,
    fraction: r.n === 0 ? 0 : targeted / r.n,
    tp,
    fp,
    fn: r.positives - tp,
    tn: r.n - r.positives - fp,
    saved,
    savedCost: tp * cost,
    wasted: fp * cost,
    lost: (r.positives - tp) * e.ltv,
    profit: saved - targeted * cost,
  };
}

/** Targeting nobody (threshold above every score). */
export function targetNobody(r: RankedScores, e: Economics): PolicyOutcome {
  return outcome(r, Infinity, 0, 0, e);
}

/** Targeting everybody. */
export function targetEverybody(r: RankedScores, e: Economics): PolicyOutcome {
  return outcome(r, 0, r.n, r.positives, e);
}

/** The policy "target every customer with p ≥ threshold". */
export function policyAt(r: RankedScores, threshold: number, e: Economics): PolicyOutcome {
  if (Number.isNaN(threshold)) throw new Error(`invalid threshold: ${threshold}`);
  // thresholds are descending: find the last index with thresholds[k] >= threshold
  let lo = 0;
  let hi = r.thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r.thresholds[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return { ...targetNobody(r, e), threshold };
  return outcome(r, threshold, r.targeted[lo - 1], r.churners[lo - 1], e);
}

/** Profit at every distinct threshold (descending), the first point being "target nobody". */
export function profitCurve(r: RankedScores, e: Economics): PolicyOutcome[] {
  const points = [targetNobody(r, e)];
  for (let k = 0; k < r.thresholds.length; k++)
    points.push(outcome(r, r.thresholds[k], r.targeted[k], r.churners[k], e));
  return points;
}

/** The most profitable threshold policy (ties: the one targeting fewer customers). */
export function optimalPolicy(r: RankedScores, e: Economics): PolicyOutcome {
  const cost = costPerTarget(e);
  const gain = e.acceptance * e.ltv;
  let best = -1;
  let bestProfit = 0; // target nobody
  for (let k = 0; k < r.thresholds.length; k++) {
    const profit = r.churners[k] * gain - r.targeted[k] * cost;
    if (profit > bestProfit + 1e-9) {
      bestProfit = profit;
      best = k;
    }
  }
  return best < 0 ? targetNobody(r, e) : outcome(r, r.thresholds[best], r.targeted[best], r.churners[best], e);
}

/** The hull depends on the ranked scores only, not on the economics: computed once per ranking (see upperHull). */
const HULLS = new WeakMap<RankedScores, number[]>();

/**
 * Indices of the upper convex hull of (targeted, churners): the only candidates for a maximum of a·churners − b·targeted.
 * Cached per ranking: recomputing it on every slider update was most of an update's arithmetic at 1,000,000 customers.
 */
function upperHull(r: RankedScores): number[] {
  let hull = HULLS.get(r);
  if (!hull) {
    hull = computeUpperHull(r);
    HULLS.set(r, hull);
  }
  return hull;
}

/** Upper hull of the ranking's (targeted, churners) points with the origin as point −1. */
function computeUpperHull(r: RankedScores): number[] {
  const x = (i: number) => (i === 0 ? 0 : r.targeted[i - 1]);
  const y = (i: number) => (i === 0 ? 0 : r.churners[i - 1]);
  return hullOf(x, y, r.thresholds.length + 1).map((i) => i - 1);
}

/** The Beta(α, β) density on a grid, normalised to sum to 1 (a midpoint rule for the EMP integral). */
function betaWeights(alpha: number, beta: number, grid: Float64Array): Float64Array {
  const w = Float64Array.from(grid, (g) => g ** (alpha - 1) * (1 - g) ** (beta - 1));
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

export interface Emp {
  /** expected maximum profit per customer (currency units) */
  perCustomer: number;
  /** expected share of the base targeted by the profit-maximising policy */
  fraction: number;
  alpha: number;
  beta: number;
}

/**
 * Expected Maximum Profit (Verbraken, Verdonck, Baesens 2013): the profit of the best threshold, averaged over
 * an uncertain acceptance rate γ ~ Beta(α, β), per customer; and the expected targeted fraction. The maximum for
 * each γ lies on the upper convex hull of (targeted, churners), so the integral costs O(hull × grid).
 */
export function expectedMaximumProfit(
  r: RankedScores,
  e: Omit<Economics, "acceptance">,
  { alpha = 6, beta = 14, steps = 400 } = {},
): Emp {
  if (!(alpha > 0 && beta > 0)) throw new Error(`invalid Beta parameters: α ${alpha}, β ${beta}`);
  const grid = Float64Array.from({ length: steps }, (_, i) => (i + 0.5) / steps);
  const weights = betaWeights(alpha, beta, grid);
  const hull = upperHull(r);
  const cost = e.couponCost + e.contactCost;
  let profit = 0;
  let fraction = 0;
  for (let g = 0; g < steps; g++) {
    const gain = grid[g] * e.ltv;
    let best = 0;
    let bestTargeted = 0;
    for (const k of hull) {
      if (k < 0) continue;
      const p = r.churners[k] * gain - r.targeted[k] * cost;
      if (p > best + 1e-9) {
        best = p;
        bestTargeted = r.targeted[k];
      }
    }
    profit += weights[g] * best;
    fraction += weights[g] * bestTargeted;
  }
  return { perCustomer: r.n ? profit / r.n : 0, fraction: r.n ? fraction / r.n : 0, alpha, beta };
}

/** One point of a profit curve sampled on an even threshold grid (for plotting). */
export interface CurveSample {
  threshold: number;
  targeted: number;
  fraction: number;
  profit: number;
}

/**
 * The profit curve sampled at thresholds 0, 1/points, …, 1 (the policy "target p ≥ t" at each), in one pass over
 * the ranked thresholds: O(distinct scores + points), so a plot never carries one mark per customer.
 */
export function sampleProfitCurve(r: RankedScores, e: Economics, { points = 400 } = {}): CurveSample[] {
  if (!(Number.isInteger(points) && points >= 1)) throw new Error(`invalid points: ${points}`);
  const cost = costPerTarget(e);
  const gain = e.acceptance * e.ltv;
  const samples: CurveSample[] = [];
  let k = r.thresholds.length; // walk thresholds ascending: the policy at t uses the last index with thresholds ≥ t
  for (let i = 0; i <= points; i++) {
    const t = i / points;
    while (k > 0 && r.thresholds[k - 1] < t) k--;
    const targeted = k === 0 ? 0 : r.targeted[k - 1];
    const churners = k === 0 ? 0 : r.churners[k - 1];
    samples.push({
      threshold: t,
      targeted,
      fraction: r.n ? targeted / r.n : 0,
      profit: churners * gain - targeted * cost,
    });
  }
  return samples;
}

/** Row indices of the customers a threshold targets, by descending expected profit (from rankScores' order). */
export function targetedRows(r: RankedScores, scores: ArrayLike<number>, threshold: number): Uint32Array {
  if (Number.isNaN(threshold)) throw new Error(`invalid threshold: ${threshold}`);
  let k = 0;
  while (k < r.order.length && scores[r.order[k]] >= threshold) k++;
  return r.order.subarray(0, k);
}

// One formatter, made once: Number.prototype.toLocaleString builds a new one on every call, which cost a slider
// update several milliseconds.
