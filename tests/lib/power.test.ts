import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { minimumDetectableEffect } from "../../src/lib/ab.js";
import { adjustedMde, powerOf, sampleSizePerArm } from "../../src/lib/power.js";

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

describe("power", () => {
  it("sampleSizePerArm matches the closed form ⌈(z_.975 + z_.8)² · 2 p0 (1 − p0) (1 − R²) / δ²⌉", () => {
    // (1.959964 + 0.841621)² = 7.848880; · 2 · 0.265 · 0.735 = 3.057531; / 0.03² = 3397.3 → 3398
    assert.equal(sampleSizePerArm(0.265, 0.03), 3398);
    // with R² = 0.28: 3397.3 · 0.72 = 2446.0 → 2447
    assert.equal(sampleSizePerArm(0.265, 0.03, { r2: 0.28 }), 2447);
    // α = 0.01, power 0.9: (2.575829 + 1.281552)² = 14.879387; · 0.5 · 0.5 · 2 / 0.05² = 2975.9 → 2976
    assert.equal(sampleSizePerArm(0.5, 0.05, { alpha: 0.01, power: 0.9 }), 2976);
  });

  it("adjustedMde is the unadjusted MDE times √(1 − R²) and inverts sampleSizePerArm", () => {
    close(adjustedMde(0.265, 3522, 3521), minimumDetectableEffect(0.265, 3522, 3521), 1e-15);
    close(adjustedMde(0.265, 3522, 3521, { r2: 0.28 }), minimumDetectableEffect(0.265, 3522, 3521) * Math.sqrt(0.72));
    // 2.801585 · √(0.265 · 0.735 · 2 / 3398) = 0.0299967 (just under 0.03: the size was rounded up)
    close(adjustedMde(0.265, 3398, 3398), 0.0299967, 1e-6);
    assert.throws(() => adjustedMde(0.265, 100, 100, { r2: 1 }), /invalid R²: 1/);
  });

  it("powerOf at the MDE is the power asked for", () => {
    const mde = adjustedMde(0.2, 1000, 1200, { power: 0.9, r2: 0.1 });
    close(powerOf(0.2, -mde, 1000, 1200, { r2: 0.1 }), 0.9, 1e-6);
    close(powerOf(0.2, 0, 1000, 1200), 0.05, 1e-6);
  });
});
