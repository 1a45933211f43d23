/**
 * The pipeline as a command.
 *   npm run pipeline                publish every artifact into src/data/ (what the site attaches)
 *   npm run pipeline -- --out DIR   publish into DIR instead (an empty or new folder, or an earlier pipeline output)
 * Training is reused from .cache/models/ while its key holds (data-loaders/model-cache.ts); the rest runs every time.
 * Options come from the environment: TELCO_CSV, FOOD_N, SEED, CV_REPEATS and the LLM settings (docs/llm.md).
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../data-loaders/model-cache.js";
import { optionsFromEnv } from "../data-loaders/options.js";
import { runPipeline } from "../data-loaders/pipeline.js";
import type { PublishedMetrics } from "../src/lib/artifacts.js";

/** The headline figures of both models, with the Telco targets of docs/model-card.md. */
async function report(dir: string): Promise<void> {
  for (const name of ["telco", "food"]) {
    const m: PublishedMetrics = JSON.parse(await readFile(join(dir, name, "metrics.json"), "utf8"));
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
    const vs = (label: string, s: { rocAuc: { mean: number }; brier: { mean: number } }) =>
      `${label} ${s.rocAuc.mean.toFixed(4)} / ${s.brier.mean.toFixed(4)}`;
    const baselines =
      `${name}: CV ROC AUC / Brier — ${vs("logistic (fair)", m.cv.logistic.perFold.platt)}, ` +
      `${vs("logistic (raw)", m.cv.logisticRaw.perFold.platt)}, ${vs("50/50 blend", m.cv.blend.perFold)}`;
    process.stderr.write(`${line}${targets}\n${baselines}\n`);
  }
}

const { values } = parseArgs({ options: { out: { type: "string" } } });
try {
  const out = resolve(values.out ?? join(ROOT, "src", "data"));
  const started = performance.now();
  const changed = await runPipeline({ ...optionsFromEnv(), out });
  await report(out);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `pipeline: ${changed.length ? `${changed.length} file(s) changed` : "nothing changed"} in ${relative(process.cwd(), out) || "."} (${seconds} s)\n`,
  );
} catch (error) {
  process.stderr.write(`pipeline failed: ${(error as Error).message}\n`);
  process.exit(1);
}
