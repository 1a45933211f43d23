/**
 * What one retention offer costs and earns, per customer, under a stated cost model (docs/profit.md, "Value per
 * customer"). Browser-safe: the build and the pages both import it.
 *
 * A targeted customer with churn probability p and value V (what the business keeps if a would-be churner stays)
 * accepts the offer and stays with probability γ (acceptance) if they would have churned. The offer costs d (coupon)
 * and the contact f. The two cost models differ in who pays the coupon:
 *
 * - "gift" (upfront gift): everyone targeted gets it:  p·γ·V − (d + f).
 * - "coupon" (paid only when redeemed; Verbraken, Verbeke & Baesens 2013): a churner redeems it only if they accept,
 *   a customer who would have stayed redeems it anyway:  p·γ·(V − d) − (1 − p)·d − f.
 *
 * Both are one linear form over three sums of a targeted set (customers K, churners W, churners' value WV):
 *   profit = γ·WV + c·W − (d + f)·K,   c = 0 (gift) or d·(1 − γ) (coupon),
 * which is what lets every policy be priced from prefix sums (targeting.ts). W and WV are observed (labels y) or
 * expected (p in place of y); a single customer's expected profit is the form at K = 1, W = p, WV = p·V.
 */

export type CostModel = "gift" | "coupon";

/** Plain-words names of the cost models, for controls and exported files. */
export const COST_MODEL_LABELS: Record<CostModel, string> = {
  gift: "upfront gift (every targeted customer costs the offer)",
  coupon: "coupon paid only when redeemed (Verbraken et al. 2013)",
};

/** The economics of one offer. */
export interface OfferEconomics {
  /** cost of the offer to the business (the coupon's value, or the gift's) */
  couponCost: number;
  /** cost of contacting one customer (message, call) */
  contactCost: number;
  /** probability that a would-be churner who gets the offer stays */
  acceptance: number;
  costModel: CostModel;
}

/** Sums over a set of targeted customers: the only inputs the profit of targeting that set needs. */
export interface TargetedSums {
  /** customers targeted */
  customers: number;
  /** churners among them: Σ y (observed) or Σ p (expected) */
  churners: number;
  /** value of those churners: Σ y·V or Σ p·V */
  churnerValue: number;
}

/** Throws naming the first invalid field; acceptance must be positive (with γ = 0 no offer ever pays). */
export function checkOfferEconomics(e: OfferEconomics): OfferEconomics {
  const { acceptance, couponCost, contactCost, costModel } = e;
  if (!(acceptance > 0 && acceptance <= 1)) throw new Error(`invalid acceptance: ${acceptance} (expected 0 < γ ≤ 1)`);
  if (!(couponCost >= 0 && Number.isFinite(couponCost))) throw new Error(`invalid couponCost: ${couponCost}`);
  if (!(contactCost >= 0 && Number.isFinite(contactCost))) throw new Error(`invalid contactCost: ${contactCost}`);
  if (costModel !== "gift" && costModel !== "coupon") throw new Error(`invalid costModel: ${costModel}`);
  return e;
}

/** The coefficient c of churners in the profit form: what a churner saves on the coupon they do not redeem. */
export function churnerCouponSaving(e: OfferEconomics): number {
  return e.costModel === "coupon" ? e.couponCost * (1 - e.acceptance) : 0;
}

/** The coefficients of the profit form γ·WV + c·W − (d + f)·K, for loops that price many sets. */
export function profitCoefficients(e: OfferEconomics): { churnerValue: number; churners: number; customers: number } {
  return { churnerValue: e.acceptance, churners: churnerCouponSaving(e), customers: -(e.couponCost + e.contactCost) };
}

/** Profit of targeting a set, from its sums: γ·WV + c·W − (d + f)·K (the module comment derives it). */
export function targetedProfit(s: TargetedSums, e: OfferEconomics): number {
  const k = profitCoefficients(e);
  return k.churnerValue * s.churnerValue + k.churners * s.churners + k.customers * s.customers;
}

/** Money spent on a targeted set: contacts plus the coupons redeemed under the cost model. */
export function targetedSpend(s: TargetedSums, e: OfferEconomics): number {
  const redeemed = e.costModel === "coupon" ? s.customers - (1 - e.acceptance) * s.churners : s.customers;
  return e.contactCost * s.customers + e.couponCost * redeemed;
}

/** Expected profit of targeting one customer with churn probability p and value V under the cost model. */
export function expectedCustomerProfit(p: number, value: number, e: OfferEconomics): number {
  return targetedProfit({ customers: 1, churners: p, churnerValue: p * value }, e);
}

/**
 * The one number that fixes the expected-profit order of customers: λ in the ranking key p·(V + λ).
 *
 * Expected profit is γ·p·(V + λ) − (d + f) with λ = c/γ, so customers sort by p·(V + λ) whatever the other sliders.
 * Gift: λ = 0, the order is by p·V and never changes. Coupon: λ = d·(1 − γ)/γ, so the order changes with γ or d when
 * values differ between customers (with one flat value it is the order by p for every λ). A ranking must be re-sorted
 * exactly when this number changes.
 */
export function orderParameter(e: OfferEconomics): number {
  return churnerCouponSaving(e) / e.acceptance;
}

/** The ranking key p·(V + λ): expected profit is γ·key − (d + f), so sorting by it sorts by expected profit. */
export function rankingKey(p: number, value: number, lambda: number): number {
  return p * (value + lambda);
}
