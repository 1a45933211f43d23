/**
 * The pipeline as a command.
 *   npm run pipeline -- --out DIR   write every artifact to DIR (the folder is replaced atomically)
 *   npm run pipeline -- --cached    make sure the content-addressed run for the current inputs exists; print its folder
 * Options come from the environment: TELCO_CSV, FOOD_N, SEED, CV_REPEATS and the LLM settings (docs/llm.md).
 */
import { rename, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensurePipeline, optionsFromEnv } from "../data-loaders/artifacts.js";
import { runPipeline } from "../data-loaders/pipeline.js";

process.env.OMP_WAIT_POLICY ??= "PASSIVE";

const { values } = parseArgs({ options: { out: { type: "string" }, cached: { type: "boolean" } } });
try {
  const options = optionsFromEnv();
  if (values.cached) {
    process.stdout.write(`${await ensurePipeline(options)}\n`);
  } else if (values.out) {
    const out = resolve(values.out);
    const tmp = `${out}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    try {
      await runPipeline({ ...options, out: tmp });
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    process.stderr.write(`pipeline: wrote ${out}\n`);
  } else {
    throw new Error("usage: npm run pipeline -- --out DIR   (or --cached)");
  }
} catch (error) {
  process.stderr.write(`pipeline failed: ${(error as Error).message}\n`);
  process.exit(1);
}
