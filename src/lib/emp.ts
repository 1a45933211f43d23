/**
 * The expected maximum profit (EMP) of a churn ranking, after Verbraken, Verbeke & Baesens (2013, IEEE TKDE 25(5)),
 * and the maximum profit MP at a fixed acceptance. Browser-safe.
 *
 * For each acceptance γ the best policy "target everyone scoring above a cut" earns max over cuts of γ·A − B, where
 * (from cost-model.ts' profit form) A = γ-slope and B = cost of the targeted set. Cuts fall between distinct scores
 * (tied customers are targeted together, as in the ROC curve). The maximum over cuts, as a function of γ, is the upper
 * envelope of lines, whose breakpoints come from the upper convex hull of the points (B, A); EMP integrates it against
 * γ ~ Beta(α, β) exactly, segment by segment, with the incomplete beta function. Under the coupon model with one value
 * for everyone this is the authors' R package EMP 2.0.6 `empChurn` (which takes the convex hull of the ROC curve, an
 * affine image of the same points); the tests reproduce its reference values.
 *
 * Customer-dependent generalisation: with a value V_i per customer, A = Σ churners (V_i − d) (coupon) or Σ churners V_i
 * (gift) over the targeted set instead of (churners)·(CLV − d), and B likewise sums per customer; the hull and the
 * integral are unchanged. The cuts still follow the scores given (the model's ranking, as in Verbraken's measure);
 * pass expected profit as the score to evaluate value-based targeting. The observed basis uses labels (Verbraken's
 * definition); the expected basis puts p in place of the labels.
 */

import { upperHull } from "./hull.js";
import { profitCoefficients, type OfferEconomics } from "./cost-model.js";
import { regularizedBeta } from "./incomplete-beta.js";
import {
  aggregateSums,
  basisColumns,
  rankCustomers,
  type Basis,
  type CustomerColumns,
  type PolicySums,
} from "./targeting.js";

export interface EmpOptions {
  /** acceptance γ ~ Beta(alpha, beta); Verbraken's defaults 6 and 14 (mean 0.3) */
  alpha?: number;
  beta?: number;
  /** the fixed acceptance of MP; by default the Beta's mean */
  acceptance?: number;
  /** labels (Verbraken's definition) or p in their place */
  basis?: Basis;
}

export interface EmpResult {
  /** expected maximum profit per customer, γ ~ Beta(α, β) */
  emp: number;
  /** expected share of customers the best cut targets */
  empFraction: number;
  /** maximum profit per customer at the fixed acceptance */
  mp: number;
  /** share targeted at that maximum */
  mpFraction: number;
  /** the fixed acceptance of mp (by default the Beta's mean α/(α + β)) */
  acceptance: number;
  alpha: number;
  beta: number;
}

/**
 * The sums at each distinct score (ties targeted together, highest scores first): the only cuts EMP considers.
 * Sorts once (O(n log n)); every EMP after that is O(distinct scores).
 */
export function scoreCuts(c: CustomerColumns, scores: ArrayLike<number> = c.probability): PolicySums {
  const ranking = rankCustomers(c, scores);
  const ends = [0];
  for (let k = 1; k <= ranking.order.length; k++) {
    if (k === ranking.order.length || scores[ranking.order[k]] !== scores[ranking.order[k - 1]]) ends.push(k);
  }
  return aggregateSums(ranking, ends);
}

/** EMP and MP of the cuts under the economics (acceptance is integrated over; MP uses `acceptance`). */
export function verbrakenEmp(
  s: PolicySums,
  e: Omit<OfferEconomics, "acceptance">,
  { alpha = 6, beta = 14, acceptance, basis = "observed" }: EmpOptions = {},
): EmpResult {
  const mean = alpha / (alpha + beta);
  const fixed = acceptance ?? mean;
  if (!(alpha > 0 && beta > 0)) throw new Error(`invalid Beta parameters: α ${alpha}, β ${beta}`);
  if (!(fixed >= 0 && fixed <= 1)) throw new Error(`invalid acceptance: ${fixed}`);
  const m = s.customers.length;
  const n = s.customers[m - 1];
  // profit at γ is linear: γ·A − B, with B = −profit(0) and A = profit(1) + B, from the one profit form
  const [at0, at1] = [0, 1].map((acceptance) => profitCoefficients({ ...e, acceptance }));
  const { churners, value } = basisColumns(s, basis);
  const cost = new Float64Array(m);
  const slope = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const [k, w, wv] = [s.customers[i], churners[i], value[i]];
    cost[i] = -(at0.churnerValue * wv + at0.churners * w + at0.customers * k);
    slope[i] = at1.churnerValue * wv + at1.churners * w + at1.customers * k + cost[i];
  }
  const hull = upperHull(
    (i) => cost[i],
    (i) => slope[i],
    m,
  );
  // vertex j is the best cut for γ from breaks[j] to breaks[j + 1]; later vertices need ever larger γ
  const vertices = [hull[0]];
  const breaks = [0];
  for (let j = 1; j < hull.length; j++) {
    const [a, b] = [hull[j - 1], hull[j]];
    const rise = slope[b] - slope[a];
    if (!(rise > 0)) break;
    const g = (cost[b] - cost[a]) / rise;
    if (g >= 1) break;
    vertices.push(b);
    breaks.push(g);
  }
  breaks.push(1);
  let emp = 0;
  let empCustomers = 0;
  let best = vertices[0];
  for (let j = 0; j < vertices.length; j++) {
    const v = vertices[j];
    const [lo, hi] = [breaks[j], breaks[j + 1]];
    const mass = regularizedBeta(hi, alpha, beta) - regularizedBeta(lo, alpha, beta);
    const firstMoment = mean * (regularizedBeta(hi, alpha + 1, beta) - regularizedBeta(lo, alpha + 1, beta));
    emp += slope[v] * firstMoment - cost[v] * mass;
    empCustomers += s.customers[v] * mass;
    if (lo < fixed) best = v; // strictly: at a break the smaller policy is kept, as empChurn does
  }
  const perCustomer = (x: number) => (n ? x / n : 0);
  return {
    emp: perCustomer(emp),
    empFraction: perCustomer(empCustomers),
    mp: perCustomer(fixed * slope[best] - cost[best]),
    mpFraction: perCustomer(s.customers[best]),
    acceptance: fixed,
    alpha,
    beta,
  };
}
