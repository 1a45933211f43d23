// A pipeline output's food base repeated to N customers (the page benchmarks' large sites) is published by the food
// stage's own writer: at N equal to the base it is the pipeline's output byte for byte, and at any N every customer
// keeps the scores, SHAP and offer of the one it repeats, under an ID of its own.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { replicateFoodBase } from "../../data-loaders/food/replicate.js";
import { generatorSource } from "../../data-loaders/food/source.js";
import { foodStage } from "../../data-loaders/food/stage.js";
import { Publication } from "../../data-loaders/publish.js";
import type { FoodSummary } from "../../src/lib/summaries.js";

const N = 1_200;
const MANIFEST = {
  generator: "retention-lab pipeline",
  seed: 7,
  telco: { rows: 0, sha256: "", nudges: {} },
  food: { rows: N, offers: { fallback: N } },
  llm: "none",
  files: {},
};

describe("food base replicated to N customers", () => {
  let dir: string;
  let from: string;
  let pipeline: Record<string, string>;
  const pubs: Publication[] = [];
  const publication = (name: string) => {
    const pub = new Publication(join(dir, name));
    pubs.push(pub);
    return pub;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "retention-lab-"));
    from = join(dir, "from");
    const pub = publication("pipeline");
    const options = { seed: 7, cvRepeats: 1, sampleSize: 50_000, cacheDir: join(dir, "cache"), log: () => {} };
    await foodStage({ ...options, source: generatorSource(N, 7) }, pub);
    pipeline = pub.staged();
    for (const path of Object.keys(pipeline)) {
      await mkdir(dirname(join(from, path)), { recursive: true });
      await writeFile(join(from, path), await pub.read(path));
    }
    await writeFile(join(from, "manifest.json"), JSON.stringify(MANIFEST));
  });
  after(async () => {
    for (const pub of pubs) await pub.discard();
    await rm(dir, { recursive: true, force: true });
  });

  it("publishes the pipeline's food files byte for byte at N equal to the base", async () => {
    const pub = publication("same");
    const manifest = await replicateFoodBase(from, N, pub, { batchSize: 500 });
    assert.deepEqual(pub.staged(), pipeline);
    assert.deepEqual(manifest.food, { rows: N, offers: { llm: 0, cache: 0, fallback: N } });
  });

  it("repeats every customer with its scores, SHAP and offer under a new ID, and counts the summary over all", async () => {
    const n = 2 * N + 250;
    const pub = publication("larger");
    const manifest = await replicateFoodBase(from, n, pub, { batchSize: 500 });
    assert.equal(manifest.food.rows, n);
    assert.equal(
      Object.values(manifest.food.offers).reduce((a, b) => a + b, 0),
      n,
    );
    const read = async (path: string) => tableFromIPC(await pub.read(path));
    const customers = await read("food/customers.arrow");
    const shap = await read("food/shap.arrow");
    const offers = await read("food/offers.arrow");
    for (const t of [customers, shap, offers]) assert.equal(t.numRows, n);
    const ids = customers.getChild("customer_id")!.toArray() as string[];
    assert.equal(new Set(ids).size, n, "every ID is unique");
    assert.equal(ids[2 * N + 3], `${ids[3]}-2`);
    for (const j of [0, N - 1, N, 2 * N + 249]) {
      const i = j % N;
      const [a, b] = [customers.get(j)!.toJSON(), customers.get(i)!.toJSON()];
      assert.deepEqual({ ...a, customer_id: "" }, { ...b, customer_id: "" }, `customer row ${j} repeats row ${i}`);
      assert.deepEqual({ ...shap.get(j)!.toJSON(), customer_id: "" }, { ...shap.get(i)!.toJSON(), customer_id: "" });
      assert.equal(shap.get(j)!.customer_id, ids[j]);
      assert.equal(offers.get(j)!.id, ids[j]);
      assert.equal(offers.get(j)!.text, offers.get(i)!.text);
    }
    const summary = JSON.parse(new TextDecoder().decode(await pub.read("food/summary.json"))) as FoodSummary;
    const churned = customers.getChild("churned")!.toArray() as Int32Array;
    assert.equal(summary.kpi.n, n);
    assert.equal(
      summary.kpi.churned,
      churned.reduce((a, b) => a + b, 0),
    );
  });

  it("refuses tables that do not list the same customers, naming the table", async () => {
    const broken = join(dir, "broken");
    for (const path of Object.keys(pipeline)) {
      await mkdir(dirname(join(broken, path)), { recursive: true });
      await writeFile(join(broken, path), await pubs[0]!.read(path));
    }
    const offers = tableFromIPC(await pubs[0]!.read("food/offers.arrow"));
    await writeFile(join(broken, "food/offers.arrow"), tableToIPC(offers.slice(0, 10), "stream"));
    await assert.rejects(
      replicateFoodBase(broken, 5_000, publication("refused")),
      /food offers has 10 rows, the customers 1200/,
    );
  });
});
