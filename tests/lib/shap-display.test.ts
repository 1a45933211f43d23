import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupedProbabilityShap, groupValues, probabilityShap } from "../../src/lib/shap-display.js";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("probabilityShap", () => {
  const phi = [0.8, -0.3, 0.05, 0.4, -1.2]; // 4 features + bias
  const platt = { a: 0.9, b: 0.1 };
  it("values sum to the calibrated probability minus the base probability", () => {
    const s = probabilityShap(phi, platt, 4);
    assert.ok(Math.abs(s.base - sigmoid(0.9 * -1.2 + 0.1)) < 1e-15);
    assert.ok(Math.abs(s.probability - sigmoid(0.9 * (0.8 - 0.3 + 0.05 + 0.4 - 1.2) + 0.1)) < 1e-15);
    const sum = s.values.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (s.probability - s.base)) < 1e-15);
  });
  it("keeps the signs and proportions of the calibrated logit contributions", () => {
    const s = probabilityShap(phi, platt, 4);
    assert.deepEqual(Array.from(s.values, Math.sign), [1, -1, 1, 1]);
    assert.ok(Math.abs(s.values[0] / s.values[3] - 2) < 1e-12);
  });
  it("contributions that cancel give zero change without dividing by zero", () => {
    const s = probabilityShap([0.5, -0.5, 0], platt, 2);
    assert.ok(s.values.every(Number.isFinite));
    assert.ok(Math.abs(s.values[0] + s.values[1]) < 1e-15);
  });
  it("groupedProbabilityShap sums one-hot columns per source feature exactly", () => {
    const groupIndex = [0, 1, 1, 2];
    const g = groupedProbabilityShap(phi, platt, groupIndex, 3);
    const s = probabilityShap(phi, platt, 4);
    assert.deepEqual(Array.from(g.values), [s.values[0], s.values[1] + s.values[2], s.values[3]]);
    assert.deepEqual(Array.from(groupValues([1, 2, 3], [1, 0, 1], 2)), [2, 4]);
  });
  it("reads a row at an offset of a pred_contribs matrix", () => {
    const matrix = [9, 9, 9, 9, 9, ...phi];
    assert.deepEqual(probabilityShap(matrix, platt, 4, 5), probabilityShap(phi, platt, 4));
  });
});
