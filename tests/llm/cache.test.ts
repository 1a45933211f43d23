import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import {
  cacheDirFrom,
  cacheKey,
  DEFAULT_CACHE_DIR,
  MessageCache,
  type CacheEntry,
} from "../../data-loaders/llm/cache.js";
import { nudgePrompt } from "../../data-loaders/llm/prompts.js";
import { nudgeFacts } from "./fixtures.js";

function entry(i: number, overrides: Partial<CacheEntry> = {}): CacheEntry {
  const prompt = nudgePrompt(nudgeFacts(i));
  const provider = overrides.provider ?? "together";
  const model = overrides.model ?? "m";
  return {
    key: cacheKey(provider, model, prompt),
    kind: "nudge",
    provider,
    model,
    promptVersion: prompt.version,
    promptHash: prompt.hash,
    params: prompt.params,
    text: `text ${i}`,
    generatedAt: "2025-01-01T00:00:00.000Z",
    ...overrides,
  };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "llm-cache-"));

describe("MessageCache", () => {
  it("addresses content by provider, model, template version, prompt and parameters", () => {
    const p = nudgePrompt(nudgeFacts(0));
    const key = cacheKey("together", "m", p);
    assert.equal(key, cacheKey("together", "m", nudgePrompt(nudgeFacts(0))));
    assert.notEqual(key, cacheKey("huggingface", "m", p));
    assert.notEqual(key, cacheKey("together", "m2", p));
    assert.notEqual(key, cacheKey("together", "m", { ...p, version: "nudge-v0" }));
    assert.notEqual(key, cacheKey("together", "m", { ...p, params: { ...p.params, temperature: 0 } }));
  });

  it("writes one sorted line per entry with sorted keys, whatever the insertion order", () => {
    const [a, b] = [tempDir(), tempDir()];
    const entries = [entry(0), entry(1), entry(2)];
    const ca = MessageCache.load(a, "nudge");
    for (const e of entries) ca.put(e);
    ca.save();
    const cb = MessageCache.load(b, "nudge");
    for (const e of [...entries].reverse()) cb.put(e);
    cb.save();
    const text = readFileSync(join(a, "nudge.jsonl"), "utf8");
    assert.equal(text, readFileSync(join(b, "nudge.jsonl"), "utf8"));
    const lines = text.trimEnd().split("\n");
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).key),
      entries.map((e) => e.key).sort(),
    );
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), Object.keys(JSON.parse(lines[0])).sort());
    assert.deepEqual(readdirSync(a), ["nudge.jsonl"]); // no temp file left behind
  });

  it("round-trips, writes only on change, and prunes to the kept keys", () => {
    const dir = tempDir();
    const c = MessageCache.load(dir, "nudge");
    c.put(entry(0));
    c.put(entry(1));
    assert.equal(c.save(), true);
    const again = MessageCache.load(dir, "nudge");
    assert.deepEqual(again.get(entry(1).key), entry(1));
    assert.equal(again.save(), false);
    assert.equal(again.save({ keep: new Set([entry(0).key]) }), true);
    assert.equal(MessageCache.load(dir, "nudge").size, 1);
  });

  it("finds any provider's answer by prompt hash, newest first, for keyless builds", () => {
    const c = MessageCache.load(tempDir(), "nudge");
    c.put(entry(0, { model: "old", generatedAt: "2025-01-01T00:00:00.000Z", text: "old" }));
    c.put(entry(0, { model: "new", generatedAt: "2025-02-01T00:00:00.000Z", text: "new" }));
    assert.equal(c.findByPrompt(entry(0).promptHash)?.text, "new");
  });

  it("refuses to write a secret", () => {
    const c = MessageCache.load(tempDir(), "nudge");
    c.put(entry(0, { text: "leaked sk-SECRET" }));
    assert.throws(() => c.save({ secrets: ["sk-SECRET"] }), /refusing to write a secret/);
  });

  it("is the committed llm-cache/ unless LLM_CACHE_DIR names another folder", () => {
    const root = resolve(DEFAULT_CACHE_DIR, "..");
    assert.equal(DEFAULT_CACHE_DIR, join(root, "llm-cache"));
    assert.equal(cacheDirFrom({}), DEFAULT_CACHE_DIR);
    assert.equal(cacheDirFrom({ LLM_CACHE_DIR: "  " }), DEFAULT_CACHE_DIR);
    assert.equal(cacheDirFrom({ LLM_CACHE_DIR: "/tmp/x" }), "/tmp/x");
    assert.equal(
      cacheDirFrom({ LLM_CACHE_DIR: "out/cache" }),
      join(root, "out", "cache"),
      "relative to the repository",
    );
  });

  it("names the file and line of a corrupt entry", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "offer.jsonl"), '{"key":"k","kind":"offer","text":"t"}\n<<<<<<< HEAD\n');
    assert.throws(() => MessageCache.load(dir, "offer"), /offer\.jsonl:2: <<<<<<< HEAD/);
  });
});
