import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkOfferEconomics,
  expectedCustomerProfit,
  orderParameter,
  rankingKey,
  targetedProfit,
  targetedSpend,
} from "../../src/lib/cost-model.js";
import { coupon, customers, gift } from "./value-fixture.js";

const { probability: p, value: v } = customers;

describe("expectedCustomerProfit", () => {
  it("is p·γ·V − (d + f) for an upfront gift", () => {
    const profits = Array.from(p, (pi, i) => expectedCustomerProfit(pi, v[i], gift));
    assert.deepEqual(profits, [13, 28, -3, -2, 6, 38]);
  });

  it("is p·γ·(V − d) − (1 − p)·d − f for a coupon paid only when redeemed", () => {
    const profits = Array.from(p, (pi, i) => expectedCustomerProfit(pi, v[i], coupon));
    assert.deepEqual(profits, [15.5, 29.25, 0.75, -1.375, 7.875, 39.25]);
    for (let i = 0; i < p.length; i++) {
      const formula = p[i] * 0.5 * (v[i] - 10) - (1 - p[i]) * 10 - 2;
      assert.ok(Math.abs(profits[i] - formula) < 1e-12, `row ${i}`);
    }
  });

  it("equals γ·key − (d + f) with the ranking key p·(V + λ) under both models", () => {
    for (const e of [gift, coupon, { ...coupon, acceptance: 0.2, couponCost: 35 }]) {
      const lambda = orderParameter(e);
      for (let i = 0; i < p.length; i++) {
        const viaKey = e.acceptance * rankingKey(p[i], v[i], lambda) - e.couponCost - e.contactCost;
        assert.ok(Math.abs(expectedCustomerProfit(p[i], v[i], e) - viaKey) < 1e-12, `${e.costModel} row ${i}`);
      }
    }
  });
});

describe("orderParameter", () => {
  it("is 0 under the gift model whatever the sliders, so the gift order never changes", () => {
    assert.equal(orderParameter(gift), 0);
    assert.equal(orderParameter({ ...gift, acceptance: 0.1, couponCost: 400, contactCost: 9 }), 0);
  });

  it("is d·(1 − γ)/γ under the coupon model, and 0 at full acceptance", () => {
    assert.equal(orderParameter(coupon), 10);
    assert.equal(orderParameter({ ...coupon, acceptance: 0.25 }), 30);
    assert.equal(orderParameter({ ...coupon, acceptance: 1 }), 0);
    assert.equal(orderParameter({ ...coupon, contactCost: 40 }), 10, "the contact cost never changes the order");
  });
});

describe("targetedProfit and targetedSpend", () => {
  it("price a set from its sums: 2 customers, 1.5 expected churners worth 300", () => {
    const s = { customers: 2, churners: 1.5, churnerValue: 300 };
    assert.equal(targetedProfit(s, gift), 0.5 * 300 - 12 * 2);
    assert.equal(targetedProfit(s, coupon), 0.5 * 300 + 10 * 0.5 * 1.5 - 12 * 2);
    assert.equal(targetedSpend(s, gift), 24);
    // coupons redeemed: the 0.5 non-churners and half of the 1.5 churners
    assert.equal(targetedSpend(s, coupon), 2 * 2 + 10 * (0.5 + 0.75));
  });
});

describe("checkOfferEconomics", () => {
  it("names the invalid field and value", () => {
    assert.throws(() => checkOfferEconomics({ ...gift, acceptance: 0 }), /invalid acceptance: 0/);
    assert.throws(() => checkOfferEconomics({ ...gift, couponCost: -1 }), /invalid couponCost: -1/);
    assert.throws(() => checkOfferEconomics({ ...gift, contactCost: NaN }), /invalid contactCost: NaN/);
    assert.throws(() => checkOfferEconomics({ ...gift, costModel: "rebate" as never }), /invalid costModel: rebate/);
    assert.equal(checkOfferEconomics(coupon), coupon);
  });
});
