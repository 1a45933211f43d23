/**
 * Six customers with different values, hand-priced (dyadic probabilities, so every sum is exact in binary).
 * Economics: acceptance 0.5, coupon 10, contact 2.
 *
 * row  p      V    y   p·V  gift profit 0.5·p·V − 12   coupon key p·(V + 10)  coupon profit 0.5·key − 12
 *  0   0.5    100  1   50   13                         55                     15.5
 *  1   0.25   320  0   80   28                         82.5                   29.25
 *  2   0.75   24   1   18   −3                         25.5                   0.75
 *  3   0.125  160  0   20   −2                         21.25                  −1.375
 *  4   0.375  96   1   36   6                          39.75                  7.875
 *  5   0.25   400  0   100  38                         102.5                  39.25
 *
 * Gift order [5, 1, 0, 4, 3, 2]; coupon order (λ = 10) [5, 1, 0, 4, 2, 3]: rows 2 and 3 swap.
 * Churn order [2, 0, 4, 1, 5, 3] (rows 1 and 5 tie at 0.25: row 1 first).
 */

import type { OfferEconomics } from "../../src/lib/cost-model.js";
import type { CustomerColumns } from "../../src/lib/targeting.js";

export const customers: CustomerColumns = {
  probability: [0.5, 0.25, 0.75, 0.125, 0.375, 0.25],
  value: [100, 320, 24, 160, 96, 400],
  churned: [1, 0, 1, 0, 1, 0],
};

export const gift: OfferEconomics = { acceptance: 0.5, couponCost: 10, contactCost: 2, costModel: "gift" };
export const coupon: OfferEconomics = { ...gift, costModel: "coupon" };
