import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  analyseExperiment,
  dummyColumns,
  groupEffects,
  holmAdjust,
  linAdjusted,
  stratifiedDifference,
} from "../../src/lib/experiment.js";
import { robustOls } from "../../src/lib/ols.js";
import { seededUniform } from "../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

// Lin fixture: 4 control and 4 treated customers, covariate x, overall mean x̄ = 2.
//   A: x = 0 1 2 3, y = 0 0 1 1      B: x = 1 2 3 4, y = 0 1 0 1
// The interacted regression is one simple regression per arm, y = a + b (x − x̄):
//   A: x̄_A = 1.5, ȳ_A = 0.5, Sxx = 5, Sxy = 2 → b_A = 0.4, a_A = 0.5 + 0.4 · 0.5 = 0.7
//   B: x̄_B = 2.5, ȳ_B = 0.5, Sxx = 5, Sxy = 1 → b_B = 0.2, a_B = 0.5 − 0.2 · 0.5 = 0.4
// so (1, T, x − x̄, T (x − x̄)) has coefficients 0.7, −0.3, 0.4, −0.2: the effect is a_B − a_A = −0.3.
// Each a is linear in y, a = Σ c_i y_i with c_i = 1/4 + (x̄ − x̄_arm)(x_i − x̄_arm)/5, so its sandwich variance is
// Σ c_i² w_i. Residuals e, leverages h = 1/4 + (x − x̄_arm)²/5:
//   A: c = .1 .2 .3 .4, e = .1 −.3 .3 −.1, h = .7 .3 .3 .7
//   B: c = .4 .3 .2 .1, e = −.2 .6 −.6 .2, h = .7 .3 .3 .7
// HC2 (w = e²/(1 − h)): A = (.01 + .16) · .01/.3 + (.04 + .09) · .09/.7 = 0.0223810
//                       B = (.16 + .01) · .04/.3 + (.09 + .04) · .36/.7 = 0.0895238 → SE = √0.1119048 = 0.3345217
// HC3 (w = e²/(1 − h)²): A = .17 · .01/.09 + .13 · .09/.49 = 0.0427664, B = .17 · .04/.09 + .13 · .36/.49 = 0.1710658
//                       → SE = √0.2138322 = 0.4624199
// HC0 (w = e²): A = .0134, B = .0536 → SE = √0.067 = 0.2588436
// (numpy's (XᵀX)⁻¹ Xᵀ diag(w) X (XᵀX)⁻¹ on the same design gives the same SEs.)
const lin = {
  x: [0, 1, 2, 3, 1, 2, 3, 4],
  y: [0, 0, 1, 1, 0, 1, 0, 1],
  t: [false, false, false, false, true, true, true, true],
};

describe("robustOls and linAdjusted", () => {
  it("robustOls gives the hand-computed coefficients and HC2 standard errors of the Lin fixture", () => {
    const xc = lin.x.map((v) => v - 2);
    const t = lin.t.map((b) => (b ? 1 : 0));
    const fit = robustOls([lin.x.map(() => 1), t, xc, xc.map((v, i) => v * t[i]!)], lin.y, "HC2");
    [0.7, -0.3, 0.4, -0.2].forEach((b, j) => {
      close(fit.coef[j]!, b, 1e-12);
    });
    close(fit.se[1]!, 0.3345217);
    close(fit.maxLeverage, 0.7, 1e-12);
    close(fit.rss, 2 * (0.01 + 0.09) + 2 * (0.04 + 0.36), 1e-12);
  });

  it("linAdjusted estimates −0.3 with the hand-computed HC2, HC3 and HC0 standard errors", () => {
    const hc2 = linAdjusted(lin.y, lin.t, [lin.x]);
    close(hc2.estimate, -0.3, 1e-12);
    close(hc2.se, 0.3345217);
    close(hc2.lo, -0.3 - 1.959963985 * 0.3345217);
    close(hc2.hi, -0.3 + 1.959963985 * 0.3345217);
    assert.equal(hc2.hc, "HC2");
    close(linAdjusted(lin.y, lin.t, [lin.x], { hc: "HC3" }).se, 0.4624199);
    close(linAdjusted(lin.y, lin.t, [lin.x], { hc: "HC0" }).se, 0.2588436);
  });

  it("linAdjusted does not depend on where the covariate is centred before the call", () => {
    const shifted = linAdjusted(lin.y, lin.t, [lin.x.map((v) => 10 * v + 7)], {});
    close(shifted.estimate, -0.3, 1e-9);
    close(shifted.se, 0.3345217);
  });

  it("linAdjusted without covariates is the difference in means with the Neyman SE √(s²_A/n_A + s²_B/n_B)", () => {
    // ȳ_A = ȳ_B = 0.5, s² = 4 · 0.25 / 3 = 1/3 in both arms → SE = √(2/12) = 0.4082483
    const e = linAdjusted(lin.y, lin.t, []);
    close(e.estimate, 0, 1e-12);
    close(e.se, Math.sqrt(2 / 12), 1e-12);
  });

  it("robustOls names the problem when the design is singular, too small or has a leverage of 1", () => {
    assert.throws(
      () =>
        robustOls(
          [
            [1, 1, 1],
            [2, 2, 2],
          ],
          [0, 1, 0],
        ),
      /singular design: column 1/,
    );
    assert.throws(() => robustOls([[1]], [0]), /invalid design: 1 rows for 1 columns/);
    assert.throws(
      () =>
        robustOls(
          [
            [1, 1, 1],
            [1, 0, 0],
          ],
          [0, 1, 0],
          "HC2",
        ),
      /HC2 is undefined: row 0 has leverage/,
    );
    assert.throws(() => linAdjusted([0, NaN], [false, true], []), /invalid outcome at 1: NaN/);
  });
});

