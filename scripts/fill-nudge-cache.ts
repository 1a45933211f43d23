/**
 * Fills the committed nudge cache (llm-cache/nudge.jsonl) from any OpenAI-compatible server, without publishing
 * anything or training anything (the Telco model comes from the model cache; docs/llm.md):
 *   LLM_BASE_URL=http://localhost:11434/v1 LLM_MODEL=qwen2.5:7b npm run llm:fill -- --budget 500
 *   TOGETHER_API_KEY=... npm run llm:fill                       (every customer)
 * --budget N: the N riskiest customers (default: all 7,043); --prune: drop entries no current prompt uses.
 * A later `npm run pipeline` (with or without a key) serves every cached, validated answer.
 */
import { parseArgs } from "node:util";
import { generateMessages, resolveProvider, readEnv } from "../data-loaders/llm/index.js";
import { cachedModel } from "../data-loaders/model-cache.js";
import { optionsFromEnv } from "../data-loaders/options.js";
import { driversOf } from "../data-loaders/pipeline.js";
import { enrichTelco } from "../data-loaders/telco/enrich.js";
import { readTelco } from "../data-loaders/telco/ingest.js";
import { telcoNudgeItems } from "../data-loaders/telco/nudge-items.js";
import type { RawRow } from "../src/lib/features.js";

const { values } = parseArgs({ options: { budget: { type: "string" }, prune: { type: "boolean" } } });
const log = (line: string) => void process.stderr.write(`${line}\n`);
try {
  if (!resolveProvider(readEnv()))
    throw new Error("no LLM provider configured: set LLM_BASE_URL and LLM_MODEL, or a key (docs/llm.md)");
  const options = optionsFromEnv();
  const rows = enrichTelco((await readTelco({ path: options.telcoCsv })).rows, { seed: options.seed });
  const { model } = await cachedModel("telco", rows, { seed: options.seed, cvRepeats: options.cvRepeats ?? 3, log });
  const { items } = await telcoNudgeItems(rows, model, (i) => driversOf(model, i, rows[i] as unknown as RawRow));
  const budget = values.budget === undefined ? items.length : Number(values.budget);
  if (!Number.isInteger(budget) || budget < 0) throw new Error(`invalid --budget: ${values.budget}`);
  const { summary } = await generateMessages("nudge", items, { budget, prune: values.prune ?? false, log });
  log(`llm:fill: ${summary.cache.added} new answers cached (${summary.cache.entries} entries in all)`);
} catch (error) {
  log(`llm:fill failed: ${(error as Error).message}`);
  process.exit(1);
}
