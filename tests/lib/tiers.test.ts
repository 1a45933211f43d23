import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { riskTier, tierCounts } from "../../src/lib/tiers.js";

describe("riskTier", () => {
  it("riskTier(p) maps calibrated probabilities to low / medium / high at 0.2 and 0.5", () => {
    assert.equal(riskTier(0.1), "low");
    assert.equal(riskTier(0.2), "medium");
    assert.equal(riskTier(0.49), "medium");
    assert.equal(riskTier(0.5), "high");
  });
  it("riskTier accepts custom cut-offs and rejects bad input, naming the value", () => {
    assert.equal(riskTier(0.3, { medium: 0.1, high: 0.3 }), "high");
    assert.throws(() => riskTier(1.2), /invalid probability: 1.2/);
    assert.throws(() => riskTier(0.3, { medium: 0.6, high: 0.5 }), /invalid tier cut-offs/);
  });
  it("tierCounts counts customers per tier", () => {
    assert.deepEqual(tierCounts([0.1, 0.3, 0.7, 0.9]), { low: 1, medium: 1, high: 2 });
  });
});
