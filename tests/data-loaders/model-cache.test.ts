import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cachedModel, modelKey, modelSources } from "../../data-loaders/model-cache.js";
import { foodRows } from "../../data-loaders/food/generate.js";

const rows = [...foodRows({ n: 1200, seed: 3 })];
const quiet = { seed: 3, cvRepeats: 1, log: () => {} };

describe("the model stage's cache key", () => {
  it("covers the training code but not the column table, labels, pages or profit arithmetic", async () => {
    const { files, packages } = await modelSources();
    assert.ok(files.includes("models/pipeline.ts") && files.includes("models/xgboost.ts"), files.join(", "));
    for (const display of ["src/lib/columns.ts", "src/lib/features.ts", "src/lib/tiers.ts", "src/lib/profit.ts"]) {
      assert.ok(!files.includes(display), `${display} is not a model input`);
    }
    assert.ok(packages.includes("koffi") && packages.includes("onnx-proto"), packages.join(", "));
  });

  it("changes with the data, the seed and the CV repeats, and only with them", async () => {
    const key = await modelKey("food", rows, quiet);
    assert.equal(
      await modelKey(
        "food",
        rows.map((r) => ({ ...r })),
        quiet,
      ),
      key,
      "same data: same key",
    );
    const edited = rows.map((r, i) => (i === 5 ? { ...r, recency_days: r.recency_days + 1 } : r));
    assert.notEqual(await modelKey("food", edited, quiet), key, "one value: a new key");
    const relabelled = rows.map((r, i) => (i === 5 ? { ...r, churned: (1 - r.churned) as 0 | 1 } : r));
    assert.notEqual(await modelKey("food", relabelled, quiet), key, "one label: a new key");
    assert.notEqual(await modelKey("food", rows, { ...quiet, seed: 4 }), key);
    assert.notEqual(await modelKey("food", rows, { ...quiet, cvRepeats: 2 }), key);
    // Columns the model does not read (the value, the true probability) do not retrain it.
    const revalued = rows.map((r) => ({ ...r, ltv: r.ltv * 2, true_churn_prob: 0.5 }));
    assert.equal(await modelKey("food", revalued, quiet), key);
  });
});

describe("cachedModel", { timeout: 300_000 }, () => {
  it("trains once, then reuses exactly what it stored", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "model-cache-"));
    const first = await cachedModel("food", rows, { ...quiet, cacheDir });
    assert.equal(first.reused, false);
    const second = await cachedModel("food", rows, { ...quiet, cacheDir });
    assert.equal(second.reused, true);
    assert.equal(second.key, first.key);
    // Bytes compare as plain Uint8Arrays (XGBoost hands back a Buffer, a file read a copy).
    const plain = ({ metrics, modelJson, onnx, ...rest }: typeof first.model) => ({
      ...rest,
      modelJson: new Uint8Array(modelJson),
      onnx: new Uint8Array(onnx),
      metrics,
    });
    const { metrics: m1, ...a } = plain(first.model);
    const { metrics: m2, ...b } = plain(second.model);
    assert.deepEqual(b, a);
    assert.deepEqual(JSON.parse(JSON.stringify(m2)), JSON.parse(JSON.stringify(m1)));
  });
});
