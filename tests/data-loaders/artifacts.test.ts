import assert from "node:assert/strict";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pipelineKey, type PipelineOptions } from "../../data-loaders/artifacts.js";
import { DEFAULT_CACHE_DIR } from "../../data-loaders/llm/cache.js";

const options: PipelineOptions = { foodN: 2000, seed: 1, cvRepeats: 1 };

describe("pipelineKey", () => {
  it("hashes the LLM cache folder in use by content, wherever it is", async () => {
    const [a, b] = [mkdtempSync(join(tmpdir(), "key-cache-a-")), mkdtempSync(join(tmpdir(), "key-cache-b-"))];
    writeFileSync(join(a, "nudge.jsonl"), '{"key":"k1"}\n');
    cpSync(a, b, { recursive: true });
    const key = await pipelineKey(options, "none", a);
    assert.match(key, /^[0-9a-f]{20}$/);
    assert.equal(await pipelineKey(options, "none", b), key, "same content elsewhere: same key");
    writeFileSync(join(b, "nudge.jsonl"), '{"key":"k1"}\n{"key":"k2"}\n');
    assert.notEqual(await pipelineKey(options, "none", b), key, "an added answer: a new key");
    // The committed folder and a copy of it: the same key.
    const committed = mkdtempSync(join(tmpdir(), "key-cache-default-"));
    cpSync(DEFAULT_CACHE_DIR, committed, { recursive: true });
    assert.equal(await pipelineKey(options, "none", committed), await pipelineKey(options, "none", DEFAULT_CACHE_DIR));
  });
});