// Stratified fixture, 12 customers in two strata:
//   s1: A = 1 1 0 0 (mean .5, s² = 1/3), B = 1 0 0 0 (mean .25, s² = .75/3 = .25), weight 8/12
//   s2: A = 1 0     (mean .5, s² = .5),  B = 0 0     (mean 0,   s² = 0),          weight 4/12
// estimate = 2/3 · (−.25) + 1/3 · (−.5) = −1/3
// variance = (2/3)² (1/3 / 4 + .25 / 4) + (1/3)² (.5 / 2 + 0) = 0.0648148 + 0.0277778 = 0.0925926 → SE 0.3042903
const strat = {
  y: [1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
  t: [false, false, false, false, true, true, true, true, false, false, true, true],
  s: ["s1", "s1", "s1", "s1", "s1", "s1", "s1", "s1", "s2", "s2", "s2", "s2"],
};

describe("stratifiedDifference", () => {
  it("gives the hand-computed estimate and stratified SE", () => {
    const e = stratifiedDifference(strat.y, strat.t, strat.s);
    close(e.estimate, -1 / 3, 1e-12);
    close(e.se, 0.3042903);
    close(e.z, -1 / 3 / 0.3042903, 1e-5);
    assert.equal(e.n, 12);
  });

  it("equals Lin's regression on the stratum indicators with HC2, estimate and SE", () => {
    const e = stratifiedDifference(strat.y, strat.t, strat.s);
    const r = linAdjusted(strat.y, strat.t, dummyColumns(strat.s));
    close(r.estimate, e.estimate, 1e-12);
    close(r.se, e.se, 1e-12);
  });

  it("refuses a stratum with fewer than 2 customers in an arm, naming it", () => {
    assert.throws(
      () => stratifiedDifference([0, 1, 0, 1, 1], [false, false, true, true, true], ["a", "a", "a", "a", "b"]),
      /stratum "b" needs 2 customers per arm: 0 A, 1 B/,
    );
  });
});

describe("analyseExperiment, holmAdjust and groupEffects", () => {
  // A larger synthetic experiment (seeded): the covariate predicts the outcome, so adjusting must shrink the SE.
  const rand = seededUniform(7);
  const n = 400;
  const covariate = Array.from({ length: n }, () => rand());
  const stratum = covariate.map((_, i) => (i % 3 === 0 ? "x" : "y"));
  const treated = covariate.map((_, i) => Math.floor(i / 3) % 2 === 0);
  const outcome = covariate.map((c, i) => (rand() < 0.1 + 0.7 * c - (treated[i] ? 0.1 : 0) ? 1 : 0));
  const data = { outcome, treated, stratum, covariate };

  it("adjusting for a predictive covariate keeps the estimate near and shrinks the SE", () => {
    const a = analyseExperiment(data);
    assert.ok(a.adjusted.se < a.stratified.se, `${a.adjusted.se} ≥ ${a.stratified.se}`);
    assert.ok(a.varianceReduction > 0.1 && a.varianceReduction < 1, `${a.varianceReduction}`);
    close(a.planningR2, 1 - (a.adjusted.se / a.unstratified.se) ** 2, 1e-12);
    close(a.stratified.estimate, stratifiedDifference(outcome, treated, stratum).estimate, 1e-12);
    assert.ok(Math.abs(a.adjusted.estimate - a.stratified.estimate) < 2 * a.stratified.se);
  });

  it("holmAdjust(0.01, 0.04, 0.03, 0.005) = 0.03, 0.06, 0.06, 0.02", () => {
    // sorted: 0.005 · 4 = 0.02, 0.01 · 3 = 0.03, 0.03 · 2 = 0.06, max(0.04 · 1, 0.06) = 0.06
    holmAdjust([0.01, 0.04, 0.03, 0.005]).forEach((p, i) => {
      close(p, [0.03, 0.06, 0.06, 0.02][i]!, 1e-12);
    });
    assert.throws(() => holmAdjust([0.5, 1.5]), /invalid p-value at 1: 1.5/);
  });

  it("groupEffects: one Lin estimate per group, Bonferroni-wider simultaneous intervals, Holm p ≥ p", () => {
    // i mod 5 cuts across both the strata (i mod 3) and the arms (⌊i/3⌋ mod 2), so each group has every cell.
    const group = covariate.map((_, i) => (i % 5 === 0 ? "fifth" : "rest"));
    const g = groupEffects(data, group);
    assert.deepEqual(
      g.map((e) => e.group),
      ["fifth", "rest"],
    );
    for (const e of g) {
      assert.equal(e.n, e.group === "fifth" ? 80 : 320);
      // two groups: z_{1 − 0.05/4} = 2.241403 against 1.959964
      close(e.simultaneousHi - e.estimate, 2.241403 * e.se, 1e-5);
      assert.ok(e.pHolm >= e.p);
    }
  });
});
