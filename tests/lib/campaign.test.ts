import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { campaign, campaignEmp, type CampaignData, type CampaignSettings } from "../../src/lib/campaign.js";
import { verbrakenEmp, scoreCuts } from "../../src/lib/emp.js";
import { customers, gift } from "./value-fixture.js";

// The six hand-priced customers of value-fixture.ts (gift model: profits by k [0, 38, 66, 79, 85, 83, 80]).
const data: CampaignData = {
  probability: Float64Array.from(customers.probability),
  value: Float64Array.from(customers.value),
  churned: Float64Array.from(customers.churned ?? []),
};
const base: CampaignSettings = {
  ...gift,
  valueMode: "customer",
  flatValue: 100,
  policy: "optimum",
  budget: 0,
  contacts: 0,
  customers: 0,
};
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

describe("campaign", () => {
  it("targets the optimum by expected profit (gift: top 4 for 85; coupon: top 5 for 92.625)", () => {
    const g = campaign(data, base);
    assert.deepEqual(Array.from(g.ranking.order), [5, 1, 0, 4, 3, 2]);
    assert.equal(g.chosen.customers, 4);
    close(g.chosen.profit, 85, "gift optimum");
    const c = campaign(data, { ...base, costModel: "coupon" });
    assert.equal(c.chosen.customers, 5);
    close(c.chosen.profit, 92.625, "coupon optimum");
  });

  it("prices the churn ranking at the same k: 44 for the top 4 by p (rows 2, 0, 4, 1), 85 − 44 less", () => {
    const s = campaign(data, base);
    close(s.churnAtChosen.profit, -3 + 13 + 6 + 28, "churn-ranked at k = 4");
    assert.equal(s.churnOptimum.customers, 5);
    close(s.churnOptimum.profit, 82, "churn-ranked optimum");
  });

  it("prices the chosen policy against the outcomes (realised 50 at k = 4, gift)", () => {
    close(campaign(data, base).realised.profit, 50, "realised");
  });

  it("buys what a money budget allows: ₹30 buys 2 offers of ₹12 (66)", () => {
    const s = campaign(data, { ...base, policy: "budget", budget: 30 });
    assert.equal(s.chosen.customers, 2);
    close(s.chosen.profit, 66, "budget policy");
    assert.equal(s.budgetLimit?.customers, 2);
  });

  it("never spends a budget past the optimum: ₹1,000 would allow 6, the policy stops at 4", () => {
    const s = campaign(data, { ...base, policy: "budget", budget: 1000 });
    assert.equal(s.budgetLimit?.customers, 6);
    assert.equal(s.chosen.customers, 4);
    close(s.chosen.profit, 85, "capped at the optimum");
  });

  it("caps the contacts, and takes a hand-chosen k", () => {
    const c = campaign(data, { ...base, policy: "contacts", contacts: 3 });
    assert.equal(c.chosen.customers, 3);
    close(c.chosen.profit, 79, "3 contacts");
    const m = campaign(data, { ...base, policy: "manual", customers: 1 });
    assert.equal(m.chosen.customers, 1);
    close(m.chosen.profit, 38, "top 1");
    assert.equal(m.optimum.customers, 4);
  });

  it("gives a matrix whose nets add up to the chosen profit, on both bases", () => {
    for (const costModel of ["gift", "coupon"] as const)
      for (const k of [0, 1, 2, 3, 4, 5, 6]) {
        const s = campaign(data, { ...base, costModel, policy: "manual", customers: k });
        const nets = (m: typeof s.matrix) =>
          m.saved.net + m.lostDespiteOffer.net + m.missed.net + m.wasted.net + m.ignored.net;
        close(nets(s.matrix), s.chosen.profit, `${costModel} k ${k} expected`);
        close(nets(s.observedMatrix), s.realised.profit, `${costModel} k ${k} observed`);
        close(
          s.matrix.saved.customers,
          gift.acceptance * s.ranking.expectedChurners[k],
          "saved = γ × targeted churners",
        );
      }
  });

  it("with one flat value ranks by churn probability: both rankings earn the same at every k", () => {
    for (const k of [0, 2, 4, 6]) {
      const s = campaign(data, { ...base, valueMode: "flat", flatValue: 100, policy: "manual", customers: k });
      assert.deepEqual(Array.from(s.ranking.order), Array.from(s.churnRanking.order));
      close(s.chosen.profit, s.churnAtChosen.profit, `flat k ${k}`);
    }
  });

  it("computes EMP on the columns priced, with the cost model", () => {
    const s = campaign(data, { ...base, costModel: "coupon" });
    const own = verbrakenEmp(scoreCuts(s.columns), s.settings, { basis: "observed", acceptance: 0.5 });
    assert.deepEqual(campaignEmp(s), own);
  });

  it("names a bad setting", () => {
    assert.throws(() => campaign(data, { ...base, policy: "manual", customers: 7 }), /invalid customers: 7/);
    assert.throws(() => campaign(data, { ...base, budget: -1 }), /invalid budget: -1/);
    assert.throws(() => campaign(data, { ...base, valueMode: "own" as never }), /invalid valueMode: own/);
    assert.throws(() => campaign(data, { ...base, acceptance: 0 }), /invalid acceptance: 0/);
  });
});
