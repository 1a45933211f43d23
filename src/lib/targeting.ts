/**
 * Policies "target the top k" over customers sorted once, priced from prefix sums (docs/profit.md, "Value per
 * customer"). Browser-safe.
 *
 * A ranking is sorted once (O(n log n)); it stores, at every policy point, the customers targeted and the sums the
 * profit form of cost-model.ts needs (Σ p, Σ p·V and, with labels, Σ y, Σ y·V) as Float64Array prefix sums. Then the
 * profit, spend and matrix of any point cost O(1), a point for a number of customers or a budget O(log n), and the
 * optimum O(log n) when the ranking is in the expected-profit order of the economics asked about (else one O(n) scan).
 *
 * When to re-sort: rankByExpectedProfit sorts by p·(V + λ), λ = orderParameter(economics). Under the gift model λ = 0
 * and one ranking serves every slider value; under the coupon model a change of γ or d changes λ, and with per-customer
 * values the order (so the ranking) must be rebuilt — rankingFor does that only when λ changed. The churn-ranked
 * policy (rankByChurn) never needs re-sorting.
 *
 * Points need not be every k: PolicySums at a few hundred k values (aggregateSums) give the same numbers at those
 * points, which is how pre-aggregated artifacts can serve millions of customers.
 */

import {
  checkOfferEconomics,
  expectedCustomerProfit,
  orderParameter,
  profitCoefficients,
  rankingKey,
  targetedProfit,
  targetedSpend,
  type OfferEconomics,
  type TargetedSums,
} from "./cost-model.js";
import { descendingOrder } from "./descending-order.js";

/** Customers as columns (one entry per customer). */
export interface CustomerColumns {
  /** churn probability p (calibrated) */
  probability: ArrayLike<number>;
  /** value V kept when a would-be churner is retained */
  value: ArrayLike<number>;
  /** observed churn, 0/1; needed only for the observed basis */
  churned?: ArrayLike<number>;
  /**
   * Customers each entry stands for (default 1): an entry may be a cell of similar customers (src/lib/campaign-cells.ts),
   * with `probability` its mean p, `value` its Σ p·V / Σ p, `churned` its share of churners (0–1) and `churnedValue` its
   * mean y·V, so that every sum below is the sum over its customers.
   */
  count?: ArrayLike<number>;
  /** mean y·V per customer of an entry (default churned × value, exact for a single customer) */
  churnedValue?: ArrayLike<number>;
}

/** Which churners a figure counts: observed labels y, or expected churners p (the model's view, no labels needed). */
export type Basis = "expected" | "observed";

/** Sums at policy points: point i targets customers[i] customers (ascending, point 0 targets nobody). */
export interface PolicySums {
  customers: Float64Array;
  /** Σ p and Σ p·V over the targeted customers */
  expectedChurners: Float64Array;
  expectedValue: Float64Array;
  /** Σ y and Σ y·V, when labels were given */
  observedChurners?: Float64Array;
  observedValue?: Float64Array;
  /** λ of the expected-profit order the points follow (orderParameter), or NaN for any other order */
  lambda: number;
}

/** Customers sorted once, with the prefix sums of every k (point k targets the first k of `order`). */
export interface Ranking extends PolicySums {
  /** row indices, best first */
  order: Uint32Array;
}

/** One policy: a point, what it targets, and its money. */
export interface Policy {
  point: number;
  customers: number;
  /** share of the base targeted */
  fraction: number;
  profit: number;
  /** contacts plus coupons redeemed (in expectation under the coupon model) */
  spend: number;
}

/**
 * Throws naming the first bad row: p outside [0, 1], a non-finite value, a label other than 0/1 (a share outside
 * [0, 1] for cells), a count that is not a whole number ≥ 1, unequal lengths.
 */
export function checkCustomers(c: CustomerColumns): CustomerColumns {
  const { probability: p, value, churned, count, churnedValue } = c;
  const n = p.length;
  const sameLength = (name: string, a: ArrayLike<number> | undefined) => {
    if (a && a.length !== n) throw new Error(`probability and ${name} differ in length: ${n} vs ${a.length}`);
  };
  sameLength("value", value);
  sameLength("churned", churned);
  sameLength("count", count);
  sameLength("churnedValue", churnedValue);
  for (let i = 0; i < n; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new Error(`invalid probability at row ${i}: ${p[i]}`);
    if (!Number.isFinite(value[i])) throw new Error(`invalid value at row ${i}: ${value[i]}`);
    if (count && !(Number.isInteger(count[i]) && count[i] >= 1))
      throw new Error(`invalid count at row ${i}: ${count[i]}`);
    if (churned && (count ? !(churned[i] >= 0 && churned[i] <= 1) : churned[i] !== 0 && churned[i] !== 1))
      throw new Error(`invalid churned at row ${i}: ${churned[i]}`);
    if (churnedValue && !Number.isFinite(churnedValue[i]))
      throw new Error(`invalid churnedValue at row ${i}: ${churnedValue[i]}`);
  }
  return c;
}

/**
 * Prefix sums along `order`; with `weights` (a bootstrap's counts per row) each row counts that many times and rows
 * of weight 0 make no point, so consecutive points always differ.
 */
