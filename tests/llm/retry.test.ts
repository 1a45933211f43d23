import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { limit } from "../../data-loaders/llm/limit.js";
import { backoffMs, CallFailure, parseRetryAfter, sleep } from "../../data-loaders/llm/retry.js";

describe("retry policy", () => {
  it("backoffMs doubles per attempt, stays within [step/2, step] and the ceiling, and is reproducible", () => {
    const o = { baseMs: 500, maxMs: 8000 };
    for (let attempt = 0; attempt < 8; attempt++) {
      const step = Math.min(8000, 500 * 2 ** attempt);
      const ms = backoffMs(attempt, "C1", o);
      assert.ok(ms >= step / 2 && ms <= step, `${attempt}: ${ms}`);
      assert.equal(ms, backoffMs(attempt, "C1", o));
    }
    assert.notEqual(backoffMs(3, "C1", o), backoffMs(3, "C2", o));
  });

  it("parseRetryAfter reads seconds, HTTP dates and retry-after-ms", () => {
    assert.equal(parseRetryAfter(new Headers({ "retry-after": "3" })), 3000);
    assert.equal(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "3" })), 250);
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now), 5000);
    assert.equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it("retries only 429, 5xx and network-level failures", () => {
    const retryable = (kind: ConstructorParameters<typeof CallFailure>[0]) => new CallFailure(kind, "").retryable;
    assert.deepEqual(
      ["http-429", "http-500", "http-503", "timeout", "network"].map((k) => retryable(k as never)),
      [true, true, true, true, true],
    );
    assert.deepEqual(
      ["http-400", "http-401", "http-404", "malformed-response"].map((k) => retryable(k as never)),
      [false, false, false, false],
    );
  });
});

describe("limit", () => {
  it("runs at most n tasks at once, in call order", async () => {
    const run = limit(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [30, 10, 10, 10, 10].map((ms, i) =>
        run(async () => {
          order.push(i);
          peak = Math.max(peak, ++active);
          await sleep(ms);
          active--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it("names an invalid concurrency", () => {
    assert.throws(() => limit(0), /invalid concurrency: 0/);
  });
});
