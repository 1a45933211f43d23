import * as d3 from "d3";

/**
 * n customers with calibrated scores p ~ Beta(2, 5) (mean 0.29, near the food base's churn rate) and labels
 * y ~ Bernoulli(p), seeded: the fixture of the profit tests and of scripts/bench-profit.ts.
 */
export function calibratedScores(seed: number, n: number): { p: Float64Array; y: Int8Array } {
  const random = d3.randomLcg(seed);
  const beta = d3.randomBeta.source(random)(2, 5);
  const p = new Float64Array(n);
  const y = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = beta();
    y[i] = random() < p[i] ? 1 : 0;
  }
  return { p, y };
}
