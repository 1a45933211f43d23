import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  aggregateSums,
  budgetPolicy,
  bestPolicy,
  policyAtCustomers,
  policyAtPoint,
  prefixSums,
  policyCurve,
  rankByChurn,
  rankByExpectedProfit,
  rankCustomers,
  rankingFor,
  targetedCustomers,
  type Basis,
  type PolicySums,
} from "../../src/lib/targeting.js";
import type { OfferEconomics } from "../../src/lib/cost-model.js";
import { coupon, customers, gift } from "./value-fixture.js";

const profits = (s: PolicySums, e: OfferEconomics, basis: Basis = "expected") =>
  Array.from(s.customers, (_, i) => policyAtPoint(s, i, e, { basis }).profit);

const close = (actual: number[], expected: number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]) < 1e-9, `k = ${i}: ${a} vs ${expected[i]}`);
  });
};

describe("rankByExpectedProfit", () => {
  it("orders the gift model by p·V", () => {
    assert.deepEqual(Array.from(rankByExpectedProfit(customers, gift).order), [5, 1, 0, 4, 3, 2]);
  });

  it("orders the coupon model by p·(V + λ), which swaps rows 2 and 3 at λ = 10", () => {
    const r = rankByExpectedProfit(customers, coupon);
    assert.deepEqual(Array.from(r.order), [5, 1, 0, 4, 2, 3]);
    assert.equal(r.lambda, 10);
  });

  it("breaks ties by row: the churn ranking puts row 1 before row 5 (both p = 0.25)", () => {
    assert.deepEqual(Array.from(rankByChurn(customers).order), [2, 0, 4, 1, 5, 3]);
  });

  it("prices every k of the value ranking (expected basis)", () => {
    close(profits(rankByExpectedProfit(customers, gift), gift), [0, 38, 66, 79, 85, 83, 80]);
    close(profits(rankByExpectedProfit(customers, coupon), coupon), [0, 39.25, 68.5, 84, 91.875, 92.625, 91.25]);
  });

  it("prices every k of the churn ranking with the same values", () => {
    close(profits(rankByChurn(customers), gift), [0, -3, 10, 16, 44, 82, 80]);
    close(profits(rankByChurn(customers), coupon), [0, 0.75, 16.25, 24.125, 53.375, 92.625, 91.25]);
  });

  it("prices every k against the observed labels", () => {
    close(profits(rankByExpectedProfit(customers, gift), gift, "observed"), [0, -12, -24, 14, 50, 38, 38]);
    close(profits(rankByExpectedProfit(customers, coupon), coupon, "observed"), [0, -12, -24, 19, 60, 65, 53]);
    close(profits(rankByChurn(customers), gift, "observed"), [0, 0, 38, 74, 62, 50, 38]);
  });

  it("rejects bad rows by naming them", () => {
    assert.throws(
      () => rankByChurn({ ...customers, probability: [0.5, 1.5, 0, 0, 0, 0] }),
      /probability at row 1: 1.5/,
    );
    assert.throws(() => rankByChurn({ ...customers, churned: [1, 0, 2, 0, 0, 0] }), /churned at row 2: 2/);
    assert.throws(() => rankByChurn({ ...customers, value: [1, 2] }), /differ in length: 6 vs 2/);
    assert.throws(() => rankCustomers(customers, [1, 2, NaN, 4, 5, 6]), /invalid key at row 2: NaN/);
    assert.throws(() =>
      policyAtPoint(rankByChurn({ ...customers, churned: undefined }), 1, gift, { basis: "observed" }),
    );
  });
});

describe("rankingFor", () => {
  it("re-sorts only when the order parameter changes", () => {
    const c = { ...customers };
    const first = rankingFor(c, coupon);
    assert.equal(rankingFor(c, { ...coupon, contactCost: 30 }), first, "the contact cost keeps the order");
    assert.equal(rankingFor(c, { ...coupon, acceptance: 0.25, couponCost: 30 / 9 }).lambda, 10);
    const regift = rankingFor(c, gift);
    assert.notEqual(regift, first);
    assert.deepEqual(Array.from(regift.order), [5, 1, 0, 4, 3, 2]);
  });
});

describe("bestPolicy", () => {
  it("finds the value ranking's optimum by binary search (gift: top 4, 85; coupon: top 5, 92.625)", () => {
    const g = bestPolicy(rankByExpectedProfit(customers, gift), gift);
    assert.deepEqual([g.customers, g.profit, g.fraction], [4, 85, 4 / 6]);
    const c = bestPolicy(rankByExpectedProfit(customers, coupon), coupon);
    assert.deepEqual([c.customers, c.profit], [5, 92.625]);
  });

  it("scans the churn ranking: 82 at 5 customers, 3 less than ranking by value (gift)", () => {
    const churn = bestPolicy(rankByChurn(customers), gift);
    assert.deepEqual([churn.customers, churn.profit], [5, 82]);
  });

  it("scans a ranking made for another λ rather than trusting its order", () => {
    const stale = rankByExpectedProfit(customers, gift);
    const best = bestPolicy(stale, coupon);
    assert.equal(best.customers, 4);
    assert.equal(best.profit, 91.875);
  });

  it("maximises the observed profit on the observed basis", () => {
    const g = bestPolicy(rankByExpectedProfit(customers, gift), gift, { basis: "observed" });
    assert.deepEqual([g.customers, g.profit], [4, 50]);
    const c = bestPolicy(rankByExpectedProfit(customers, coupon), coupon, { basis: "observed" });
    assert.deepEqual([c.customers, c.profit], [5, 65]);
  });

  it("targets nobody when no offer pays", () => {
    const dear = { ...gift, couponCost: 100 };
    const none = bestPolicy(rankByExpectedProfit(customers, dear), dear);
    assert.deepEqual([none.customers, none.profit, none.spend], [0, 0, 0]);
  });

  it("prefers fewer customers on a tie", () => {
    // the second customer's expected profit is exactly 0.5 · 0.5 · 8 − 2 = 0
    const c = { probability: [0.5, 0.5], value: [16, 8], churned: [1, 0] };
    const e: OfferEconomics = { ...gift, couponCost: 0.25, contactCost: 1.75 };
    const best = bestPolicy(rankByExpectedProfit(c, e), e);
    assert.deepEqual([best.customers, best.profit], [1, 2]);
  });
});

