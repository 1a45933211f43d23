/**
 * The pipeline's time and peak memory per stage at several base sizes (numbers, never pass/fail):
 *   npx tsx scripts/bench-pipeline.ts [--sizes 20000,1000000] [--cache DIR] [--cv-repeats 3] [--keep DIR]
 * Each size runs `scripts/pipeline.ts --out <temporary folder>` in a child process with FOOD_N set and
 * PIPELINE_STAGES pointing at a file where every stage appends its wall time and peak resident memory
 * (data-loaders/util/stages.ts). `--cache DIR` is the model cache (MODEL_CACHE_DIR); by default a new empty folder,
 * so every run is cold and its "telco" and "food model" stages include the training. The table is what docs/scale.md
 * shows.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { StageRecord } from "../data-loaders/util/stages.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "20000,1000000" },
    cache: { type: "string" },
    "cv-repeats": { type: "string", default: "3" },
    /** keep each size's published food metrics as DIR/food-metrics-<size>.json (the base's figures) */
    keep: { type: "string" },
  },
});
const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
for (const n of sizes) if (!Number.isInteger(n) || n < 1000) throw new Error(`--sizes: ${n} is not a base size`);

const rows: string[] = [];
for (const n of sizes) {
  const work = mkdtempSync(join(tmpdir(), "bench-pipeline-"));
  const cache = values.cache ?? join(work, "models");
  const stagesFile = join(work, "stages.jsonl");
  const started = performance.now();
  const child = spawnSync("npx", ["tsx", "scripts/pipeline.ts", "--out", join(work, "out")], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      FOOD_N: String(n),
      CV_REPEATS: values["cv-repeats"],
      PIPELINE_STAGES: stagesFile,
      MODEL_CACHE_DIR: cache,
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`pipeline at FOOD_N ${n} failed (exit ${child.status})`);
  const stages: StageRecord[] = readFileSync(stagesFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  if (values.keep) copyFileSync(join(work, "out", "food", "metrics.json"), join(values.keep, `food-metrics-${n}.json`));
  rmSync(work, { recursive: true, force: true });
  const peak = Math.max(...stages.map((s) => s.peakRssMb ?? 0));
  for (const s of stages)
    rows.push(`| ${n.toLocaleString("en-US")} | ${s.stage} | ${s.seconds.toFixed(1)} | ${s.peakRssMb ?? "?"} |`);
  rows.push(`| ${n.toLocaleString("en-US")} | **whole run** (process) | **${seconds.toFixed(1)}** | **${peak}** |`);
}
process.stdout.write(
  ["| customers | stage | seconds | peak RSS (MB) |", "| --: | --- | --: | --: |", ...rows].join("\n") + "\n",
);
