// The benchmarks' order statistics and tables (scripts/bench/stats.ts): what their reports print.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownTable, megabytes, quantile, seconds } from "../../scripts/bench/stats.js";

describe("benchmark statistics", () => {
  it("quantile(xs, q) is the ⌊q·n⌋-th smallest value, whatever the order", () => {
    const xs = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    assert.equal(quantile(xs, 0.5), 6);
    assert.equal(quantile(xs, 0.95), 10);
    assert.equal(quantile(xs, 0), 1);
    assert.equal(quantile(xs, 1), 10);
    assert.deepEqual(xs, [9, 1, 8, 2, 7, 3, 6, 4, 5, 10], "the input is left as it was");
  });

  it("quantile of no values is null, and an invalid q is refused", () => {
    assert.equal(quantile([], 0.5), null);
    assert.throws(() => quantile([1], 1.5), /invalid quantile: 1.5/);
  });

  it("formats bytes and times for people, and a missing figure as a dash", () => {
    assert.equal(megabytes(3_180_709), "3.18 MB");
    assert.equal(seconds(734.5), "0.73 s");
    assert.equal(megabytes(null), "–");
  });

  it("markdownTable right-aligns the columns asked and refuses a row of the wrong width", () => {
    assert.equal(
      markdownTable(["page", "bytes"], [["/", "0.30 MB"]], [1]),
      "| page | bytes |\n| --- | --: |\n| / | 0.30 MB |",
    );
    assert.throws(() => markdownTable(["a", "b"], [["1"]]), /table row 1 has 1 cells, the header 2/);
  });
});
