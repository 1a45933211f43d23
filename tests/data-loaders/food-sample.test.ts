// The model-selection sample: fixed size, the base's churn rate, seeded, and the whole base when it is small.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chunksOf } from "../../data-loaders/arrow.js";
import { stratifiedSample } from "../../data-loaders/food/sample.js";

async function* batches(labels: number[], size: number) {
  yield* chunksOf(
    labels.map((y, i) => ({ i, y })),
    size,
  );
}
const labels: number[] = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 0 || i % 11 === 0 ? 1 : 0));
const label = (r: { y: number }) => r.y;

describe("stratifiedSample", () => {
  it("draws a fixed number of rows with the base's class shares, in base order", async () => {
    const s = await stratifiedSample(batches(labels, 999), label, { size: 1_000, seed: 3 });
    assert.equal(s.sampled, true);
    assert.equal(s.rows.length, 1_000);
    assert.equal(s.base, 10_000);
    const positives = labels.reduce((a, b) => a + b, 0);
    assert.equal(s.positives, positives);
    assert.equal(s.rows.filter((r) => r.y === 1).length, Math.round((1_000 * positives) / 10_000));
    assert.deepEqual(
      s.index,
      s.rows.map((r) => r.i),
    );
    for (let k = 1; k < s.index.length; k++) assert.ok(s.index[k] > s.index[k - 1]);
  });

  it("depends on the seed, not on the batch size", async () => {
    const a = await stratifiedSample(batches(labels, 10_000), label, { size: 500, seed: 3 });
    const b = await stratifiedSample(batches(labels, 7), label, { size: 500, seed: 3 });
    const c = await stratifiedSample(batches(labels, 7), label, { size: 500, seed: 4 });
    assert.deepEqual(a.index, b.index);
    assert.notDeepEqual(a.index, c.index);
  });

  it("returns the whole base, unsampled, when it is no larger than the sample", async () => {
    const s = await stratifiedSample(batches(labels.slice(0, 800), 100), label, { size: 800 });
    assert.equal(s.sampled, false);
    assert.deepEqual(
      s.index,
      Array.from({ length: 800 }, (_, i) => i),
    );
  });

  it("refuses a label that is not 0 or 1, naming the row", async () => {
    await assert.rejects(stratifiedSample(batches([0, 1, 2], 2), label, { size: 10 }), /row 3: label 2/);
  });
});