export function prefixSums(
  c: CustomerColumns,
  order: ArrayLike<number>,
  { weights, lambda = NaN }: { weights?: ArrayLike<number>; lambda?: number } = {},
): PolicySums {
  const { probability: p, value, churned: y, count, churnedValue: yv } = c;
  const m = order.length + 1;
  const customers = new Float64Array(m);
  const expectedChurners = new Float64Array(m);
  const expectedValue = new Float64Array(m);
  const observedChurners = y ? new Float64Array(m) : undefined;
  const observedValue = y ? new Float64Array(m) : undefined;
  let j = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    const w = (weights ? weights[r] : 1) * (count ? count[r] : 1);
    if (w === 0) continue;
    customers[j + 1] = customers[j] + w;
    expectedChurners[j + 1] = expectedChurners[j] + w * p[r];
    expectedValue[j + 1] = expectedValue[j] + w * p[r] * value[r];
    if (y && observedChurners && observedValue) {
      observedChurners[j + 1] = observedChurners[j] + w * y[r];
      observedValue[j + 1] = observedValue[j] + w * (yv ? yv[r] : y[r] * value[r]);
    }
    j++;
  }
  const cut = (a: Float64Array) => (j + 1 === m ? a : a.subarray(0, j + 1)); // a view: no copy per resample
  return {
    customers: cut(customers),
    expectedChurners: cut(expectedChurners),
    expectedValue: cut(expectedValue),
    observedChurners: observedChurners && cut(observedChurners),
    observedValue: observedValue && cut(observedValue),
    lambda,
  };
}

/** Sort customers by `key` (descending; ties by row, so the order is deterministic; O(n)) and build the prefix sums. */
export function rankCustomers(c: CustomerColumns, key: ArrayLike<number>, { lambda = NaN } = {}): Ranking {
  checkCustomers(c);
  const n = c.probability.length;
  if (key.length !== n) throw new Error(`key and probability differ in length: ${key.length} vs ${n}`);
  const order = descendingOrder(key);
  return { ...prefixSums(c, order, { lambda }), order };
}

/** Customers by expected profit under the economics (descending): the value-based policy's ranking. */
export function rankByExpectedProfit(c: CustomerColumns, e: OfferEconomics): Ranking {
  checkOfferEconomics(e);
  const lambda = orderParameter(e);
  const key = new Float64Array(c.probability.length); // a loop: Float64Array.from with a map is several times slower
  for (let i = 0; i < key.length; i++) key[i] = rankingKey(c.probability[i], c.value[i], lambda);
  return rankCustomers(c, key, { lambda });
}

/** Customers by churn probability alone (descending): the churn-ranked policy, priced with the same values. */
export function rankByChurn(c: CustomerColumns): Ranking {
  return rankCustomers(c, c.probability);
}

const RANKINGS = new WeakMap<CustomerColumns, Ranking>();

/** The expected-profit ranking for these economics, re-sorted only when orderParameter changed (one per columns). */
export function rankingFor(c: CustomerColumns, e: OfferEconomics): Ranking {
  const cached = RANKINGS.get(c);
  if (cached && cached.lambda === orderParameter(e)) return cached;
  const ranking = rankByExpectedProfit(c, e);
  RANKINGS.set(c, ranking);
  return ranking;
}

/** The churner columns of a basis, for loops over every point (throws if the sums lack it). */
export function basisColumns(s: PolicySums, basis: Basis): { churners: Float64Array; value: Float64Array } {
  if (basis === "expected") return { churners: s.expectedChurners, value: s.expectedValue };
  if (basis !== "observed") throw new Error(`invalid basis: ${basis}`);
  if (!s.observedChurners || !s.observedValue) throw new Error("invalid basis: observed (no churn labels were given)");
  return { churners: s.observedChurners, value: s.observedValue };
}

/** The sums the profit form needs at a point, on the chosen basis. */
export function sumsAt(s: PolicySums, point: number, basis: Basis = "expected"): TargetedSums {
  if (!(Number.isInteger(point) && point >= 0 && point < s.customers.length))
    throw new Error(`invalid point: ${point}`);
  const { churners, value } = basisColumns(s, basis);
  return { customers: s.customers[point], churners: churners[point], churnerValue: value[point] };
}

/** The policy at a point: customers, profit and spend. */
export function policyAtPoint(s: PolicySums, point: number, e: OfferEconomics, { basis = "expected" as Basis } = {}) {
  checkOfferEconomics(e);
  const sums = sumsAt(s, point, basis);
  const total = s.customers[s.customers.length - 1];
  return {
    point,
    customers: sums.customers,
    fraction: total ? sums.customers / total : 0,
    profit: targetedProfit(sums, e),
    spend: targetedSpend(sums, e),
  } satisfies Policy;
}

/** The last point targeting at most k customers (O(log n); point k itself in a full ranking). */
export function pointOfCustomers(s: PolicySums, k: number): number {
  if (Number.isNaN(k) || k < 0) throw new Error(`invalid k: ${k}`);
  return lastPointWhere(s, (i) => s.customers[i] <= k);
}

