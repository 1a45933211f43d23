/**
 * A built site whose food-delivery base is N customers, for the page benchmarks (scripts/bench-retention-browser.ts,
 * scripts/bench-pages.ts) — without the hour a real build of a million customers takes on 2 cores.
 *
 *   npx tsx scripts/bench-scale-site.ts --n 1000000 --out /tmp/site-1m     (then --dist /tmp/site-1m/dist)
 *
 * It copies the project (node_modules linked) to --out, replaces src/data/food/customers.arrow and offers.arrow with
 * the current build's rows repeated until there are N (IDs made unique: FD00001 → FD00001-7), makes the Retention
 * page's compact base from them with the pipeline's code (data-loaders/food/campaign-cells.ts), and builds the site
 * there (Framework build and post-build, no pipeline). Every column keeps its Arrow type, so the pages load and check
 * it as they would a real build. What a page does per customer (decode, rank, price, draw) does not depend on how the
 * scores were made, so its timings are those of a real base of that size; its numbers (profits, optima) are not —
 * repeated customers tie — and are not what it is for. Run `npm run pipeline` first.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { tableFromIPC, tableToIPC, Table, vectorFromArray, type Vector } from "apache-arrow";
import { rowsToArrowIPC } from "../data-loaders/arrow.js";
import { cellGrid, EXACT_UP_TO, FoodCampaignArtifacts } from "../data-loaders/food/campaign-cells.js";
import { SAMPLE_SIZE } from "../data-loaders/food/sample.js";
import { BATCH_SIZE } from "../data-loaders/food/source.js";
import type { FoodCustomerRow, MessageRow } from "../src/lib/artifacts.js";

const { values: args } = parseArgs({ options: { n: { type: "string" }, out: { type: "string" } } });
const n = Number(args.n);
if (!(Number.isInteger(n) && n >= 1)) throw new Error(`invalid --n ${args.n} (expected a whole number of customers)`);
if (!args.out) throw new Error("--out DIR is required (a new folder for the copy)");
const out = resolve(args.out);
const root = process.cwd();
const data = join(root, "src/data/food");
if (!existsSync(join(data, "customers.arrow")))
  throw new Error("no src/data/food/customers.arrow: run npm run pipeline");

/** A table's rows repeated to n, the ID column made unique by the repeat's number. */
function tile(table: Table, idColumn: string): Table {
  const m = table.numRows;
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const source = table.getChild(field.name)!.toArray() as ArrayLike<unknown>;
    const values = Array.from({ length: n }, (_, j) => {
      const v = source[j % m];
      return field.name === idColumn && j >= m ? `${v}-${Math.floor(j / m)}` : v;
    });
    columns[field.name] = vectorFromArray(values, field.type);
  }
  return new Table(columns);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// everything but what builds make and the dependencies (linked)
const skip = new Set(["node_modules", "dist", "build", ".cache", "test-results", ".git"]);
for (const entry of readdirSync(root)) {
  if (!skip.has(entry) && !entry.startsWith("dist.")) cpSync(join(root, entry), join(out, entry), { recursive: true });
}
symlinkSync(join(root, "node_modules"), join(out, "node_modules"));
const tiled: Record<string, Table> = {};
for (const [file, id] of [
  ["customers.arrow", "customer_id"],
  ["offers.arrow", "id"],
] as const) {
  tiled[file] = tile(tableFromIPC(readFileSync(join(data, file))), id);
  writeFileSync(join(out, "src/data/food", file), tableToIPC(tiled[file], "stream"));
}
// The Retention page's compact base, made by the pipeline's own code from the tiled rows (grid from a sample of
// them, as the pipeline draws it from its model-selection sample).
{
  const [customers, offers] = [tiled["customers.arrow"], tiled["offers.arrow"]];
  const [p, ltv] = ["oof_probability", "ltv"].map((c) => customers.getChild(c)!.toArray() as Float64Array);
  const step = Math.max(1, Math.floor(n / SAMPLE_SIZE));
  const sample = [];
  for (let i = 0; i < n; i += step) sample.push({ probability: p[i], value: ltv[i] });
  const campaign = new FoodCampaignArtifacts(n, n > EXACT_UP_TO ? cellGrid(sample) : null, 42);
  const rowsOf = <R>(t: Table, first: number) =>
    t
      .slice(first, first + BATCH_SIZE)
      .toArray()
      .map((r) => r.toJSON() as R);
  for (let first = 0; first < n; first += BATCH_SIZE)
    campaign.add(rowsOf<FoodCustomerRow>(customers, first), first, rowsOf<MessageRow>(offers, first));
  const write = (artifact: { path: string }, bytes: Uint8Array) =>
    writeFileSync(join(out, "src/data", artifact.path), bytes);
  const layout = campaign.publish({
    table: (artifact, tableRows) => write(artifact, rowsToArrowIPC(tableRows, artifact.columns as never)),
    json: (artifact, value) => write(artifact, new TextEncoder().encode(`${JSON.stringify(value)}\n`)),
  });
  process.stdout.write(`campaign cells: ${layout.cells} (${layout.individual} single customers)\n`);
}
const run = (command: string, env: Record<string, string> = {}) => {
  const r = spawnSync("bash", ["-c", command], { cwd: out, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status})`);
};
run("npx tsx scripts/prime-framework.ts");
run("npx observable build", { OUTPUT_DIR: "dist" });
run("bash scripts/postbuild.sh dist build/nginx");
process.stdout.write(`built ${out}/dist with ${n.toLocaleString("en-US")} food-delivery customers\n`);
