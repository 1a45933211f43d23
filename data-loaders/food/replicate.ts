/**
 * A pipeline output with its food base repeated to N customers, for the page benchmarks at sizes whose real build
 * takes most of an hour here (scripts/bench-scale-site.ts). The published customers are repeated in order with
 * unique IDs (FD00001, then FD00001-1, FD00001-2, …), each keeping its scores, SHAP and offer, and fed batch by batch
 * through the food stage's own writer (tables.ts), so every artifact the pipeline makes from the base's rows is made
 * here the same way (the Retention page's cell grid drawn, as the pipeline draws it from its model-selection sample,
 * from the source base); the others (model, metrics, Telco) are published as they are. With N equal to the base's size
 * the output is the input, byte for byte. Memory holds the source base and one batch.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { artifactPaths, ARTIFACTS, type Manifest } from "../../src/lib/artifacts.js";
import type { FallbackReason, Message, Provenance } from "../llm/index.js";
import type { Publication } from "../publish.js";
import type { RowScores } from "../scores.js";
import type { FoodRecord } from "./generate.js";
import { BATCH_SIZE } from "./source.js";
import { campaignGrid, FoodTables } from "./tables.js";

/** What commit() takes: the source's manifest with the replicated base's counts. */
export type ReplicatedManifest = Omit<Manifest, "files" | "generator">;

type Columns = Record<string, ArrayLike<unknown>>;

function columnsOf(table: Table): Columns {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChild(f.name)!.toArray()]));
}

async function readTable(dir: string, path: string): Promise<Table> {
  try {
    return tableFromIPC(await readFile(join(dir, path)));
  } catch (error) {
    throw new Error(`${join(dir, path)}: ${(error as Error).message} (run npm run pipeline first)`);
  }
}

/**
 * Publishes into `pub` the pipeline output in `from` with its food base repeated to `n` customers; returns the
 * manifest to commit with. The three food tables must list the same customers in the same order.
 */
export async function replicateFoodBase(
  from: string,
  n: number,
  pub: Publication,
  { batchSize = BATCH_SIZE }: { batchSize?: number } = {},
): Promise<ReplicatedManifest> {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`invalid number of customers: ${n}`);
  const tables = {
    customers: await readTable(from, ARTIFACTS.foodCustomers.path),
    shap: await readTable(from, ARTIFACTS.foodShap.path),
    offers: await readTable(from, ARTIFACTS.foodOffers.path),
  };
  const m = tables.customers.numRows;
  const customers = columnsOf(tables.customers);
  const shap = columnsOf(tables.shap);
  const offers = columnsOf(tables.offers);
  const ids = customers.customer_id as ArrayLike<string>;
  for (const [name, t, id] of [
    ["shap", tables.shap, shap.customer_id],
    ["offers", tables.offers, offers.id],
  ] as const) {
    if (t.numRows !== m) throw new Error(`${from}: food ${name} has ${t.numRows} rows, the customers ${m}`);
    for (let i = 0; i < m; i++)
      if (id[i] !== ids[i]) throw new Error(`${from}: food ${name} row ${i + 1} is ${id[i]}, the customer ${ids[i]}`);
  }
  const groups = tables.shap.schema.fields.map((f) => f.name).filter((f) => f !== "customer_id");
  const fields = tables.customers.schema.fields.map((f) => f.name);
  const rows = Array.from({ length: m }, (_, i) => Object.fromEntries(fields.map((f) => [f, customers[f][i]])));
  const num = (name: string) => customers[name] as ArrayLike<number>;
  const text = (name: string) => offers[name] as ArrayLike<string>;
  const bySource: Record<Provenance["source"], number> = { llm: 0, cache: 0, fallback: 0 };

  const {
    files: _files,
    generator: _generator,
    ...manifest
  } = JSON.parse(await readFile(join(from, ARTIFACTS.manifest.path), "utf8")) as Manifest;
  // The cell grid as the pipeline draws it for a large base, from held-out scores of a sample: here the source base.
  const sample = Array.from({ length: m }, (_, i) => ({
    probability: num("oof_probability")[i],
    value: num("ltv")[i],
  }));
  const writer = await FoodTables.open(pub, {
    groups,
    customers: n,
    grid: campaignGrid(n, sample),
    seed: manifest.seed,
  });
  for (let first = 0; first < n; first += batchSize) {
    const size = Math.min(batchSize, n - first);
    const g = groups.length;
    const s = {
      ids: new Array<string>(size),
      probability: new Float64Array(size),
      oofProbability: new Float64Array(size),
      oofUncalibrated: new Float64Array(size),
      oofLogistic: new Float64Array(size),
      split: new Array<"dev" | "test">(size),
      shap: { groups, values: new Float64Array(size * g) },
    } satisfies RowScores;
    const batch = new Array<FoodRecord>(size);
    const messages: Record<string, Message> = {};
    for (let k = 0; k < size; k++) {
      const j = first + k;
      const i = j % m;
      const repeat = Math.floor(j / m);
      const id = repeat === 0 ? ids[i] : `${ids[i]}-${repeat}`;
      s.ids[k] = id;
      batch[k] = { ...rows[i], customer_id: id } as unknown as FoodRecord;
      s.probability[k] = num("probability")[i];
      s.oofProbability[k] = num("oof_probability")[i];
      s.oofUncalibrated[k] = num("oof_uncalibrated")[i];
      s.oofLogistic[k] = num("oof_logistic")[i];
      s.split[k] = (customers.split as ArrayLike<"dev" | "test">)[i];
      for (let c = 0; c < g; c++) s.shap.values[k * g + c] = (shap[groups[c]] as ArrayLike<number>)[i];
      const source = text("source")[i] as Provenance["source"];
      bySource[source]++;
      messages[id] = {
        text: text("text")[i],
        provenance: {
          source,
          provider: text("provider")[i],
          model: text("model")[i],
          requestedModel: null,
          promptHash: text("prompt_hash")[i],
          promptVersion: text("prompt_version")[i],
          generatedAt: text("generated_at")[i],
          reason: text("reason")[i] as FallbackReason,
          template: text("template")[i],
        },
      };
    }
    await writer.add(batch, s, messages);
  }
  await writer.close();

  // Everything not made from the base's rows, as the source published it (commit() names any that is missing).
  const staged = pub.staged();
  for (const artifact of Object.values(ARTIFACTS)) {
    // a sharded table is published as one file per shard (artifactPaths)
    for (const file of artifactPaths(artifact)) {
      const path = join(from, file);
      if (file === ARTIFACTS.manifest.path || file in staged || !existsSync(path)) continue;
      pub.binary({ kind: "binary", path: file }, await readFile(path));
    }
  }
  return { ...manifest, food: { rows: n, offers: bySource } };
}
