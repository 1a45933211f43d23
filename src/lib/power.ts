/**
 * Planning the next test: the minimum detectable effect for a given size, or the size for a given effect, when the
 * analysis adjusts for a covariate (docs/experiments.md). Pure functions, no Node or DOM imports.
 */
import { minimumDetectableEffect, normalQuantile } from "./ab.js";
import { normalCdf } from "./stats.js";

export interface PowerOptions {
  /** two-sided significance level */
  alpha?: number;
  /** probability of detecting the effect when it is there */
  power?: number;
  /**
   * Share of the outcome's variance the adjustment removes (the R² of the covariate and strata within arms; the
   * measured one is ExperimentAnalysis.planningR2). 0 = the unadjusted difference in proportions.
   */
  r2?: number;
}

function checkR2(r2: number): void {
  if (!(r2 >= 0 && r2 < 1)) throw new Error(`invalid R²: ${r2}`);
}

/**
 * Minimum detectable absolute effect of an adjusted analysis: the unadjusted MDE (ab.ts) times sqrt(1 − R²), i.e.
 * (z_{1−α/2} + z_power) · sqrt(p0 (1 − p0) (1 − R²) (1/nA + 1/nB)).
 */
export function adjustedMde(
  baseline: number,
  nA: number,
  nB: number,
  { alpha = 0.05, power = 0.8, r2 = 0 }: PowerOptions = {},
): number {
  checkR2(r2);
  return minimumDetectableEffect(baseline, nA, nB, { alpha, power }) * Math.sqrt(1 - r2);
}

/**
 * Customers needed per arm (equal arms) to detect an absolute effect `mde` around the baseline rate:
 * ⌈(z_{1−α/2} + z_power)² · 2 p0 (1 − p0) (1 − R²) / mde²⌉, the inverse of adjustedMde.
 */
export function sampleSizePerArm(
  baseline: number,
  mde: number,
  { alpha = 0.05, power = 0.8, r2 = 0 }: PowerOptions = {},
): number {
  if (!(baseline > 0 && baseline < 1)) throw new Error(`invalid baseline rate: ${baseline}`);
  if (!(mde > 0 && mde < 1)) throw new Error(`invalid minimum detectable effect: ${mde}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha: ${alpha}`);
  if (!(power > 0 && power < 1)) throw new Error(`invalid power: ${power}`);
  checkR2(r2);
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  // The tiny tolerance keeps an exact answer (e.g. 100.0000000001 from round-off) from being rounded up to 101.
  return Math.ceil((z * z * 2 * baseline * (1 - baseline) * (1 - r2)) / (mde * mde) - 1e-9);
}

/** Power of a two-sided test of an adjusted analysis with nA and nB customers against a true absolute effect. */
export function powerOf(
  baseline: number,
  effect: number,
  nA: number,
  nB: number,
  { alpha = 0.05, r2 = 0 }: Omit<PowerOptions, "power"> = {},
): number {
  if (!Number.isFinite(effect)) throw new Error(`invalid effect: ${effect}`);
  const zc = normalQuantile(1 - alpha / 2);
  // At power 0.5 (z_power = 0) the MDE is z_{1−α/2} · SE: the SE without writing its formula a second time.
  const se = adjustedMde(baseline, nA, nB, { alpha, power: 0.5, r2 }) / zc;
  const shift = Math.abs(effect) / se;
  return normalCdf(shift - zc) + normalCdf(-shift - zc);
}
