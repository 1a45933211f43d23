/**
 * How close the Retention page's compact base (src/lib/campaign-cells.ts) comes to the row-level arithmetic on large
 * bases, and what it costs: numbers, never pass/fail (docs/scale.md, "The Retention page at any size").
 *
 *   npx tsx scripts/bench-cells.ts [--sizes 1000000,10000000] [--bins 100x100] [--site dist --out /tmp/retention-10m]
 *
 * The bases are the published 20,000 customers resampled with noise (seeded): every model's score moved on the logit
 * scale by the same N(0, 0.3) draw, V scaled by exp(N(0, 0.2)), the outcome drawn from the new calibrated p; so the
 * customers are distinct, as in a real base (the repeated rows of scripts/bench-scale-site.ts would tie). The
 * artifacts are made by the pipeline's own writer (FoodCampaignArtifacts) in batches, the grid from a 50,000-customer
 * sample. For each economics it reports the row-level optimum's profit, the cells' optimum's, their gap, the
 * customers targeted by each and the time of one decision.
 *
 * With --site and --out (one size), it copies the built site --site to --out and replaces the Retention page's four
 * files (and their .gz) with this base's: a site whose Retention page decides over that many customers, for
 * scripts/bench-retention-browser.ts --dist OUT (the other pages keep the 20,000; the page's list download, which
 * loads the row-level base, is off above 2,000,000 customers anyway).
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { constants, gzipSync } from "node:zlib";
import { tableFromIPC } from "apache-arrow";
import { randomNormal } from "d3";
import { rowsToArrowIPC } from "../data-loaders/arrow.js";
import { cellGrid, FoodCampaignArtifacts } from "../data-loaders/food/campaign-cells.js";
import { BATCH_SIZE } from "../data-loaders/food/source.js";
import { seededRandom } from "../data-loaders/util/seed.js";
import type { FoodCustomerRow, MessageRow } from "../src/lib/artifacts.js";
import { campaign, type CampaignSettings } from "../src/lib/campaign.js";
import { CAMPAIGN_SETUP, cellColumns } from "../src/lib/campaign-data.js";
import { cellCampaignData } from "../src/lib/campaign-cells.js";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000,10000000" },
    bins: { type: "string", default: "100x100" },
    site: { type: "string" },
    out: { type: "string" },
  },
});
const sizes = args.sizes.split(",").map(Number);
const [pBins, vBins] = args.bins.split("x").map(Number);
if (args.site && (!args.out || sizes.length !== 1)) throw new Error("--site needs --out and exactly one size");

const published = (file: string) => tableFromIPC(readFileSync(join("src/data/food", file)));
const source = published("customers.arrow")
  .toArray()
  .map((r) => r.toJSON() as FoodCustomerRow);
const offers = published("offers.arrow")
  .toArray()
  .map((r) => r.toJSON() as MessageRow);

const ECONOMICS: [string, Partial<CampaignSettings>][] = [
  ["coupon ₹50, γ 30% (default)", {}],
  ["coupon ₹300, γ 10%", { couponCost: 300, acceptance: 0.1 }],
  ["gift ₹50", { costModel: "gift" }],
  ["flat value ₹500", { valueMode: "flat" }],
];

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Customer i of the synthetic base: a published customer's row with moved scores, value and outcome. */
function synthetic(n: number) {
  const random = seededRandom(42, `bench cells ${n}`);
  const normal = randomNormal.source(random);
  const [dp, dv] = [normal(0, 0.3), normal(0, 0.2)];
  return (i: number): { row: FoodCustomerRow; offer: MessageRow } => {
    const j = Math.floor(random() * source.length);
    const [s, shift] = [source[j], dp()];
    const p = sigmoid(logit(s.oof_probability) + shift);
    const id = `${s.customer_id}-${i}`;
    return {
      row: {
        ...s,
        customer_id: id,
        oof_probability: p,
        oof_uncalibrated: sigmoid(logit(s.oof_uncalibrated) + shift),
        oof_logistic: sigmoid(logit(s.oof_logistic) + shift),
        ltv: s.ltv * Math.exp(dv()),
        churned: random() < p ? 1 : 0,
      },
      offer: { ...offers[j], id },
    };
  };
}

