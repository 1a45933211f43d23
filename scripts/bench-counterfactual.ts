/**
 * "What would keep this customer?" over the whole Telco base, with the browser's own code: the counterfactual search
 * (src/lib/counterfactual.ts, up to four changes) scored by the model's trees in TypeScript as the customer page does
 * (`--scorer trees`, the default), or by onnxruntime-web (WASM, one thread) on model.onnx (`--scorer onnx`), for every
 * customer the final model scores at or above the 50% operating threshold. Reports the share for whom an offer exists,
 * the number of changes it takes, its cost, and the time per search. A benchmark, not a test.
 *
 *   npx tsx scripts/bench-counterfactual.ts [--scorer trees|onnx]    (reads what the pipeline published into src/data/)
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { ROOT } from "../data-loaders/model-cache.js";
import { searchCounterfactual } from "../src/lib/counterfactual.js";
import { OPERATING_THRESHOLD } from "../src/lib/decision.js";
import { encodeRows, featureLayout, TELCO_SPEC } from "../src/lib/features.js";
import { createOnnxScorer } from "../src/lib/onnx-scorer.js";
import type { TreesJson } from "../src/lib/treeshap.js";
import { modelInputs, treeScorer } from "../src/lib/whatif.js";
import { explainerOf } from "../src/telco/customer.js";

const { values: args } = parseArgs({ options: { scorer: { type: "string", default: "trees" } } });
if (args.scorer !== "trees" && args.scorer !== "onnx")
  throw new Error(`--scorer ${args.scorer}: expected trees or onnx`);

const run = join(ROOT, "src", "data");
const customers = tableFromIPC(await readFile(join(run, "telco", "customers.arrow")))
  .toArray()
  .map((r) => r.toJSON() as Record<string, unknown>);
const onnx =
  args.scorer === "onnx"
    ? await createOnnxScorer(await readFile(join(run, "telco", "model.onnx")), featureLayout(TELCO_SPEC).names.length, {
        wasmBinary: await readFile(
          join(ROOT, "node_modules", "onnxruntime-web", "dist", "ort-wasm-simd-threaded.wasm"),
        ),
      })
    : null;
const trees = treeScorer(
  explainerOf(JSON.parse(await readFile(join(run, "telco", "trees.json"), "utf8")) as TreesJson),
);
const score = (rows: Record<string, unknown>[]) =>
  onnx ? onnx.score(encodeRows(TELCO_SPEC, rows).data) : trees(rows as never);

const above = customers.filter((c) => Number(c.probability) >= OPERATING_THRESHOLD);
const sizes: number[] = [];
const costs: number[] = [];
const times: number[] = [];
let none = 0;
let cheaper = 0;
const byFeature = new Map<string, number>();
for (const c of above) {
  const t0 = performance.now();
  const result = await searchCounterfactual(modelInputs(c), score, { threshold: OPERATING_THRESHOLD });
  times.push(performance.now() - t0);
  if (result.status !== "found") {
    none += Number(result.status === "none");
    continue;
  }
  sizes.push(result.size);
  costs.push(result.options[0].cost);
  if (result.cheaper.length) cheaper++;
  for (const ch of result.options[0].changes) byFeature.set(ch.feature, (byFeature.get(ch.feature) ?? 0) + 1);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const share = (n: number) => `${((100 * n) / above.length).toFixed(1)}%`;
const count = (k: number) => sizes.filter((s) => s === k).length;
console.log(`customers at or above ${OPERATING_THRESHOLD} (final model): ${above.length} of ${customers.length}`);
console.log(
  `an offer of at most 4 changes brings below the threshold: ${sizes.length} (${share(sizes.length)}); none: ${none}`,
);
console.log(`changes needed: median ${median(sizes)}; 1: ${count(1)}, 2: ${count(2)}, 3: ${count(3)}, 4: ${count(4)}`);
console.log(`cheapest smallest offer: median $${median(costs)}; a cheaper one with one more change for ${cheaper}`);
console.log(`features in the cheapest smallest offers: ${JSON.stringify(Object.fromEntries(byFeature))}`);
console.log(
  `search time per customer (${args.scorer === "onnx" ? "ONNX" : "trees in TypeScript"}, every combination in one batch): median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
);
await onnx?.release();