/** The policy "target the top k" chosen by hand (k is rounded down to a point). */
export function policyAtCustomers(s: PolicySums, k: number, e: OfferEconomics, { basis = "expected" as Basis } = {}) {
  return policyAtPoint(s, pointOfCustomers(s, k), e, { basis });
}

/** The last point satisfying a predicate that holds for a prefix of points (point 0 always counts). */
function lastPointWhere(s: PolicySums, holds: (point: number) => boolean): number {
  let lo = 0;
  let hi = s.customers.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (holds(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The most profitable point (ties: the one targeting fewer). In the expected-profit order of these economics on the
 * expected basis the profit is concave along the points, so a binary search on the marginal profit finds it; otherwise
 * (churn-ranked, observed labels, a ranking made for another λ) it scans every point.
 */
export function bestPolicy(s: PolicySums, e: OfferEconomics, { basis = "expected" as Basis } = {}): Policy {
  const { churnerValue: a, churners: b, customers: c } = profitCoefficients(e);
  const { churners, value } = basisColumns(s, basis);
  const profit = (i: number) => a * value[i] + b * churners[i] + c * s.customers[i];
  let best = 0;
  if (basis === "expected" && s.lambda === orderParameter(e)) {
    best = lastPointWhere(s, (i) => i === 0 || profit(i) > profit(i - 1));
  } else {
    // the bootstrap calls this for every resample: plain array reads, no object per point
    let bestProfit = 0;
    for (let i = 1; i < s.customers.length; i++) {
      const p = profit(i);
      if (p > bestProfit) [best, bestProfit] = [i, p];
    }
  }
  return policyAtPoint(s, best, e, { basis });
}

/**
 * The budget policy: the largest point whose spend stays within `money` and whose customers within `contacts`
 * (O(log n): spend never falls as more customers are targeted). It may lie past the optimum; the smaller of the two
 * points is the policy that respects the budget without losing money on the last offers.
 */
export function budgetPolicy(
  s: PolicySums,
  e: OfferEconomics,
  { money = Infinity, contacts = Infinity, basis = "expected" as Basis } = {},
): Policy {
  if (Number.isNaN(money) || money < 0) throw new Error(`invalid money budget: ${money}`);
  if (Number.isNaN(contacts) || contacts < 0) throw new Error(`invalid contacts budget: ${contacts}`);
  // a relative 1e-12 of slack so that a budget of exactly k offers' cost buys k offers despite rounding in the sums
  const within = (i: number) => targetedSpend(sumsAt(s, i, basis), e) <= money * (1 + 1e-12);
  const point = lastPointWhere(s, (i) => s.customers[i] <= contacts && within(i));
  return policyAtPoint(s, point, e, { basis });
}

/** The profit curve at about `points` evenly spaced points plus the last (O(points)): what a plot draws. */
export function policyCurve(s: PolicySums, e: OfferEconomics, { basis = "expected" as Basis, points = 400 } = {}) {
  if (!(Number.isInteger(points) && points >= 1)) throw new Error(`invalid points: ${points}`);
  const last = s.customers.length - 1;
  const step = Math.max(1, Math.floor(last / points));
  const curve: Policy[] = [];
  for (let i = 0; i < last; i += step) curve.push(policyAtPoint(s, i, e, { basis }));
  curve.push(policyAtPoint(s, last, e, { basis }));
  return curve;
}

/**
 * The sums at chosen customer counts (each rounded down to a point): a pre-aggregated artifact of a ranking. Include 0
 * and the base's size so that target-nobody, target-everybody and the fractions stay right.
 */
export function aggregateSums(s: PolicySums, ks: ArrayLike<number>): PolicySums {
  const points = Array.from(ks, (k) => pointOfCustomers(s, k));
  const pick = (a: Float64Array) => Float64Array.from(points, (i) => a[i]);
  return {
    customers: pick(s.customers),
    expectedChurners: pick(s.expectedChurners),
    expectedValue: pick(s.expectedValue),
    observedChurners: s.observedChurners && pick(s.observedChurners),
    observedValue: s.observedValue && pick(s.observedValue),
    lambda: s.lambda,
  };
}

/** One row of a targeting list: the customer, their rank and the numbers their expected profit is made of. */
export interface TargetedCustomer {
  row: number;
  /** 1 = the most profitable to target */
  rank: number;
  probability: number;
  value: number;
  /** the cost model's formula at these economics (cost-model.ts expectedCustomerProfit) */
  expectedProfit: number;
}

/** The first k customers of a ranking, in its order (for the targeting table and CSV; O(k)). */
export function targetedCustomers(
  c: CustomerColumns,
  ranking: Ranking,
  k: number,
  e: OfferEconomics,
): TargetedCustomer[] {
  if (!(Number.isInteger(k) && k >= 0 && k <= ranking.order.length)) throw new Error(`invalid k: ${k}`);
  return Array.from(ranking.order.subarray(0, k), (row, i) => ({
    row,
    rank: i + 1,
    probability: c.probability[row],
    value: c.value[row],
    expectedProfit: expectedCustomerProfit(c.probability[row], c.value[row], e),
  }));
}
