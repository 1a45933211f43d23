// The streamed food stage: a sampled base scored in small batches publishes exactly the bytes of one batch, and
// every customer outside the model-selection sample gets held-out scores from models that never saw them.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { foodRows } from "../../data-loaders/food/generate.js";
import { fileSource } from "../../data-loaders/food/ingest.js";
import { generatorSource } from "../../data-loaders/food/source.js";
import { foodStage } from "../../data-loaders/food/stage.js";
import { Publication } from "../../data-loaders/publish.js";
import type { PublishedMetrics } from "../../src/lib/artifacts.js";
import { FOOD_COLUMNS } from "../../src/lib/columns.js";
import { rowCells, type CampaignLayout } from "../../src/lib/campaign-cells.js";
import { cellColumns } from "../../src/lib/campaign-data.js";

const N = 3_000;
const SAMPLE = 1_500;

describe("food stage, streamed", () => {
  let dir: string;
  const runs: Record<number, { files: Record<string, string>; pub: Publication }> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "retention-lab-"));
    const cacheDir = join(dir, "cache");
    // One batch, then batches that straddle the Arrow record batches and the sample's rows unevenly.
    for (const batchSize of [1_000_000, 317]) {
      const pub = new Publication(join(dir, `out-${batchSize}`));
      // exactUpTo below N: the Retention page's base is compacted into grid cells, which must not depend on batches
      const options = {
        seed: 7,
        cvRepeats: 1,
        sampleSize: SAMPLE,
        batchSize,
        cacheDir,
        exactUpTo: 1_000,
        log: () => {},
      };
      await foodStage({ ...options, source: generatorSource(N, 7) }, pub);
      runs[batchSize] = { files: pub.staged(), pub };
    }
    // The same customers from a CSV file (FOOD_CSV), read in batches of 500.
    const names = FOOD_COLUMNS.map((c) => c.name);
    const rows = [...foodRows({ n: N, seed: 7 })];
    const csv = [names.join(","), ...rows.map((r) => names.map((c) => String(r[c])).join(","))].join("\n");
    await writeFile(join(dir, "customers.csv"), csv);
    const pub = new Publication(join(dir, "out-csv"));
    const options = {
      seed: 7,
      cvRepeats: 1,
      sampleSize: SAMPLE,
      batchSize: 500,
      cacheDir,
      exactUpTo: 1_000,
      log: () => {},
    };
    await foodStage({ ...options, source: fileSource(join(dir, "customers.csv")) }, pub);
    runs[0] = { files: pub.staged(), pub };
  });
  after(async () => {
    for (const { pub } of Object.values(runs)) await pub.discard();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the same artifacts with batches of 317 as with one batch", () => {
    assert.deepEqual(Object.keys(runs[317].files), Object.keys(runs[1_000_000].files));
    for (const [path, sha] of Object.entries(runs[1_000_000].files))
      assert.equal(runs[317].files[path], sha, `${path} differs between batch sizes`);
  });

  it("publishes the same customers, SHAP and offers from a CSV of the same rows (FOOD_CSV)", () => {
    for (const path of ["food/customers.arrow", "food/shap.arrow", "food/offers.arrow", "food/model.json"])
      assert.equal(
        runs[0].files[path],
        runs[1_000_000].files[path],
        `${path} differs between the file and the generator`,
      );
  });

  it("scores every customer, the ones outside the sample held out from the final model and the fold models", async () => {
    const table = tableFromIPC(await runs[317].pub.read("food/customers.arrow"));
    assert.equal(table.numRows, N);
    const split = table.getChild("split")!.toArray() as string[];
    const dev = split.filter((s) => s === "dev").length;
    assert.ok(Math.abs(dev - SAMPLE * 0.8) <= 1, `only the sample's development rows fit the final model (${dev})`);
    for (const column of ["probability", "oof_probability", "oof_uncalibrated", "oof_logistic"]) {
      const values = table.getChild(column)!.toArray() as Float64Array;
      for (let i = 0; i < N; i++) assert.ok(values[i] > 0 && values[i] < 1, `${column} row ${i}: ${values[i]}`);
    }
  });

  it("publishes the sample's figures beside the base's, saying which rows each comes from", async () => {
    const m: PublishedMetrics = JSON.parse(new TextDecoder().decode(await runs[317].pub.read("food/metrics.json")));
    assert.equal(m.rows, SAMPLE);
    assert.ok(m.scale, "a sampled base reports its scale section");
    assert.equal(m.scale.base.rows, N);
    assert.equal(m.scale.baseMetrics.all.rows, N);
    assert.equal(m.scale.baseMetrics.outsideSample.rows, N - SAMPLE);
    assert.equal(m.scale.baseMetrics.heldOut.rows, N - m.split.dev);
    assert.ok(m.scale.sample.aucStandardError.cv > 0 && m.scale.sample.aucStandardError.cv < 0.05);
    assert.ok(m.scale.baseMetrics.heldOut.calibrated.rocAuc > 0.7);
    for (const point of m.shap.beeswarm) assert.ok(point.row >= 0 && point.row < N);
  });

  it("compacts the base for the Retention page: every customer in one cell, the kept ones with their own offer", async () => {
    const pub = runs[317].pub;
    const read = async (path: string) => tableFromIPC(await pub.read(path));
    const layout: CampaignLayout = JSON.parse(new TextDecoder().decode(await pub.read("food/campaign.json")));
    assert.ok(layout.grid, "above exactUpTo the base is gridded");
    const cells = cellColumns(await read("food/campaign-cells.arrow"));
    assert.equal(
      Array.from(cells.count).reduce((a, b) => a + b, 0),
      N,
    );
    const customers = await read("food/customers.arrow");
    const [p, ltv] = ["oof_probability", "ltv"].map((c) => customers.getChild(c)!.toArray() as Float64Array);
    const cellOf = rowCells(layout, cells);
    const counts = new Float64Array(cells.count.length);
    for (let r = 0; r < N; r++) counts[cellOf(r, p[r], ltv[r])]++;
    assert.deepEqual(Array.from(counts), Array.from(cells.count));
    const first = await read("food/campaign-rows.arrow");
    const kept = first.concat(await read("food/campaign-rows-more.arrow"));
    assert.equal(first.numRows, layout.listedFirst);
    const offers = await read("food/offers.arrow");
    const ids = customers.getChild("customer_id")!;
    const texts = offers.getChild("text")!;
    for (let i = 0; i < kept.numRows; i++) {
      const row = kept.getChild("row")!.get(i) as number;
      assert.equal(kept.getChild("customer_id")!.get(i), ids.get(row));
      assert.equal(kept.getChild("text")!.get(i), texts.get(row));
    }
    assert.equal(kept.numRows, layout.listed);
    // the targeting list's parts: every customer in base order with their offer (the second part empty here)
    const [one, two] = [await read("food/list-1.arrow"), await read("food/list-2.arrow")];
    assert.equal(one.numRows, N);
    assert.equal(two.numRows, 0);
    for (const i of [0, 1, 317, N - 1]) {
      assert.equal(one.getChild("customer_id")!.get(i), ids.get(i));
      assert.equal(one.getChild("oof_probability")!.get(i), p[i]);
      assert.equal(one.getChild("text")!.get(i), texts.get(i));
    }
  });
});
