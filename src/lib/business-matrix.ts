/**
 * The business confusion matrix of a policy, honest about acceptance (docs/profit.md, "The honest matrix").
 * Browser-safe.
 *
 * Targeted churners are not all saved: a share γ accepts and stays (saved), the rest leave anyway (lost despite the
 * offer) and still cost what the cost model charges them. Every cell carries its count, the value it keeps or loses
 * (for reading) and its net money; the nets add up to the policy's profit against doing nothing. On the observed basis
 * the counts come from labels (the realised matrix; saved and lost-despite-offer are still expectations over
 * acceptance); on the expected basis churners are Σ p (the model's expectation, no labels).
 */

import type { OfferEconomics } from "./cost-model.js";
import { sumsAt, type Basis, type PolicySums } from "./targeting.js";

export interface MatrixCell {
  /** customers in the cell (fractional where it is an expectation) */
  customers: number;
  /** value kept (saved) or lost (lost despite the offer, missed churners); 0 elsewhere */
  value: number;
  /** offer and contact money spent on the cell */
  cost: number;
  /** the cell's contribution to the profit: kept value − cost */
  net: number;
}

export interface BusinessMatrix {
  basis: Basis;
  /** targeted churners who accept and stay: γ of them, their value kept */
  saved: MatrixCell;
  /** targeted churners who decline and leave: (1 − γ) of them, their value lost despite the offer */
  lostDespiteOffer: MatrixCell;
  /** churners not targeted: their value lost, no money spent */
  missed: MatrixCell;
  /** targeted customers who would have stayed: offer and contact wasted */
  wasted: MatrixCell;
  /** customers who would have stayed, not targeted: nothing spent */
  ignored: MatrixCell;
  /** the sum of the nets: equals the policy's profit */
  profit: number;
}

const cell = (customers: number, value: number, cost: number, kept = 0): MatrixCell => ({
  customers,
  value,
  cost,
  net: kept - cost,
});

/** The matrix of the policy at a point (O(1)). */
export function businessMatrix(
  s: PolicySums,
  point: number,
  e: OfferEconomics,
  { basis = "expected" as Basis } = {},
): BusinessMatrix {
  const { acceptance: γ, couponCost: d, contactCost: f, costModel } = e;
  const at = sumsAt(s, point, basis);
  const all = sumsAt(s, s.customers.length - 1, basis);
  // a churner who declines pays no coupon under the coupon model; one who accepts redeems it under both
  const declinerCost = costModel === "coupon" ? f : d + f;
  const saved = cell(γ * at.churners, γ * at.churnerValue, γ * at.churners * (d + f), γ * at.churnerValue);
  const lostDespiteOffer = cell((1 - γ) * at.churners, (1 - γ) * at.churnerValue, (1 - γ) * at.churners * declinerCost);
  const missed = cell(all.churners - at.churners, all.churnerValue - at.churnerValue, 0);
  const stayersTargeted = at.customers - at.churners;
  const wasted = cell(stayersTargeted, 0, stayersTargeted * (d + f));
  const ignored = cell(all.customers - at.customers - missed.customers, 0, 0);
  const profit = saved.net + lostDespiteOffer.net + missed.net + wasted.net + ignored.net;
  return { basis, saved, lostDespiteOffer, missed, wasted, ignored, profit };
}
