import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  crossFitUplift,
  cumulativeGain,
  minimumDetectableEffect,
  normalQuantile,
  qiniCurve,
  shrunkRate,
  stratumUplift,
  studentCdf,
  studentQuantile,
  twoProportionTest,
  welchTest,
  type UpliftRow,
} from "../../src/lib/ab.js";

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

describe("twoProportionTest", () => {
  it("twoProportionTest(50, 100, 40, 100) matches the hand computation", () => {
    const t = twoProportionTest(50, 100, 40, 100);
    close(t.pA, 0.5);
    close(t.pB, 0.4);
    close(t.diff, -0.1);
    close(t.se, 0.07); // sqrt(0.25/100 + 0.24/100)
    close(t.lo, -0.1 - 1.959963985 * 0.07);
    close(t.hi, -0.1 + 1.959963985 * 0.07);
    close(t.z, -0.1 / Math.sqrt(0.45 * 0.55 * 0.02)); // pooled rate 0.45
    close(t.p, 0.155218, 1e-5);
  });

  it("twoProportionTest of identical arms gives z = 0 and p = 1", () => {
    const t = twoProportionTest(3, 10, 3, 10);
    assert.equal(t.z, 0);
    close(t.p, 1);
  });

  it("twoProportionTest(…, alpha) widens the interval for a smaller alpha", () => {
    const t95 = twoProportionTest(50, 100, 40, 100);
    const t99 = twoProportionTest(50, 100, 40, 100, 0.01);
    close(t99.hi - t99.diff, 2.5758293 * 0.07, 1e-6);
    assert.ok(t99.hi > t95.hi);
  });

  it("twoProportionTest rejects impossible counts, naming the arm", () => {
    assert.throws(() => twoProportionTest(5, 4, 1, 4), /invalid counts for A: 5 of 4/);
    assert.throws(() => twoProportionTest(1, 4, 1, 0), /invalid counts for B: 1 of 0/);
    assert.throws(() => twoProportionTest(1.5, 4, 1, 4), /invalid counts for A/);
    assert.throws(() => twoProportionTest(1, 4, 1, 4, 0), /invalid alpha: 0/);
  });
});

describe("welchTest and Student's t", () => {
  it("studentQuantile matches printed tables", () => {
    close(studentQuantile(0.975, 10), 2.228139, 1e-5);
    close(studentQuantile(0.975, 18), 2.100922, 1e-5);
    close(studentQuantile(0.975, 1), 12.7062, 1e-3);
  });

  it("studentCdf is symmetric and tends to the normal", () => {
    close(studentCdf(0, 7), 0.5);
    close(studentCdf(-1.3, 9) + studentCdf(1.3, 9), 1);
    close(studentCdf(1.959964, 1e6), 0.975, 1e-5);
  });

  it("welchTest of two arms of 10 with variance 1 and means 0 and 1", () => {
    const w = welchTest({ n: 10, mean: 0, variance: 1 }, { n: 10, mean: 1, variance: 1 });
    close(w.diff, 1);
    close(w.se, Math.sqrt(0.2));
    close(w.df, 18);
    close(w.t, 1 / Math.sqrt(0.2));
    close(w.p, 0.03823, 1e-4);
    close(w.lo, 1 - 2.100922 * Math.sqrt(0.2), 1e-5);
  });

  it("welchTest rejects arms of fewer than 2 or with no variance", () => {
    assert.throws(
      () => welchTest({ n: 1, mean: 0, variance: 1 }, { n: 10, mean: 1, variance: 1 }),
      /invalid summary for A/,
    );
    assert.throws(() => welchTest({ n: 5, mean: 0, variance: 0 }, { n: 5, mean: 1, variance: 0 }), /both variances/);
  });
});

describe("minimumDetectableEffect", () => {
  it("normalQuantile inverts the normal distribution", () => {
    close(normalQuantile(0.975), 1.959964, 1e-6);
    close(normalQuantile(0.8), 0.841621, 1e-6);
    close(normalQuantile(0.001), -3.090232, 1e-5);
    assert.throws(() => normalQuantile(0), /invalid probability: 0/);
  });

  it("minimumDetectableEffect(0.5, 100, 100) = (1.96 + 0.84) · sqrt(0.25 · 0.02)", () => {
    close(minimumDetectableEffect(0.5, 100, 100), (1.959964 + 0.841621) * Math.sqrt(0.005), 1e-6);
    close(minimumDetectableEffect(0.5, 100, 100), 0.1981, 1e-5);
  });

  it("minimumDetectableEffect shrinks as 1/sqrt(n)", () => {
    close(minimumDetectableEffect(0.2, 400, 400) * 2, minimumDetectableEffect(0.2, 100, 100));
  });

  it("minimumDetectableEffect rejects bad input", () => {
    assert.throws(() => minimumDetectableEffect(0, 100, 100), /invalid baseline rate: 0/);
    assert.throws(() => minimumDetectableEffect(0.2, 0, 100), /invalid sample sizes/);
    assert.throws(() => minimumDetectableEffect(0.2, 10, 10, { power: 1 }), /invalid power: 1/);
  });
});

