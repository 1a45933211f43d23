/**
 * Benchmark of the retention page's slider update (a benchmark, not a test: timings are printed, never asserted).
 *   npx tsx scripts/bench-profit.ts [N …]   (default 20000 100000)
 * Per size: rankScores once (the page does this once per model), then per update profitCurve + optimalPolicy +
 * expectedMaximumProfit + policyAt + sampleProfitCurve (the plotted curve), at a different economics each time.
 */
import { calibratedScores } from "./calibrated-scores.js";
import {
  DEFAULT_ECONOMICS,
  expectedMaximumProfit,
  optimalPolicy,
  policyAt,
  profitCurve,
  rankScores,
  sampleProfitCurve,
  theoreticalThreshold,
} from "../src/lib/profit.js";

const sizes = process.argv.slice(2).map(Number);
const UPDATES = 30;
const WARMUP = 5;

for (const n of sizes.length ? sizes : [20_000, 100_000]) {
  const { p, y } = calibratedScores(42, n);
  let start = performance.now();
  const ranked = rankScores(p, y);
  const rankMs = performance.now() - start;
  // "page": what the page runs per update (it plots the 400-point sample); "full": plus every point of profitCurve.
  const times = { page: [] as number[], full: [] as number[] };
  let sink = 0;
  for (let u = -WARMUP; u < UPDATES; u++) {
    const e = { ...DEFAULT_ECONOMICS, ltv: 300 + 20 * Math.abs(u), acceptance: 0.2 + 0.01 * Math.abs(u) };
    start = performance.now();
    const best = optimalPolicy(ranked, e);
    const emp = expectedMaximumProfit(ranked, e);
    const chosen = policyAt(ranked, theoreticalThreshold(e), e);
    const samples = sampleProfitCurve(ranked, e, { points: 400 });
    const pageMs = performance.now() - start;
    const curve = profitCurve(ranked, e);
    const fullMs = performance.now() - start;
    if (u >= 0) {
      times.page.push(pageMs);
      times.full.push(fullMs);
    }
    sink += curve.length + best.profit + emp.perCustomer + chosen.profit + samples.length;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(2);
  process.stdout.write(
    `n=${n.toLocaleString("en-US")} (${ranked.thresholds.length} distinct scores): rankScores once ${rankMs.toFixed(1)} ms; ` +
      `per update (median of ${UPDATES}) page ${median(times.page)} ms, with the full profitCurve ${median(times.full)} ms` +
      `${Number.isNaN(sink) ? " (NaN!)" : ""}\n`,
  );
}
