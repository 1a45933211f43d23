/** Small, exact statistics used by pages and the pipeline alike (no Node or DOM imports). */

/** The standard normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface RateInterval {
  /** successes / trials */
  rate: number;
  lo: number;
  hi: number;
}

/** Wilson score interval for a proportion (well behaved near 0 and 1, unlike the Wald interval). */
export function wilson(successes: number, trials: number, z = Z95): RateInterval {
  if (!Number.isFinite(successes) || !Number.isFinite(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new Error(`invalid proportion: ${successes} of ${trials}`);
  }
  if (trials === 0) return { rate: NaN, lo: 0, hi: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return { rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The standard normal cumulative distribution (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