describe("two-model uplift", () => {
  const rows: UpliftRow[] = [
    { stratum: "s", treated: false, outcome: 1 },
    { stratum: "s", treated: false, outcome: 0 },
    { stratum: "s", treated: true, outcome: 0 },
    { stratum: "s", treated: true, outcome: 0 },
    { stratum: "t", treated: false, outcome: 1 },
    { stratum: "t", treated: false, outcome: 1 },
    { stratum: "t", treated: true, outcome: 1 },
    { stratum: "t", treated: true, outcome: 1 },
  ];

  it("shrunkRate is the posterior mean under a Beta prior of m customers", () => {
    close(shrunkRate(1, 2, 0.75, 2), 0.625);
    close(shrunkRate(0, 0, 0.3, 0), 0.3);
    assert.throws(() => shrunkRate(3, 2, 0.5, 1), /invalid counts: 3 of 2/);
  });

  it("stratumUplift with strength 0 is the raw difference of rates", () => {
    const m = stratumUplift(rows, { strength: 0 });
    close(m.get("s")!.uplift, -0.5);
    close(m.get("t")!.uplift, 0);
  });

  it("stratumUplift shrinks each arm toward its overall rate (A 3/4, B 2/4)", () => {
    const m = stratumUplift(rows, { strength: 2 });
    close(m.get("s")!.rateA, 0.625);
    close(m.get("s")!.rateB, 0.25);
    close(m.get("s")!.uplift, -0.375);
    close(m.get("t")!.uplift, 0.75 - 0.875);
  });

  it("stratumUplift needs both arms and 0/1 outcomes", () => {
    assert.throws(() => stratumUplift(rows.filter((r) => r.treated)), /both arms need customers: 0 in A/);
    assert.throws(() => stratumUplift([{ stratum: "s", treated: true, outcome: 2 }]), /invalid outcome: 2/);
  });

  it("crossFitUplift scores each row from the other fold only", () => {
    // Fold 0 = rows 0, 2, 4, 6; fold 1 = rows 1, 3, 5, 7. Both folds hold the same pattern, so with strength 0
    // each row gets the raw uplift of its stratum from the other fold.
    const u = crossFitUplift(rows, { folds: 2, strength: 0 });
    assert.equal(u.length, 8);
    // Fold 1 for stratum s: A = row 1 (stayed), B = row 3 (stayed) → 0; fold 0: A row 0 churned, B row 2 stayed → −1.
    close(u[0]!, 0);
    close(u[1]!, -1);
    assert.throws(() => crossFitUplift(rows, { folds: 1 }), /invalid folds: 1/);
  });
});

describe("qiniCurve", () => {
  it("qiniCurve on four customers matches the hand computation", () => {
    // Targeting order 0, 1, 2, 3: (B, stayed), (A, churned), (B, churned), (A, churned).
    const q = qiniCurve([4, 3, 2, 1], [true, false, true, false], [0, 1, 1, 1]);
    assert.deepEqual(
      q.points.map((p) => [p.targeted, p.gain]),
      [
        [0, 0],
        [1, 0], // no control customer yet
        [2, 1], // 1 churner of 1 in A, scaled to 1 in B, minus 0 churners in B
        [3, 1], // 1 · 2/1 − 1
        [4, 1], // 2 · 2/2 − 1
      ],
    );
    assert.equal(q.total, 1);
    close(q.area, 0.125);
  });

  it("qiniCurve treats tied scores as one step, so their order cannot matter", () => {
    const q = qiniCurve([1, 1, 1, 1], [true, false, true, false], [0, 1, 1, 1]);
    assert.deepEqual(
      q.points.map((p) => p.fraction),
      [0, 1],
    );
    close(q.area, 0);
  });

  it("qiniCurve area is positive when the score ranks the responders first", () => {
    const good = qiniCurve([2, 2, 1, 1], [false, true, false, true], [1, 0, 0, 0]);
    const bad = qiniCurve([1, 1, 2, 2], [false, true, false, true], [1, 0, 0, 0]);
    assert.ok(good.area > 0);
    assert.ok(bad.area < 0);
    assert.equal(good.total, bad.total);
  });

  it("qiniCurve rejects empty, mismatched and non-binary input", () => {
    assert.throws(() => qiniCurve([], [], []), /no customers/);
    assert.throws(() => qiniCurve([1, 2], [true], [0, 1]), /2 scores, 1 treatment flags, 2 outcomes/);
    assert.throws(() => qiniCurve([1, NaN], [true, false], [0, 1]), /invalid score at 1: NaN/);
    assert.throws(() => qiniCurve([1, 2], [true, false], [0, 3]), /invalid outcome at 1: 3/);
  });
});

describe("cumulativeGain", () => {
  it("cumulativeGain sums values from the highest score down, ties together", () => {
    const g = cumulativeGain([3, 1, 3, 2], [1, 4, 2, 0]);
    assert.deepEqual(
      g.map((p) => [p.targeted, p.gain]),
      [
        [0, 0],
        [2, 3],
        [3, 3],
        [4, 7],
      ],
    );
    assert.throws(() => cumulativeGain([1], [1, 2]), /1 scores, 2 values/);
  });
});
