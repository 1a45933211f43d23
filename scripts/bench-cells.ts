/**
 * How close the Retention page's compact base (src/lib/campaign-cells.ts) comes to the row-level arithmetic on large
 * bases, and what it costs: numbers, never pass/fail (docs/scale.md, "The Retention page at any size").
 *
 *   npx tsx scripts/bench-cells.ts [--sizes 1000000,10000000]
 *
 * The bases are the published 20,000 customers resampled with noise (seeded): p moved on the logit scale by N(0, 0.3),
 * V scaled by exp(N(0, 0.2)), the outcome drawn from the new p; so the customers are distinct, as in a real base (the
 * repeated rows of scripts/bench-scale-site.ts would tie). The grid comes from a 50,000-customer sample, as in the
 * pipeline. For each economics it reports the row-level optimum's profit, the cells' optimum's, their difference, and
 * the customers targeted by each.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { randomNormal } from "d3";
import { CampaignCellsBuilder, cellGrid, type CampaignCustomer } from "../data-loaders/food/campaign-cells.js";
import { rowsToArrowIPC } from "../data-loaders/arrow.js";
import { CAMPAIGN_CELL_COLUMNS } from "../src/lib/artifacts.js";
import { campaign, type CampaignSettings } from "../src/lib/campaign.js";
import { CAMPAIGN_SETUP } from "../src/lib/campaign-data.js";
import { cellCampaignData, type CellColumns } from "../src/lib/campaign-cells.js";
import { seededRandom } from "../data-loaders/util/seed.js";
import { gzipSync } from "node:zlib";

const { values: args } = parseArgs({
  options: { sizes: { type: "string", default: "1000000,10000000" }, bins: { type: "string", default: "100x100" } },
});
const sizes = args.sizes.split(",").map(Number);
const [pBins, vBins] = args.bins.split("x").map(Number);
const base = tableFromIPC(readFileSync("src/data/food/customers.arrow"));
const [p0, v0] = ["oof_probability", "ltv"].map((c) => base.getChild(c)!.toArray() as Float64Array);

const ECONOMICS: [string, Partial<CampaignSettings>][] = [
  ["coupon ₹50, γ 30% (default)", {}],
  ["coupon ₹300, γ 10%", { couponCost: 300, acceptance: 0.1 }],
  ["gift ₹50", { costModel: "gift" }],
  ["flat value ₹500", { valueMode: "flat" }],
];

for (const n of sizes) {
  const random = seededRandom(42, `bench cells ${n}`);
  const normal = randomNormal.source(random);
  const [dp, dv] = [normal(0, 0.3), normal(0, 0.2)];
  const probability = new Float64Array(n);
  const value = new Float64Array(n);
  const churned = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = Math.floor(random() * p0.length);
    const logit = Math.log(p0[j] / (1 - p0[j])) + dp();
    probability[i] = 1 / (1 + Math.exp(-logit));
    value[i] = v0[j] * Math.exp(dv());
    churned[i] = random() < probability[i] ? 1 : 0;
  }
  let t = performance.now();
  const sample = Array.from({ length: 50_000 }, () => {
    const i = Math.floor(random() * n);
    return { probability: probability[i], value: value[i] };
  });
  const builder = new CampaignCellsBuilder<null>({
    customers: n,
    grid: cellGrid(sample, { probability: pBins, value: vBins }),
    depth: 1000,
    exactUpTo: 0,
  });
  const batch: CampaignCustomer<null>[] = [];
  for (let i = 0; i < n; i++) {
    batch.push({ row: i, probability: probability[i], value: value[i], churned: churned[i], extra: null });
    if (batch.length === 65_536 || i === n - 1) {
      builder.add(batch);
      batch.length = 0;
    }
  }
  const { cells, layout } = builder.finish();
  const buildSeconds = (performance.now() - t) / 1000;
  const bytes = rowsToArrowIPC(cells, CAMPAIGN_CELL_COLUMNS as never);
  const columns = Object.fromEntries(
    CAMPAIGN_CELL_COLUMNS.map(([name]) => [name, cells.map((c) => c[name as keyof typeof c])]),
  ) as unknown as CellColumns;
  const compact = cellCampaignData(columns);
  process.stdout.write(
    `\n## ${n.toLocaleString("en-US")} customers: ${layout.cells} entries (${layout.individual} single customers), ` +
      `cells file ${(bytes.length / 1e3).toFixed(0)} kB (${(gzipSync(bytes).length / 1e3).toFixed(0)} kB gzip), ` +
      `built in ${buildSeconds.toFixed(1)} s\n\n` +
      "| economics | row-level optimum | cells' optimum | difference | customers targeted (rows / cells) | decision time (rows / cells) |\n" +
      "| --- | --- | --- | --- | --- | --- |\n",
  );
  for (const [name, s] of ECONOMICS) {
    const settings = { ...CAMPAIGN_SETUP.food.defaults, ...s };
    t = performance.now();
    const rows = campaign({ probability, value, churned }, settings);
    const rowSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const viaCells = campaign(compact, settings);
    const cellSeconds = (performance.now() - t) / 1000;
    const [a, b] = [rows.optimum.profit, viaCells.optimum.profit];
    process.stdout.write(
      `| ${name} | ₹${a.toFixed(0)} | ₹${b.toFixed(0)} | ${(((b - a) / a) * 100).toFixed(4)}% | ` +
        `${rows.optimum.customers} / ${viaCells.optimum.customers} | ${rowSeconds.toFixed(2)} s / ${(cellSeconds * 1000).toFixed(1)} ms |\n`,
    );
  }
}
