/**
 * The pipeline as a command.
 *   npm run pipeline -- --out DIR   write every artifact to DIR (the folder is replaced atomically)
 *   npm run pipeline -- --cached    make sure the content-addressed run for the current inputs exists; print its folder
 * Options come from the environment: TELCO_CSV, FOOD_N, SEED, CV_REPEATS and the LLM settings (docs/llm.md).
 */
import { readFile, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensurePipeline, optionsFromEnv } from "../data-loaders/artifacts.js";
import { runPipeline } from "../data-loaders/pipeline.js";

process.env.OMP_WAIT_POLICY ??= "PASSIVE";

/** The headline figures of both models, with the Telco targets of docs/model-card.md. */
async function report(dir: string): Promise<void> {
  for (const name of ["telco", "food"]) {
    const m = JSON.parse(await readFile(join(dir, name, "metrics.json"), "utf8"));
    const cv = m.cv.xgboost;
    const f = (s: { mean: number; sd: number }) => `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}`;
    const line =
      `${name}: ${cv.repeats}×${cv.k}-fold CV ROC AUC ${f(cv.perFold.platt.rocAuc)}, Brier ${f(cv.perFold.platt.brier)}, ` +
      `pooled ECE ${cv.pooled.platt.summary.ece.mean.toFixed(4)}; test AUC ${m.test.calibrated.rocAuc.toFixed(4)}`;
    const targets =
      name === "telco"
        ? ` — targets AUC ≥ 0.850 ${cv.perFold.platt.rocAuc.mean >= 0.85 ? "met" : "MISSED"}, ` +
          `Brier ≤ 0.134 ${cv.perFold.platt.brier.mean <= 0.134 ? "met" : "MISSED"}, ` +
          `ECE ≤ 0.02 ${cv.pooled.platt.summary.ece.mean <= 0.02 ? "met" : "MISSED"}`
        : "";
    process.stderr.write(`${line}${targets}\n`);
  }
}

const { values } = parseArgs({ options: { out: { type: "string" }, cached: { type: "boolean" } } });
try {
  const options = optionsFromEnv();
  if (values.cached) {
    const dir = await ensurePipeline(options);
    await report(dir);
    process.stdout.write(`${dir}\n`);
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
    await report(out);
    process.stderr.write(`pipeline: wrote ${out}\n`);
  } else {
    throw new Error("usage: npm run pipeline -- --out DIR   (or --cached)");
  }
} catch (error) {
  process.stderr.write(`pipeline failed: ${(error as Error).message}\n`);
  process.exit(1);
}
