/**
 * `npm run llm:fill` (scripts/fill-nudge-cache.ts) against the fake OpenAI-compatible server: it writes validated,
 * grounded answers for the riskiest customers into the cache folder it is given, trains nothing, publishes nothing;
 * a pipeline run without any provider then serves them from the cache.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TELCO_CSV } from "../telco-csv.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";

let server: FakeServer;
before(async () => (server = await startFakeServer()));
after(() => server.close());

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "scripts/fill-nudge-cache.ts", ...args], {
      env: { ...process.env, TELCO_CSV, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("npm run llm:fill", () => {
  it("fills the nudge cache from an OpenAI-compatible server for the riskiest customers, without training", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "llm-fill-"));
    const start = server.hits.length;
    const { code, stderr } = await run(["--budget", "3"], {
      LLM_BASE_URL: server.baseURL,
      LLM_MODEL: "test-model",
      LLM_CACHE_DIR: cacheDir,
    });
    assert.equal(code, 0, stderr);
    assert.equal(server.hits.length - start, 3);
    assert.match(stderr, /llm:fill: 3 new answers cached/);
    // Content-addressed: customers with the same facts share one prompt, hence one entry.
    const prompts = new Set(server.hits.slice(start).map((h) => JSON.stringify(h.body.messages)));
    const lines = readFileSync(join(cacheDir, "nudge.jsonl"), "utf8").trim().split("\n");
    assert.equal(lines.length, prompts.size);
    for (const line of lines) assert.equal(JSON.parse(line).promptVersion, "nudge-v2");
    // The fake server's prompt carried the facts, never a customer id.
    const prompt = JSON.stringify(server.hits[start].body);
    assert.match(prompt, /Facts about the customer you may use/);
    assert.doesNotMatch(prompt, /\d{4}-[A-Z]{5}/);
  });

  it("refuses to run without a provider, naming what to set", async () => {
    const { code, stderr } = await run([], { LLM_BASE_URL: "", LLM_MODEL: "", LLM_PROVIDER: "" });
    assert.equal(code, 1);
    assert.match(stderr, /no LLM provider configured: set LLM_BASE_URL and LLM_MODEL/);
  });
});