for (const n of sizes) {
  const draw = synthetic(n);
  // the base's scoring columns for the row-level comparison, and the batches for the writer
  const probability = new Float64Array(n);
  const value = new Float64Array(n);
  const churned = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const { row } = draw(i);
    [probability[i], value[i], churned[i]] = [row.oof_probability, row.ltv, row.churned];
  }
  // the grid from a sample, then a second pass (the same seeded draws) in batches, as the pipeline feeds the writer
  const step = Math.max(1, Math.floor(n / 50_000));
  const sample = [];
  for (let i = 0; i < n; i += step) sample.push({ probability: probability[i], value: value[i] });
  const writer = new FoodCampaignArtifacts(n, cellGrid(sample, { probability: pBins, value: vBins }), 42, {
    exactUpTo: 0,
  });
  const redraw = synthetic(n);
  for (let first = 0; first < n; first += BATCH_SIZE) {
    const rows: FoodCustomerRow[] = [];
    const batchOffers: MessageRow[] = [];
    for (let i = first; i < Math.min(n, first + BATCH_SIZE); i++) {
      const { row, offer } = redraw(i);
      rows.push(row);
      batchOffers.push(offer);
    }
    writer.add(rows, first, batchOffers);
  }
  const files = new Map<string, Uint8Array>();
  const layout = writer.publish({
    table: (artifact, rows) => files.set(artifact.path, rowsToArrowIPC(rows, artifact.columns as never)),
    json: (artifact, v) => files.set(artifact.path, new TextEncoder().encode(`${JSON.stringify(v, null, 1)}\n`)),
  });
  const seconds = (performance.now() - t0) / 1000;
  const sizeOf = (path: string) => {
    const bytes = files.get(path) as Uint8Array;
    return `${(bytes.length / 1e3).toFixed(0)} kB (${(gzipSync(bytes, { level: 9 }).length / 1e3).toFixed(0)} kB gzip)`;
  };
  const compact = cellCampaignData(cellColumns(tableFromIPC(files.get("food/campaign-cells.arrow") as Uint8Array)));
  process.stdout.write(
    `\n## ${n.toLocaleString("en-US")} customers: ${layout.cells} entries (${layout.individual} single customers), ` +
      `made in ${seconds.toFixed(1)} s\ncells ${sizeOf("food/campaign-cells.arrow")}, kept customers ` +
      `${sizeOf("food/campaign-rows.arrow")}, comparison sample ${sizeOf("food/campaign-sample.arrow")}\n\n` +
      "| economics | row-level optimum | cells' optimum | gap | customers targeted (rows / cells) | decision time (rows / cells) |\n" +
      "| --- | --- | --- | --- | --- | --- |\n",
  );
  for (const [name, s] of ECONOMICS) {
    const settings = { ...CAMPAIGN_SETUP.food.defaults, ...s };
    let t = performance.now();
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
  if (args.site && args.out) {
    const [site, out] = [resolve(args.site), resolve(args.out)];
    rmSync(out, { recursive: true, force: true });
    cpSync(site, out, { recursive: true });
    const folder = join(out, "_file/data/food");
    for (const [path, bytes] of files) {
      const [stem, extension] = path.replace("food/", "").split(".");
      const name = readdirSync(folder).find((f) => new RegExp(`^${stem}\\.[0-9a-f]{8}\\.${extension}$`).test(f));
      if (!name) throw new Error(`${site} has no ${path}: build the site first`);
      writeFileSync(join(folder, name), bytes);
      rmSync(join(folder, `${name}.gz`), { force: true });
      if (bytes.length >= 1024)
        writeFileSync(join(folder, `${name}.gz`), gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }));
    }
    process.stdout.write(`\nwrote ${out}: the Retention page of ${n.toLocaleString("en-US")} customers\n`);
  }
}
