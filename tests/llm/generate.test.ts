import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateMessages, type GenerateOptions } from "../../data-loaders/llm/generate.js";
import { closedPortURL, startFakeServer, type Fault, type FakeServer } from "./fake-server.js";
import { nudgeItems, offerFacts } from "./fixtures.js";

const KEY = "sk-test-GENERATE-9f8e7d6c5b4a";

let server: FakeServer;
before(async () => (server = await startFakeServer()));
after(() => server.close());

function envFor(baseURL: string) {
  return { LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: baseURL, LLM_MODEL: "test-model", LLM_API_KEY: KEY };
}

/** Small timeouts and backoff so the suite stays fast; a lenient breaker unless a test wants one. */
function options(extra: GenerateOptions = {}): GenerateOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    env: envFor(server.baseURL),
    cacheDir: mkdtempSync(join(tmpdir(), "llm-gen-")),
    timeoutMs: 2000, // generous: a loaded machine must not turn other faults into timeouts
    maxRetries: 2,
    retryBaseMs: 10,
    retryMaxMs: 40,
    breaker: { volumeThreshold: 1000, resetTimeout: 1000 },
    log: (line) => lines.push(line),
    lines,
    ...extra,
  };
}

function cacheText(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("");
}

/** One customer through one fault: the message, the server hits it caused, and the summary. */
async function runOne(fault: Fault, extra: GenerateOptions = {}) {
  server.behave(fault);
  const start = server.hits.length;
  const o = options(extra);
  const { messages, summary } = await generateMessages("nudge", nudgeItems(1), o);
  return { message: messages.C0000, hits: server.hits.length - start, summary, o };
}

