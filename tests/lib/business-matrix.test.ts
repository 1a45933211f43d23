import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { businessMatrix } from "../../src/lib/business-matrix.js";
import { policyAtPoint, rankByChurn, rankByExpectedProfit, type Basis } from "../../src/lib/targeting.js";
import { coupon, customers, gift } from "./value-fixture.js";

const cells = (m: ReturnType<typeof businessMatrix>) =>
  [m.saved, m.lostDespiteOffer, m.missed, m.wasted, m.ignored].map((c) => [c.customers, c.value, c.cost, c.net]);

describe("businessMatrix", () => {
  it("splits the top 4 under the coupon model against the labels (rows 5, 1, 0, 4 targeted; 0 and 4 churn)", () => {
    const m = businessMatrix(rankByExpectedProfit(customers, coupon), 4, coupon, { basis: "observed" });
    assert.deepEqual(cells(m), [
      [1, 98, 12, 86], // saved: half of the 2 targeted churners (worth 100 + 96), each redeems the coupon
      [1, 98, 2, -2], // lost despite the offer: they decline, so only the contact is paid
      [1, 24, 0, 0], // missed: row 2 churns untargeted
      [2, 0, 24, -24], // wasted: rows 5 and 1 would have stayed and redeem the coupon
      [1, 0, 0, 0], // correctly ignored: row 3
    ]);
    assert.equal(m.profit, 60);
  });

  it("charges the gift to the churners who decline under the gift model", () => {
    const m = businessMatrix(rankByExpectedProfit(customers, gift), 4, gift, { basis: "observed" });
    assert.deepEqual(m.lostDespiteOffer, { customers: 1, value: 98, cost: 12, net: -12 });
    assert.equal(m.profit, 50);
  });

  it("counts expected churners (Σ p) on the expected basis", () => {
    const m = businessMatrix(rankByExpectedProfit(customers, coupon), 4, coupon);
    assert.deepEqual(cells(m), [
      [0.6875, 133, 8.25, 124.75],
      [0.6875, 133, 1.375, -1.375],
      [0.875, 38, 0, 0],
      [2.625, 0, 31.5, -31.5],
      [1.125, 0, 0, 0],
    ]);
    assert.equal(m.profit, 91.875);
  });

  it("adds up, in customers and in money, to the policy's profit at every k, model, basis and ranking", () => {
    for (const e of [gift, coupon])
      for (const ranking of [rankByExpectedProfit(customers, e), rankByChurn(customers)])
        for (const basis of ["expected", "observed"] as Basis[])
          for (let k = 0; k <= 6; k++) {
            const m = businessMatrix(ranking, k, e, { basis });
            const { profit } = policyAtPoint(ranking, k, e, { basis });
            const label = `${e.costModel} ${basis} k = ${k}`;
            assert.ok(Math.abs(m.profit - profit) < 1e-9, `${label}: ${m.profit} vs ${profit}`);
            const people = cells(m).reduce((s, c) => s + c[0], 0);
            assert.ok(Math.abs(people - 6) < 1e-9, `${label}: ${people} customers`);
          }
  });
});
