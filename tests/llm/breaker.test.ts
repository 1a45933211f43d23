import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createBreaker, isBreakerOpen } from "../../data-loaders/llm/breaker.js";
import { createCaller } from "../../data-loaders/llm/client.js";
import { generateMessages, type GenerateOptions } from "../../data-loaders/llm/generate.js";
import { nudgePrompt } from "../../data-loaders/llm/prompts.js";
import { resolveProvider } from "../../data-loaders/llm/provider.js";
import { CallFailure, sleep } from "../../data-loaders/llm/retry.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { nudgeFacts, nudgeItems } from "./fixtures.js";

let server: FakeServer;
before(async () => (server = await startFakeServer()));
after(() => server.close());

const env = () => ({ LLM_BASE_URL: server.baseURL, LLM_MODEL: "test-model", LLM_API_KEY: "sk-test-breaker" });
const options = (extra: GenerateOptions): GenerateOptions => ({
  env: env(),
  cacheDir: mkdtempSync(join(tmpdir(), "llm-breaker-")),
  timeoutMs: 2000,
  concurrency: 1,
  log: () => {},
  ...extra,
});

describe("circuit breaker (opossum) around the real client", () => {
  it("opens after repeated failures, refuses calls without reaching the server, half-opens after resetTimeout, closes on success", async () => {
    const breaker = createBreaker(createCaller(resolveProvider(env())!, { timeoutMs: 2000 }), {
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      resetTimeout: 300,
    });
    try {
      const prompt = nudgePrompt(nudgeFacts(0));
      server.behave({ type: "status", status: 503 });
      const start = server.hits.length;
      for (let i = 0; i < 3; i++)
        await assert.rejects(breaker.fire(prompt), (e) => e instanceof CallFailure && e.kind === "http-503");
      assert.equal(breaker.state, "open");
      await assert.rejects(breaker.fire(prompt), (e) => isBreakerOpen(e));
      assert.equal(server.hits.length - start, 3, "an open breaker does not call the server");
      assert.equal(breaker.rejects, 1);

      await sleep(350);
      assert.equal(breaker.state, "half-open");
      server.behave({ type: "status", status: 503 }); // a failed trial opens it again
      await assert.rejects(breaker.fire(prompt), (e) => e instanceof CallFailure);
      assert.equal(breaker.state, "open");

      await sleep(350);
      server.behave({ type: "success" });
      const completion = await breaker.fire(prompt);
      assert.match(completion.text, /months with us/);
      assert.equal(breaker.state, "closed");
      assert.deepEqual(breaker.transitions, ["open", "half-open", "open", "half-open", "closed"]);
    } finally {
      breaker.shutdown();
    }
  });

  it("in a run, stops calling a failing server: later customers get breaker-open fallbacks", async () => {
    server.behave({ type: "status", status: 503 });
    const start = server.hits.length;
    const { messages, summary } = await generateMessages(
      "nudge",
      nudgeItems(10),
      options({ maxRetries: 0, breaker: { volumeThreshold: 3, resetTimeout: 10_000 } }),
    );
    assert.equal(server.hits.length - start, 3);
    assert.deepEqual(summary.fallbackReasons, { "http-503": 3, "breaker-open": 7 });
    assert.deepEqual(summary.breaker, { state: "open", transitions: ["open"], rejects: 7 });
    assert.equal(Object.keys(messages).length, 10);
    assert.ok(Object.values(messages).every((m) => m.text.length > 0));
  });

  it("in a run, half-opens during a retry's backoff and closes when the trial call succeeds", async () => {
    const start = server.hits.length;
    server.behave((n) => (n - start < 2 ? { type: "status", status: 502 } : { type: "success" }));
    const { messages, summary } = await generateMessages(
      "nudge",
      nudgeItems(3),
      options({ maxRetries: 2, retryBaseMs: 100, breaker: { volumeThreshold: 2, resetTimeout: 40 } }),
    );
    assert.equal(server.hits.length - start, 5);
    assert.deepEqual(summary.breaker.transitions, ["open", "half-open", "closed"]);
    assert.equal(summary.breaker.state, "closed");
    assert.deepEqual(summary.bySource, { llm: 3, cache: 0, fallback: 0 });
    assert.equal(messages.C0000.provenance.source, "llm");
    assert.equal(summary.retries, 2);
  });
});