describe("generateMessages against a real OpenAI-compatible server", () => {
  it("refuses a reply that names a fact it was not given (grounding) and falls back, naming the reason", async () => {
    // Customer C0000 made no support call and has no tech support fact: both claims are invented.
    for (const content of [
      "You called our support team 12 times lately; reply and we will sort it out for good.",
      "Your two-year contract is about to end; reply and our team will help you renew.",
      "As a senior customer you matter to us; reply and our care team will call you.",
    ]) {
      const { message, summary } = await runOne({ type: "success", content }, { maxRetries: 0 });
      assert.equal(message.provenance.source, "fallback", content);
      assert.equal(message.provenance.reason, "rejected:ungrounded", content);
      assert.equal(summary.rejections.ungrounded, 1);
      assert.ok((message.facts?.length ?? 0) >= 2, "the fallback names its own facts");
    }
  });

  it("writes LLM messages with provenance and sends the facts, not the customer id", async () => {
    server.behave({ type: "success" });
    const start = server.hits.length;
    const o = options();
    const { messages, summary } = await generateMessages("nudge", nudgeItems(3), o);
    assert.equal(server.hits.length - start, 3);
    const m = messages.C0001;
    assert.equal(m.text, "After 3 months with us, you deserve a plan that fits; reply and our team will help.");
    assert.equal(m.provenance.source, "llm");
    assert.equal(m.provenance.model, "test-model");
    assert.equal(m.provenance.provider, "openai-compatible");
    assert.equal(m.provenance.promptVersion, "nudge-v2");
    // The facts the text names, each one given in the prompt: the tenure (3 months).
    assert.deepEqual(
      m.facts?.map((f) => [f.key, f.value]),
      [["tenure", 3]],
    );
    assert.match(m.provenance.promptHash, /^[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(m.provenance.generatedAt!)));
    assert.equal(m.provenance.reason, null);
    const hit = server.hits[start];
    assert.equal(hit.body.model, "test-model");
    assert.equal(hit.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!JSON.stringify(hit.body).includes("C000"), "customer ids are not sent");
    assert.deepEqual(summary.bySource, { llm: 3, cache: 0, fallback: 0 });
    assert.equal(summary.calls, 3);
    assert.equal(summary.cache.added, 3);
  });

  it("gives everyone a message but calls the LLM for the top-K risk customers only", async () => {
    server.behave({ type: "success" });
    const start = server.hits.length;
    const items = nudgeItems(6).reverse(); // input order must not matter: rank is by probability
    const { messages, summary } = await generateMessages("nudge", items, options({ budget: 2 }));
    assert.equal(server.hits.length - start, 2);
    assert.deepEqual(
      Object.keys(messages),
      items.map((i) => i.id),
    );
    const llm = Object.entries(messages)
      .filter(([, m]) => m.provenance.source === "llm")
      .map(([id]) => id);
    assert.deepEqual(llm.sort(), ["C0000", "C0001"]); // the two highest probabilities
    assert.equal(messages.C0005.provenance.reason, "budget");
    assert.equal(summary.fallbackReasons.budget, 4);
  });

  it("retries a 429 after its Retry-After, then succeeds", async () => {
    let n = 0;
    const r = await runOne({ type: "success" });
    server.behave(() =>
      n++ === 0 ? { type: "status", status: 429, headers: { "retry-after": "1" } } : { type: "success" },
    );
    const start = server.hits.length;
    const t0 = Date.now();
    const { messages, summary } = await generateMessages("nudge", nudgeItems(1), options({ retryAfterCapMs: 2000 }));
    assert.ok(Date.now() - t0 >= 950, "waited for Retry-After");
    assert.equal(server.hits.length - start, 2);
    assert.equal(messages.C0000.text, r.message.text);
    assert.equal(summary.retries, 1);
    assert.deepEqual(summary.failures, { "http-429": 1 });
  });

  it("does not wait for a Retry-After beyond the cap: fallback http-429 after one hit", async () => {
    const { message, hits } = await runOne({ type: "status", status: 429, headers: { "retry-after": "120" } });
    assert.equal(hits, 1);
    assert.equal(message.provenance.source, "fallback");
    assert.equal(message.provenance.reason, "http-429");
  });

  it("retries 503 at most maxRetries times, then falls back with http-503", async () => {
    const { message, hits, summary } = await runOne({ type: "status", status: 503 });
    assert.equal(hits, 3);
    assert.equal(message.provenance.reason, "http-503");
    assert.equal(summary.retries, 2);
    assert.deepEqual(summary.failures, { "http-503": 3 });
    assert.ok(message.text.length > 0 && message.provenance.model === null && message.provenance.generatedAt === null);
  });

  it("does not retry a 401 and never prints the key the server echoes back", async () => {
    const body = JSON.stringify({ error: { message: `Invalid API key: ${KEY}` } });
    const { message, hits, o } = await runOne({ type: "status", status: 401, body });
    assert.equal(hits, 1);
    assert.equal(message.provenance.reason, "http-401");
    assert.ok(!o.lines.join("\n").includes(KEY));
  });

  it("times out a request that never answers, with bounded retries", async () => {
    const t0 = Date.now();
    const { message, hits } = await runOne({ type: "hang" }, { maxRetries: 1, timeoutMs: 200 });
    assert.equal(message.provenance.reason, "timeout");
    assert.equal(hits, 2);
    assert.ok(Date.now() - t0 < 2000);
  });

  it("times out a response whose body never finishes", async () => {
    const { message, hits } = await runOne({ type: "hang-body" }, { maxRetries: 0, timeoutMs: 200 });
    assert.equal(message.provenance.reason, "timeout");
    assert.equal(hits, 1);
  });

  it("falls back with network after retrying a refused connection", async () => {
    server.behave({ type: "success" });
    const { messages, summary } = await generateMessages(
      "nudge",
      nudgeItems(1),
      options({ env: envFor(await closedPortURL()) }),
    );
    assert.equal(messages.C0000.provenance.reason, "network");
    assert.deepEqual(summary.failures, { network: 3 });
  });

  it("does not retry malformed JSON", async () => {
    const { message, hits } = await runOne({ type: "malformed" });
    assert.equal(hits, 1);
    assert.equal(message.provenance.reason, "malformed-response");
  });

  it("treats a JSON answer without choices as malformed", async () => {
    const { message } = await runOne({ type: "raw", body: '{"object": "error"}' });
    assert.equal(message.provenance.reason, "malformed-response");
  });

  it("rejects empty content", async () => {
    const { message, hits, summary } = await runOne({ type: "success", content: "" });
    assert.equal(hits, 1);
    assert.equal(message.provenance.reason, "rejected:empty");
    assert.deepEqual(summary.rejections, { empty: 1 });
  });

  const unsafe: Array<[string, string]> = [
    ["<script>alert(1)</script> Stay with us!", "rejected:html"],
    ["<p>Stay with us!</p>", "rejected:html"],
    ["**Stay** with us!", "rejected:markdown"],
    ["## Offer\nStay with us!", "rejected:markdown"],
    ["Stay with us: https://evil.example/win", "rejected:link"],
    ["Write to win@evil.example.com", "rejected:email"],
    ["Stay with us and get 50% off!", "rejected:over-cap"],
    ["Stay, " + "really ".repeat(60), "rejected:too-long"],
  ];
  for (const [content, reason] of unsafe) {
    it(`replaces an answer carrying ${JSON.stringify(content.slice(0, 24))} with a fallback (${reason})`, async () => {
      const { message } = await runOne({ type: "success", content });
      assert.equal(message.provenance.source, "fallback");
      assert.equal(message.provenance.reason, reason);
      assert.ok(!message.text.includes("<") && !message.text.includes("http"));
    });
  }

  it("rejects an answer cut off at max_tokens", async () => {
    const { message } = await runOne({ type: "success", content: "We value you and", finishReason: "length" });
    assert.equal(message.provenance.reason, "rejected:too-long");
  });

  it("lets an offer name its amount only through the token the page fills: ₹80, none or two tokens are refused", async () => {
    const items = [{ id: "F1", facts: offerFacts(0) }];
    for (const [content, reason] of [
      ["We miss you! Here is ₹80 off your next order.", "rejected:amount-token"],
      ["We miss you! Here is {amount} off, and 10% more next week.", "rejected:over-cap"],
      ["We miss you! Order again soon.", "rejected:amount-token"],
      ["Here is {amount} off, then {amount} more.", "rejected:amount-token"],
    ]) {
      server.behave({ type: "success", content });
      const refused = await generateMessages("offer", items, options());
      assert.equal(refused.messages.F1.provenance.reason, reason, content);
      assert.match(refused.messages.F1.text, /late/); // the fallback speaks to the top driver, late deliveries
      assert.equal(refused.messages.F1.text.split("{amount}").length, 2);
    }
    server.behave({
      type: "success",
      content: "Sorry about the late deliveries! Here is {amount} off your next order.",
    });
    const ok = await generateMessages("offer", items, options());
    assert.equal(ok.messages.F1.provenance.source, "llm");
    assert.equal(ok.messages.F1.text, "Sorry about the late deliveries! Here is {amount} off your next order.");
  });

  it("keeps at most `concurrency` requests in flight and within maxCalls", async () => {
    server.behave({ type: "success", delayMs: 30 });
    const fresh = await startFakeServer({ type: "success", delayMs: 30 });
    try {
      await generateMessages("nudge", nudgeItems(8), options({ env: envFor(fresh.baseURL), concurrency: 3 }));
      assert.equal(fresh.maxInFlight, 3);
      fresh.behave({ type: "status", status: 500 });
      const before = fresh.hits.length;
      const { summary } = await generateMessages(
        "nudge",
        nudgeItems(8),
        options({ env: envFor(fresh.baseURL), maxCalls: 5 }),
      );
      assert.equal(fresh.hits.length - before, 5);
      assert.equal(summary.calls, 5);
      assert.equal(summary.bySource.fallback, 8);
    } finally {
      await fresh.close();
    }
  });

  it("prints progress lines while generating and a summary at the end", async () => {
    server.behave({ type: "success", delayMs: 40 });
    const o = options({ progressEveryMs: 25, concurrency: 1 });
    await generateMessages("nudge", nudgeItems(4), o);
    assert.ok(
      o.lines.some((l) => /^llm nudge: \d\/4 \(llm \d/.test(l)),
      o.lines.join("\n"),
    );
    assert.ok(o.lines.some((l) => l.includes("breaker closed, transitions: none")));
  });
});

describe("the committed cache", () => {
  it("reproduces the first run's output with the server off, with or without a provider, and holds no key", async () => {
    server.behave({ type: "success" });
    const cacheDir = mkdtempSync(join(tmpdir(), "llm-cache-run-"));
    const items = nudgeItems(5);
    const first = await generateMessages("nudge", items, options({ cacheDir }));
    const fileAfterFirst = cacheText(cacheDir);

    const off = await closedPortURL();
    const second = await generateMessages("nudge", items, options({ cacheDir, env: envFor(off) }));
    const lines: string[] = [];
    const keyless = await generateMessages("nudge", items, options({ cacheDir, env: {}, log: (l) => lines.push(l) }));

    for (const { id } of items) {
      assert.equal(first.messages[id].provenance.source, "llm");
      assert.deepEqual(second.messages[id], {
        ...first.messages[id],
        provenance: { ...first.messages[id].provenance, source: "cache" },
      });
    }
    assert.deepEqual(keyless.messages, second.messages);
    assert.equal(second.summary.calls, 0);
    assert.equal(cacheText(cacheDir), fileAfterFirst, "a cached run leaves the file as it was");
    assert.equal(lines.filter((l) => l.includes("no provider configured")).length, 1);

    assert.ok(!fileAfterFirst.includes(KEY), "the cache holds no key");
    for (const run of [first, second, keyless]) assert.ok(!JSON.stringify(run).includes(KEY), "messages hold no key");
  });

  it("reads and writes the folder LLM_CACHE_DIR names, and nothing else", async () => {
    server.behave({ type: "success" });
    const cacheDir = mkdtempSync(join(tmpdir(), "llm-env-dir-"));
    const env = { ...envFor(server.baseURL), LLM_CACHE_DIR: cacheDir };
    const first = await generateMessages("nudge", nudgeItems(2), options({ cacheDir: undefined, env }));
    assert.equal(first.summary.cache.added, 2);
    assert.deepEqual(readdirSync(cacheDir), ["nudge.jsonl"]);
    const off = { ...envFor(await closedPortURL()), LLM_CACHE_DIR: cacheDir };
    const second = await generateMessages("nudge", nudgeItems(2), options({ cacheDir: undefined, env: off }));
    assert.deepEqual(second.summary.bySource, { llm: 0, cache: 2, fallback: 0 });
  });

  it("falls back with no-provider when nothing is configured and nothing is cached, saying so once", async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const cacheDir = mkdtempSync(join(tmpdir(), "llm-none-"));
    const a = await generateMessages("nudge", nudgeItems(3), { env: {}, cacheDir, log });
    await generateMessages("offer", [{ id: "F1", facts: offerFacts(1) }], { env: {}, cacheDir, log });
    assert.equal(a.messages.C0002.provenance.reason, "no-provider");
    assert.equal(a.summary.bySource.fallback, 3);
    assert.equal(lines.filter((l) => l.includes("no provider configured")).length, 1);
    const again = await generateMessages("nudge", nudgeItems(3), { env: {}, cacheDir, log });
    assert.deepEqual(again.messages, a.messages, "fallback output is reproducible");
    assert.deepEqual(readdirSync(cacheDir), [], "nothing to cache");
  });

  it("names invalid input", async () => {
    await assert.rejects(generateMessages("sms" as never, []), /invalid kind: "sms"/);
    const items = [...nudgeItems(1), ...nudgeItems(1)];
    await assert.rejects(generateMessages("nudge", items, { env: {} }), /duplicate item id: C0000/);
    const bad = nudgeItems(1, { churnProbability: 1.5 });
    await assert.rejects(generateMessages("nudge", bad, { env: {} }), /invalid churnProbability for C0000: 1.5/);
  });
});
