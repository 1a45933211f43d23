import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { descendingOrder } from "../../src/lib/descending-order.js";
import { mulberry32 } from "../../src/lib/random.js";

const bySort = (keys: ArrayLike<number>) =>
  Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);

describe("descendingOrder", () => {
  it("orders largest first and keeps equal keys in row order", () => {
    assert.deepEqual(Array.from(descendingOrder([0.2, 0.9, 0.2, 0.5, 0.9])), [1, 4, 3, 0, 2]);
  });

  it("handles negatives, zeros of both signs, infinities and tiny differences", () => {
    const keys = [-1, 0, -0, Infinity, -Infinity, 1e-300, -1e-300, 3, 3 + 4e-16, -2.5, 1e308];
    assert.deepEqual(Array.from(descendingOrder(keys)), bySort(keys));
  });

  it("agrees with a comparator sort on 20,000 random keys with many ties", () => {
    const random = mulberry32(5);
    const keys = Float64Array.from({ length: 20_000 }, () => Math.round((random() - 0.3) * 2000) / 7);
    assert.deepEqual(Array.from(descendingOrder(keys)), bySort(keys));
  });

  it("returns nothing for no keys and names a NaN key", () => {
    assert.equal(descendingOrder([]).length, 0);
    assert.throws(() => descendingOrder([1, NaN]), /invalid key at row 1: NaN/);
  });
});
