/**
 * Benchmark of one what-if update on the customer page, in Node with the browser's own code: validate and encode the
 * edited row, TreeSHAP over trees.json (which gives the score too), probability terms and the waterfall's steps — the
 * page's path; drawing is measured in the browser (scripts/bench-customer-browser.ts). Also reports the largest
 * |ONNX − TreeSHAP| probability difference over the edits and the whole base, ONNX Runtime (WASM, one thread) being
 * the check the page loads on request. A benchmark, not a test.
 *
 *   npx tsx scripts/bench-whatif.ts [EDITS=200]     (reads the artifacts the pipeline published into src/data/)
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { randomLcg, randomInt } from "d3";
import { ROOT } from "../data-loaders/model-cache.js";
import { TELCO_SPEC, featureLayout, type RawRow } from "../src/lib/features.js";
import { createOnnxScorer } from "../src/lib/onnx-scorer.js";
import { prepareTrees, type TreesJson } from "../src/lib/treeshap.js";
import { applyEdit, checkInput, encodeInput, explainEncoded, modelInputs, waterfallSteps } from "../src/lib/whatif.js";

const edits = Number(process.argv[2] ?? 200);
if (!Number.isInteger(edits) || edits < 1) throw new Error(`invalid number of edits: ${process.argv[2]}`);

const run = join(ROOT, "src", "data");
const trees = JSON.parse(await readFile(join(run, "telco", "trees.json"), "utf8")) as TreesJson;
const customers = tableFromIPC(await readFile(join(run, "telco", "customers.arrow")))
  .toArray()
  .map((r) => r.toJSON() as Record<string, unknown>);
const explainer = { ensemble: prepareTrees(trees), platt: trees.platt, spec: TELCO_SPEC };
const wasmBinary = await readFile(join(ROOT, "node_modules", "onnxruntime-web", "dist", "ort-wasm-simd-threaded.wasm"));
const scorer = await createOnnxScorer(
  await readFile(join(run, "telco", "model.onnx")),
  featureLayout(TELCO_SPEC).names.length,
  { wasmBinary },
);

// Seeded edits of the levers the form offers: a random customer, one field changed to a random valid value.
const random = randomLcg(42);
const pick = <T>(xs: readonly T[]): T => xs[randomInt.source(random)(xs.length)()];
const choices: Record<string, () => RawRow[string]> = {
  contract: () => pick(["Month-to-month", "One year", "Two year"]),
  tenure: () => String(randomInt.source(random)(0, 73)()),
  monthly_charges: () => (18 + random() * 100).toFixed(2),
  total_charges: () => (random() * 8000).toFixed(2),
  internet_service: () => pick(["DSL", "Fiber optic", "No"]),
  tech_support: () => pick(["No", "Yes"]),
  online_security: () => pick(["No", "Yes"]),
  payment_method: () =>
    pick(["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]),
  paperless_billing: () => pick(["No", "Yes"]),
};
const fields = Object.keys(choices);

const times: number[] = [];
let maxDiff = 0;
for (let i = 0; i < edits + 20; i++) {
  const customer = pick(customers);
  const field = pick(fields);
  const t0 = performance.now();
  const { row } = checkInput(applyEdit(modelInputs(customer), field, choices[field]()).row);
  if (!row) throw new Error(`edit ${i} did not validate`);
  const x = encodeInput(row);
  const explanation = explainEncoded(explainer, x);
  waterfallSteps(explanation, { top: 8, row });
  const ms = performance.now() - t0;
  if (i >= 20) times.push(ms); // the first 20 warm up the JIT
  const [p] = await scorer.score(x);
  maxDiff = Math.max(maxDiff, Math.abs(p - explanation.probability));
}
// Every customer as stored: ONNX against TreeSHAP and against the pipeline's probability.
const all = customers.map((c) => encodeInput(modelInputs(c)));
const matrix = new Float32Array(all.length * all[0].length);
all.forEach((x, i) => {
  matrix.set(x, i * x.length);
});
const scores = await scorer.score(matrix);
let maxAll = 0;
let maxStored = 0;
all.forEach((x, i) => {
  maxAll = Math.max(maxAll, Math.abs(scores[i] - explainEncoded(explainer, x).probability));
  maxStored = Math.max(maxStored, Math.abs(scores[i] - Number(customers[i].probability)));
});
await scorer.release();

times.sort((a, b) => a - b);
const mean = times.reduce((s, t) => s + t, 0) / times.length;
const p95 = times[Math.min(times.length - 1, Math.ceil(0.95 * times.length) - 1)];
process.stdout.write(
  `what-if update (validate + encode + TreeSHAP score and values + probability terms + waterfall steps), ` +
    `${times.length} edits, ${trees.trees.length} trees:\n  mean ${mean.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, ` +
    `max ${times.at(-1)!.toFixed(2)} ms\n  max |ONNX − TreeSHAP| probability: ${maxDiff.toExponential(2)} over the edits, ` +
    `${maxAll.toExponential(2)} over all ${customers.length} customers; max |ONNX − pipeline probability| ` +
    `${maxStored.toExponential(2)}\n  run: ${run}\n`,
);
