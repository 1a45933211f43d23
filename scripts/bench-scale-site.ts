/**
 * A built site whose food-delivery base is N customers, for the page benchmarks (scripts/bench-scale.ts,
 * scripts/bench-retention-browser.ts, scripts/bench-pages.ts) — without the hour a real build of ten million customers
 * takes on 2 cores.
 *
 *   npx tsx scripts/bench-scale-site.ts --n 1000000 --out /tmp/site-1m [--from src/data]   (then --dist /tmp/site-1m/dist)
 *
 * It copies the project (node_modules linked) to --out, publishes into its src/data/ the pipeline output of --from
 * (default src/data/: run `npm run pipeline` first) with the food base repeated to N customers
 * (data-loaders/food/replicate.ts: every artifact the pipeline makes from the base's rows is made by the pipeline's
 * own writer, in batches), and builds the site there (Framework build and post-build, no pipeline). What a page does
 * per customer (decode, rank, price, draw) does not depend on how the scores were made, so its timings are those of a
 * real base of that size; its numbers (profits, optima) are not — repeated customers tie — and are not what it is for.
 * With PIPELINE_STAGES=<file>, the replication's time and peak memory are appended there (data-loaders/util/stages.ts).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { replicateFoodBase } from "../data-loaders/food/replicate.js";
import { Publication } from "../data-loaders/publish.js";
import { stage } from "../data-loaders/util/stages.js";

const { values: args } = parseArgs({
  options: { n: { type: "string" }, out: { type: "string" }, from: { type: "string", default: "src/data" } },
});
const n = Number(args.n);
if (!(Number.isInteger(n) && n >= 1)) throw new Error(`invalid --n ${args.n} (expected a whole number of customers)`);
if (!args.out) throw new Error("--out DIR is required (a new folder for the copy)");
const out = resolve(args.out);
const root = process.cwd();
const log = (line: string) => process.stderr.write(`[scale-site] ${line}\n`);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// everything but what builds make, the pipeline's output (published below) and the dependencies (linked)
const skip = new Set(["node_modules", "dist", "build", ".cache", "test-results", ".git"]);
for (const entry of readdirSync(root)) {
  if (!skip.has(entry) && !entry.startsWith("dist."))
    cpSync(join(root, entry), join(out, entry), {
      recursive: true,
      filter: (source) => resolve(source) !== resolve(root, "src/data"),
    });
}
symlinkSync(join(root, "node_modules"), join(out, "node_modules"));
await stage("replicate food base", log, async () => {
  const pub = new Publication(join(out, "src/data"));
  try {
    await pub.commit(await replicateFoodBase(resolve(root, args.from!), n, pub));
  } catch (error) {
    await pub.discard();
    throw error;
  }
});
const run = (command: string, env: Record<string, string> = {}) => {
  const r = spawnSync("bash", ["-c", command], { cwd: out, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status})`);
};
await stage("site build", log, () => {
  run("npx tsx scripts/prime-framework.ts");
  run("npx observable build", { OUTPUT_DIR: "dist" });
  run("bash scripts/postbuild.sh dist build/nginx");
});
process.stdout.write(`built ${out}/dist with ${n.toLocaleString("en-US")} food-delivery customers\n`);
