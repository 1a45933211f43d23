import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crossFitUplift, type UpliftRow } from "../../src/lib/ab.js";
import { bootstrapQini, bootstrapQiniSteps, fixedScorer, gainAt, upliftScorer } from "../../src/lib/qini-bootstrap.js";
import { runInSlices } from "../../src/lib/slices.js";
import { seededUniform } from "../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

describe("Qini bootstrap", () => {
  const rand = seededUniform(3);
  const n = 300;
  const rows: UpliftRow[] = Array.from({ length: n }, (_, i) => {
    const stratum = ["p", "q", "r"][i % 3]!;
    const treated = rand() < 0.5;
    const base = stratum === "p" ? 0.5 : 0.2;
    return { stratum, treated, outcome: rand() < base - (treated && stratum === "p" ? 0.2 : 0) ? 1 : 0 };
  });
  const data = {
    treated: rows.map((r) => r.treated),
    churned: rows.map((r) => r.outcome),
    stratum: rows.map((r) => r.stratum),
  };
  const risk = rows.map(() => rand());

  it("gainAt interpolates between the curve's points", () => {
    const points = [
      { targeted: 0, fraction: 0, gain: 0 },
      { targeted: 2, fraction: 0.5, gain: 4 },
      { targeted: 4, fraction: 1, gain: 2 },
    ];
    close(gainAt(points, 0.25), 2, 1e-12);
    close(gainAt(points, 0.75), 3, 1e-12);
    close(gainAt(points, 1), 2, 1e-12);
    assert.throws(() => gainAt(points, 1.2), /invalid targeting fraction: 1.2/);
  });

  it("upliftScorer on the data as observed is −crossFitUplift", () => {
    const scores = upliftScorer(rows)(Int32Array.from({ length: n }, (_, i) => i));
    const cf = crossFitUplift(rows);
    for (let i = 0; i < n; i++) close(scores[i]!, -cf[i]!, 1e-15);
  });

  it("gives the same result one resample at a time, in slices between pauses", async () => {
    const scorers = { uplift: upliftScorer(rows), risk: fixedScorer(risk) };
    const whole = bootstrapQini(data, scorers, { reps: 20, seed: 5 });
    const steps = bootstrapQiniSteps(data, scorers, { reps: 20, seed: 5 });
    const done: number[] = [];
    let step = steps.next();
    while (!step.done) {
      done.push(step.value);
      step = steps.next();
    }
    assert.deepEqual(
      done,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(step.value, whole);
    let pauses = 0;
    const sliced = await runInSlices(bootstrapQiniSteps(data, scorers, { reps: 20, seed: 5 }), {
      sliceMs: 0,
      pause: async () => {
        pauses++;
      },
    });
    assert.deepEqual(sliced, whole);
    assert.equal(pauses, 20, "a pause after every resample when a slice has no time");
  });

  it("is deterministic for a seed and changes with it", () => {
    const scorers = { uplift: upliftScorer(rows), risk: fixedScorer(risk) };
    const a = bootstrapQini(data, scorers, { reps: 50, seed: 11 });
    const b = bootstrapQini(data, scorers, { reps: 50, seed: 11 });
    const c = bootstrapQini(data, scorers, { reps: 50, seed: 12 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.gain.uplift, c.gain.uplift);
    assert.equal(a.versus.length, 1);
    assert.equal(a.versus[0]!.a, "uplift");
    close(a.versus[0]!.gain.estimate, a.gain.uplift!.estimate - a.gain.risk!.estimate, 1e-9);
    for (const s of [a.gain.uplift!, a.gain.risk!, a.area.uplift!, a.versus[0]!.gain]) {
      assert.ok(s.lo <= s.hi && s.se > 0, JSON.stringify(s));
      close(s.normalHi - s.estimate, 1.959964 * s.se, 1e-5);
      close(s.estimate - s.normalLo, 1.959964 * s.se, 1e-5);
    }
  });

  it("refuses bad input, naming it", () => {
    assert.throws(() => bootstrapQini(data, {}, {}), /no ranking/);
    assert.throws(() => bootstrapQini(data, { r: fixedScorer(risk) }, { reps: 1 }), /bootstrap samples: 1/);
    assert.throws(() => bootstrapQini(data, { r: fixedScorer(risk) }, { fraction: -0.1 }), /fraction: -0.1/);
  });
});
