/** src/lib/audit.ts, the beacon client: body shape and caps, and its behaviour with and without a browser. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { audit, AUDIT_ENDPOINT, AUDIT_LIMITS, auditBody } from "../../src/lib/audit.js";

describe("auditBody", () => {
  it("auditBody(event, detail, page) is a small JSON object", () => {
    assert.deepEqual(
      JSON.parse(auditBody("whatif_run", { tenure: 12, contract: "Month-to-month" }, "/telco/customer")!),
      {
        event: "whatif_run",
        page: "/telco/customer",
        detail: { tenure: 12, contract: "Month-to-month" },
      },
    );
  });

  it("auditBody rejects malformed event names", () => {
    for (const bad of ["", "Page View", "x\ny", "a".repeat(65), "1st"])
      assert.equal(auditBody(bad), null, JSON.stringify(bad));
  });

  it("auditBody caps fields, names and values, drops non-finite numbers and other types", () => {
    const detail: Record<string, unknown> = { nan: NaN, obj: { a: 1 }, long: "v".repeat(1000), ["k".repeat(100)]: 1 };
    for (let i = 0; i < 40; i++) detail[`f${i}`] = i;
    const body = JSON.parse(auditBody("list_exported", detail as Record<string, number>)!);
    assert.equal(Object.keys(body.detail).length, AUDIT_LIMITS.fields);
    assert.equal(body.detail.long.length, AUDIT_LIMITS.value);
    assert.ok(!("nan" in body.detail) && !("obj" in body.detail));
    assert.ok(Object.keys(body.detail).every((k) => k.length <= AUDIT_LIMITS.key));
  });

  it("auditBody stays under the byte cap with multi-byte text", () => {
    const detail = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`f${i}`, "✓".repeat(256)]));
    const body = auditBody("report_downloaded", detail)!;
    assert.ok(new TextEncoder().encode(body).length <= AUDIT_LIMITS.body);
    assert.deepEqual(JSON.parse(body).detail, { truncated: 1 });
  });
});

describe("audit", () => {
  const g = globalThis as Record<string, unknown>;
  const saved = {
    window: g.window,
    navigator: Object.getOwnPropertyDescriptor(globalThis, "navigator"),
    fetch: g.fetch,
  };
  afterEach(() => {
    g.window = saved.window;
    if (saved.navigator) Object.defineProperty(globalThis, "navigator", saved.navigator);
    g.fetch = saved.fetch;
  });
  const fakeBrowser = (sendBeacon?: (url: string, body: string) => boolean) => {
    g.window = { location: { pathname: "/models" } };
    Object.defineProperty(globalThis, "navigator", { value: { sendBeacon }, configurable: true });
  };

  it("audit() is a silent no-op outside a browser", () => {
    assert.equal(audit("page_view"), undefined);
  });

  it("audit() sends one beacon to /api/audit", () => {
    const sent: Array<[string, string]> = [];
    fakeBrowser((url, body) => (sent.push([url, body]), true));
    audit("page_view");
    assert.deepEqual(sent, [[AUDIT_ENDPOINT, JSON.stringify({ event: "page_view", page: "/models", detail: {} })]]);
  });

  it("audit() falls back to fetch with keepalive when the beacon queue refuses", () => {
    const calls: Array<[string, RequestInit]> = [];
    fakeBrowser(() => false);
    g.fetch = (url: string, init: RequestInit) => (calls.push([url, init]), Promise.reject(new Error("offline")));
    audit("customer_opened", { customer_id: "7590-VHVEG" });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]![1].keepalive, true);
  });

  it("audit() swallows every error", () => {
    fakeBrowser(() => {
      throw new Error("boom");
    });
    assert.doesNotThrow(() => audit("page_view"));
  });
});