describe("budgetPolicy", () => {
  it("buys floor(money / (d + f)) offers under the gift model", () => {
    const r = rankByExpectedProfit(customers, gift);
    assert.equal(budgetPolicy(r, gift, { money: 40 }).customers, 3);
    assert.equal(budgetPolicy(r, gift, { money: 36 }).customers, 3);
    assert.equal(budgetPolicy(r, gift, { money: 35.99 }).customers, 2);
    assert.equal(budgetPolicy(r, gift, { money: 1e9 }).customers, 6);
    assert.equal(budgetPolicy(r, gift, { money: 0 }).customers, 0);
  });

  it("counts only redeemed coupons under the coupon model (spend 10.75, 21.5, 31, 41.125, …)", () => {
    const r = rankByExpectedProfit(customers, coupon);
    const top3 = budgetPolicy(r, coupon, { money: 40 });
    assert.deepEqual([top3.customers, top3.spend, top3.profit], [3, 31, 84]);
    assert.equal(budgetPolicy(r, coupon, { money: 41.125 }).customers, 4);
  });

  it("caps the number of contacts", () => {
    const r = rankByExpectedProfit(customers, coupon);
    assert.equal(budgetPolicy(r, coupon, { contacts: 2 }).customers, 2);
    assert.equal(budgetPolicy(r, coupon, { contacts: 5, money: 31 }).customers, 3);
    assert.throws(() => budgetPolicy(r, coupon, { money: -1 }), /invalid money budget: -1/);
  });
});

describe("policyAtCustomers, policyCurve and aggregateSums", () => {
  it("gives the hand-chosen k, rounded down to a point", () => {
    const r = rankByExpectedProfit(customers, gift);
    assert.equal(policyAtCustomers(r, 2, gift).profit, 66);
    assert.equal(policyAtCustomers(r, 2.7, gift).customers, 2);
    assert.throws(() => policyAtCustomers(r, -1, gift), /invalid k: -1/);
  });

  it("samples the curve at even points and always ends at target-everybody", () => {
    const r = rankByExpectedProfit(customers, gift);
    assert.deepEqual(
      policyCurve(r, gift, { points: 3 }).map((p) => [p.customers, p.profit]),
      [
        [0, 0],
        [2, 66],
        [4, 85],
        [6, 80],
      ],
    );
  });

  it("gives the same numbers from sums kept at a few k values (a pre-aggregated artifact)", () => {
    const r = rankByExpectedProfit(customers, coupon);
    const artifact = aggregateSums(r, [0, 2, 4, 5, 6]);
    close(profits(artifact, coupon), [0, 68.5, 91.875, 92.625, 91.25]);
    assert.equal(bestPolicy(artifact, coupon).customers, 5);
    assert.equal(budgetPolicy(artifact, coupon, { money: 45 }).customers, 4);
    assert.equal(policyAtCustomers(artifact, 3, coupon).customers, 2);
  });
});

describe("prefixSums with weights", () => {
  it("counts a row as often as it was drawn and skips rows never drawn", () => {
    const r = rankByExpectedProfit(customers, gift);
    const s = prefixSums(customers, r.order, { weights: [2, 0, 0, 1, 0, 1], lambda: r.lambda });
    // order [5, 1, 0, 4, 3, 2] keeps rows 5, 0 (twice), 3
    assert.deepEqual(Array.from(s.customers), [0, 1, 3, 4]);
    close(profits(s, gift), [0, 38, 64, 62]);
  });
});

describe("targetedCustomers", () => {
  it("lists the top k in ranking order with each one's expected profit under the cost model", () => {
    const r = rankByExpectedProfit(customers, coupon);
    assert.deepEqual(targetedCustomers(customers, r, 3, coupon), [
      { row: 5, rank: 1, probability: 0.25, value: 400, expectedProfit: 39.25 },
      { row: 1, rank: 2, probability: 0.25, value: 320, expectedProfit: 29.25 },
      { row: 0, rank: 3, probability: 0.5, value: 100, expectedProfit: 15.5 },
    ]);
    assert.throws(() => targetedCustomers(customers, r, 7, coupon), /invalid k: 7/);
  });

  it("refuses economics that cannot rank anybody, naming the field", () => {
    assert.throws(() => rankByExpectedProfit(customers, { ...gift, acceptance: 0 }), /invalid acceptance: 0/);
  });
});
