import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { scoreCuts, verbrakenEmp } from "../../src/lib/emp.js";
import { logGamma, regularizedBeta } from "../../src/lib/incomplete-beta.js";
import type { OfferEconomics } from "../../src/lib/cost-model.js";

interface Reference {
  cases: Record<string, { scores: number[]; classes: number[] }>;
  results: {
    case: string;
    economics: string;
    clv: number;
    d: number;
    f: number;
    alpha: number;
    beta: number;
    EMP: number;
    EMPfrac: number;
    MP: number;
    MPfrac: number;
  }[];
}

const reference = JSON.parse(
  readFileSync(new URL("../fixtures/emp/emp-reference.json", import.meta.url), "utf8"),
) as Reference;

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

describe("regularizedBeta", () => {
  it("matches closed forms: I_x(1, 1) = x, I_x(2, 1) = x², I_x(6, 14) by the binomial sum", () => {
    near(regularizedBeta(0.3, 1, 1), 0.3, 1e-15, "uniform");
    near(regularizedBeta(0.3, 2, 1), 0.09, 1e-15, "x²");
    // for integers, I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a)
    for (const x of [0.05, 0.2, 0.3, 0.5, 0.9]) {
      let tail = 0;
      for (let j = 6; j <= 19; j++)
        tail += Math.exp(logGamma(20) - logGamma(j + 1) - logGamma(20 - j)) * x ** j * (1 - x) ** (19 - j);
      near(regularizedBeta(x, 6, 14), tail, 1e-13, `x = ${x}`);
    }
    assert.equal(regularizedBeta(0, 6, 14), 0);
    assert.equal(regularizedBeta(1, 6, 14), 1);
  });

  it("knows Γ: ln Γ(5) = ln 24, Γ(0.5) = √π", () => {
    near(logGamma(5), Math.log(24), 1e-13, "Γ(5)");
    near(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13, "Γ(0.5)");
  });
});

describe("verbrakenEmp reproduces the R package EMP 2.0.6 (empChurn)", () => {
  for (const r of reference.results) {
    it(`on ${r.case} at ${r.economics}: EMP ${r.EMP.toFixed(4)}, MP ${r.MP}`, () => {
      const { scores, classes } = reference.cases[r.case];
      const cuts = scoreCuts({ probability: scores, value: scores.map(() => r.clv), churned: classes });
      const e: Omit<OfferEconomics, "acceptance"> = { couponCost: r.d, contactCost: r.f, costModel: "coupon" };
      const got = verbrakenEmp(cuts, e, { alpha: r.alpha, beta: r.beta });
      near(got.emp, r.EMP, 1e-6, "EMP");
      near(got.empFraction, r.EMPfrac, 1e-4, "EMPfrac");
      near(got.mp, r.MP, 1e-6, "MP");
      near(got.mpFraction, r.MPfrac, 1e-4, "MPfrac");
    });
  }
});

describe("verbrakenEmp with a value per customer (the customer-dependent generalisation)", () => {
  // brute force: the best cut's profit at each γ on a fine midpoint grid, weighted by the Beta(6, 14) density
  const bruteForce = (cuts: ReturnType<typeof scoreCuts>, e: OfferEconomics) => {
    const steps = 20_000;
    let total = 0;
    let mass = 0;
    for (let i = 0; i < steps; i++) {
      const g = (i + 0.5) / steps;
      const w = g ** 5 * (1 - g) ** 13;
      let best = 0;
      for (let k = 0; k < cuts.customers.length; k++) {
        const churners = cuts.observedChurners![k];
        const value = cuts.observedValue![k];
        const saving = e.costModel === "coupon" ? e.couponCost * (1 - g) : 0;
        best = Math.max(best, g * value + saving * churners - (e.couponCost + e.contactCost) * cuts.customers[k]);
      }
      total += w * best;
      mass += w;
    }
    return total / mass / cuts.customers[cuts.customers.length - 1];
  };
  const scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.5, 0.4, 0.3, 0.2];
  const values = [50, 900, 120, 300, 40, 700, 80, 500, 60, 1000];
  const churned = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1];
  const cuts = scoreCuts({ probability: scores, value: values, churned });

  for (const costModel of ["coupon", "gift"] as const) {
    it(`integrates the best cut's profit over γ exactly (${costModel} model)`, () => {
      const e: Omit<OfferEconomics, "acceptance"> = { couponCost: 30, contactCost: 3, costModel };
      near(verbrakenEmp(cuts, e).emp, bruteForce(cuts, { ...e, acceptance: 0 }), 1e-5, "EMP");
    });
  }

  it("groups tied scores into one cut: 8 cuts for 10 customers, plus target-nobody", () => {
    assert.deepEqual(Array.from(cuts.customers), [0, 1, 3, 4, 5, 7, 8, 9, 10]);
  });

  it("gives the maximum profit at a fixed acceptance: the best cut at γ = 0.3 targets everybody", () => {
    const e: Omit<OfferEconomics, "acceptance"> = { couponCost: 30, contactCost: 3, costModel: "coupon" };
    // by hand: a churner earns 0.3·(V − 30) − 3, a stayer costs 33; by cut: 3, 228, 306, 273, 252, 390, 357, 645
    const { mp, mpFraction } = verbrakenEmp(cuts, e);
    near(mp, 64.5, 1e-12, "MP");
    assert.equal(mpFraction, 1);
    // at γ = 0.05 the best cut is the top 4 (scores 0.9, 0.8, 0.8, 0.7): −2 + 40.5 − 33 + 10.5 = 16
    const low = verbrakenEmp(cuts, e, { acceptance: 0.05 });
    near(low.mp, 1.6, 1e-12, "MP at 0.05");
    assert.equal(low.mpFraction, 0.4);
  });

  it("is zero when no cut ever pays", () => {
    const e: Omit<OfferEconomics, "acceptance"> = { couponCost: 5000, contactCost: 3, costModel: "gift" };
    assert.deepEqual([verbrakenEmp(cuts, e).emp, verbrakenEmp(cuts, e).empFraction], [0, 0]);
  });
});
