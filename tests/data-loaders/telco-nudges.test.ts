/**
 * Every Telco nudge the fallback library writes, for all 7,043 real customers (the pipeline's own items: the enriched
 * rows, the model's SHAP drivers, the build-time counterfactual): each names at least two facts about its customer,
 * word for word; every fact it names is true of that customer; it names nothing else (the LLM's grounding check);
 * and no single text goes to more than 2% of the base. Uses the cached model (MODEL_CACHE_DIR) or trains it once.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { groundingProblem } from "../../data-loaders/llm/grounding.js";
import { generateMessages, type Message } from "../../data-loaders/llm/index.js";
import { cachedModel } from "../../data-loaders/model-cache.js";
import { driversOf } from "../../data-loaders/pipeline.js";
import { enrichTelco, type EnrichedTelcoRecord } from "../../data-loaders/telco/enrich.js";
import { readTelco } from "../../data-loaders/telco/ingest.js";
import { telcoNudgeItems, treeScorer } from "../../data-loaders/telco/nudge-items.js";
import { ACTIONABLE } from "../../src/lib/counterfactual.js";
import { OPERATING_THRESHOLD } from "../../src/lib/decision.js";
import type { RawRow } from "../../src/lib/features.js";
import { applyEdit, modelInputs } from "../../src/lib/whatif.js";
import { TELCO_CSV } from "../telco-csv.js";

let rows: EnrichedTelcoRecord[];
let messages: Record<string, Message>;
let score: (rows: RawRow[]) => Float64Array;

before(async () => {
  rows = enrichTelco((await readTelco({ path: TELCO_CSV })).rows, { seed: 42 });
  const { model } = await cachedModel("telco", rows, { seed: 42, cvRepeats: 3, log: () => {} });
  score = treeScorer(model);
  const { items } = await telcoNudgeItems(rows, model, (i) => driversOf(model, i, rows[i] as unknown as RawRow));
  const cacheDir = mkdtempSync(join(tmpdir(), "nudge-cache-"));
  ({ messages } = await generateMessages("nudge", items, { env: {}, cacheDir, log: () => {} }));
});

/** Is the fact (key = value) true of the customer? */
function isTrue(r: EnrichedTelcoRecord, key: string, value: string | number): boolean {
  const record = r as unknown as Record<string, string | number>;
  if (key === "support_calls" || key === "payment_delay_days") return value === record[key] && Number(value) > 0;
  if (key === "usage_frequency") return value === record[key] && Number(value) <= 3;
  if (key === "tenure") return value === r.tenure;
  if (key === "action") {
    const changes = String(value)
      .split("; ")
      .map((c) => c.split("="));
    let row = modelInputs(r);
    for (const [feature, to] of changes) {
      if (!ACTIONABLE.includes(feature) || row[feature] === to) return false;
      row = applyEdit(row, feature, to).row;
    }
    const [before, after] = score([modelInputs(r), row]);
    return before >= OPERATING_THRESHOLD && after < OPERATING_THRESHOLD;
  }
  return key in record && String(record[key]) === String(value);
}

describe("Telco nudges from the fallback library, all 7,043 customers", () => {
  it("each names at least two facts about its customer, word for word, and every one is true of them", () => {
    assert.equal(Object.keys(messages).length, 7043);
    for (const r of rows) {
      const m = messages[r.customer_id];
      assert.equal(m.provenance.source, "fallback");
      assert.ok((m.facts?.length ?? 0) >= 2, `${r.customer_id}: ${m.text}`);
      for (const f of m.facts!) {
        assert.ok(m.text.includes(f.phrase), `${r.customer_id}: "${f.phrase}" not in "${m.text}"`);
        assert.ok(isTrue(r, f.key, f.value), `${r.customer_id}: ${f.key} = ${f.value} is not true of them`);
      }
    }
  });

  it("names nothing it was not given (the same grounding check an LLM answer must pass)", () => {
    for (const r of rows) {
      const m = messages[r.customer_id];
      assert.equal(groundingProblem(m.text, m.facts!), null, `${r.customer_id}: ${m.text}`);
    }
  });

  it("says why: the personalised variant names its reasons; the control group's check-in says it is the control", () => {
    for (const r of rows) {
      const m = messages[r.customer_id];
      if (r.ab_variant === "A") {
        assert.match(m.because!, /^Control group \(A\): the standard check-in/);
        assert.ok(!m.facts!.some((f) => ["support_calls", "payment_delay_days", "action"].includes(f.key)));
      } else assert.match(m.because!, /^Because /);
    }
    const acted = rows.filter((r) => messages[r.customer_id].facts!.some((f) => f.key === "action"));
    assert.ok(acted.length > 0 && acted.every((r) => r.ab_variant === "B"));
  });

  it("no single text goes to more than 2% of customers", () => {
    const counts = new Map<string, number>();
    for (const m of Object.values(messages)) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
    const [text, n] = [...counts].sort((a, b) => b[1] - a[1])[0];
    assert.ok(n / 7043 <= 0.02, `${n} customers (${((100 * n) / 7043).toFixed(2)}%) get "${text}"`);
  });
});
