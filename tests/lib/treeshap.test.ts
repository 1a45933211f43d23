import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { prepareTrees, predictMargin, treeShap, type CompactTree } from "../../src/lib/treeshap.js";

// Two hand-made trees over 3 features; feature 0 is split twice on one path (exercises the unwind step).
const trees: CompactTree[] = [
  {
    left: [1, 3, 5, -1, -1, -1, -1],
    right: [2, 4, 6, -1, -1, -1, -1],
    feature: [0, 1, 0, 0, 0, 0, 0],
    threshold: [0.5, 2, 0.8, 0, 0, 0, 0],
    defaultLeft: [1, 0, 1, 0, 0, 0, 0],
    value: [0, 0, 0, -0.3, 0.2, 0.1, 0.6],
    cover: [100, 60, 40, 35, 25, 10, 30],
  },
  {
    left: [1, -1, -1],
    right: [2, -1, -1],
    feature: [2, 0, 0],
    threshold: [1.5, 0, 0],
    defaultLeft: [0, 0, 0],
    value: [0, -0.25, 0.4],
    cover: [100, 70, 30],
  },
];
const model = prepareTrees({ baseMargin: 0.1, featureNames: ["a", "b", "c"], trees });

/** E[f(x) | x_S] with the path-dependent (cover-weighted) expectation TreeSHAP defines. */
function conditional(tree: CompactTree, x: number[], known: Set<number>, node = 0): number {
  if (tree.left[node] < 0) return tree.value[node];
  const f = tree.feature[node];
  if (known.has(f)) {
    const v = x[f];
    const goLeft = Number.isNaN(v) ? tree.defaultLeft[node] === 1 : v < tree.threshold[node];
    return conditional(tree, x, known, goLeft ? tree.left[node] : tree.right[node]);
  }
  const l = tree.left[node];
  const r = tree.right[node];
  return (
    (conditional(tree, x, known, l) * tree.cover[l] + conditional(tree, x, known, r) * tree.cover[r]) / tree.cover[node]
  );
}

/** Shapley values by enumerating every subset (fine for 3 features). */
function bruteForce(x: number[]): number[] {
  const m = x.length;
  const value = (s: Set<number>) => trees.reduce((sum, t) => sum + conditional(t, x, s), 0);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Array(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << i)) continue;
      const s = new Set([...Array(m).keys()].filter((j) => mask & (1 << j)));
      const weight = (fact(s.size) * fact(m - s.size - 1)) / fact(m);
      phi[i] += weight * (value(new Set([...s, i])) - value(s));
    }
  }
  return phi;
}

describe("treeShap", () => {
  const rows = [
    [0.2, 1, 1],
    [0.9, 3, 2],
    [0.6, 1, 0],
    [NaN, NaN, NaN],
    [0.5, 2, 1.5], // exactly on thresholds: x < t is false, so these go right
  ];
  it("treeShap(model, x) equals brute-force Shapley values with path-dependent expectations", () => {
    for (const x of rows) {
      const phi = treeShap(model, x);
      const expected = bruteForce(x);
      for (let j = 0; j < 3; j++)
        assert.ok(Math.abs(phi[j] - expected[j]) < 1e-12, `row ${x}: φ${j} ${phi[j]} vs ${expected[j]}`);
    }
  });
  it("treeShap values plus the bias sum to predictMargin", () => {
    for (const x of rows) {
      const phi = treeShap(model, x);
      const sum = phi.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - predictMargin(model, x)) < 1e-12);
    }
  });
  it("predictMargin follows x < threshold left and missing values their default branch", () => {
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    close(predictMargin(model, [0.2, 1, 1]), 0.1 - 0.3 - 0.25);
    close(predictMargin(model, [0.5, 2, 1.5]), 0.1 + 0.1 + 0.4); // a = 0.5 is not < 0.5: right, then left
    close(predictMargin(model, [NaN, NaN, NaN]), 0.1 + 0.2 + 0.4); // a → left, b → right, c → right
  });
  it("the bias is the base margin plus each tree's cover-weighted mean leaf", () => {
    const phi = treeShap(model, [0.2, 1, 1]);
    const mean0 = (-0.3 * 35 + 0.2 * 25 + 0.1 * 10 + 0.6 * 30) / 100;
    const mean1 = (-0.25 * 70 + 0.4 * 30) / 100;
    assert.ok(Math.abs(phi[3] - (0.1 + mean0 + mean1)) < 1e-12);
  });
  it("prepareTrees rejects trees whose arrays differ in length", () => {
    assert.throws(
      () => prepareTrees({ baseMargin: 0, featureNames: ["a"], trees: [{ ...trees[1], cover: [1] }] }),
      /cover has 1 entries/,
    );
  });
});
