/**
 * Benchmark of one Retention page update in Node (a benchmark, not a test: timings are printed, never asserted).
 *   npx tsx scripts/bench-profit.ts [N …]   (default 20000 100000 1000000)
 * Per size: the campaign's arithmetic (src/lib/campaign.ts campaign() and campaignEmp(), what the page runs on every
 * input) at a different economics each time, split by what the update changes:
 *   - the offer cost under the coupon model (the order parameter λ changes: the ranking is re-sorted),
 *   - the contact cost (λ unchanged: prefix sums only),
 *   - the policy by hand (only the chosen point moves).
 */
import * as d3 from "d3";
import { campaign, campaignEmp, type CampaignData, type CampaignSettings } from "../src/lib/campaign.js";
import { CAMPAIGN_SETUP } from "../src/lib/campaign-data.js";
import { calibratedScores } from "./calibrated-scores.js";

const sizes = process.argv.slice(2).map(Number);
const UPDATES = 20;
const WARMUP = 3;

/** Lifetime values like the food base's: log-normal, median about ₹4,000. */
function values(seed: number, n: number): Float64Array {
  const normal = d3.randomNormal.source(d3.randomLcg(seed))(Math.log(4000), 0.9);
  return Float64Array.from({ length: n }, () => Math.exp(normal()));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))];

for (const n of sizes.length ? sizes : [20_000, 100_000, 1_000_000]) {
  const { p, y } = calibratedScores(42, n);
  const data: CampaignData = { probability: p, value: values(7, n), churned: Float64Array.from(y) };
  const base: CampaignSettings = CAMPAIGN_SETUP.food.defaults;
  let start = performance.now();
  campaign(data, base);
  const firstMs = performance.now() - start;
  const kinds: [string, (k: number) => CampaignSettings][] = [
    ["offer cost (re-sort)", (k) => ({ ...base, couponCost: 40 + k })],
    ["contact cost", (k) => ({ ...base, contactCost: 1 + 0.5 * k })],
    ["policy by hand", (k) => ({ ...base, policy: "manual", customers: Math.floor((k * n) / 50) })],
  ];
  const lines = [`n=${n.toLocaleString("en-US")}: first decision (sorts) ${firstMs.toFixed(1)} ms`];
  for (const [name, settings] of kinds) {
    const times: number[] = [];
    for (let u = -WARMUP; u < UPDATES; u++) {
      const s = settings(Math.abs(u) + 1);
      start = performance.now();
      const state = campaign(data, s);
      campaignEmp(state);
      if (u >= 0) times.push(performance.now() - start);
    }
    lines.push(`  ${name.padEnd(22)} median ${median(times).toFixed(2)} ms, p95 ${p95(times).toFixed(2)} ms`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
