/** The audit schema (src/lib/audit-schema.ts) and the page's client (src/lib/audit.ts): bodies, queue, retries. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { AUDIT_SCHEMA, checkAuditEvent } from "../../src/lib/audit-schema.js";
import {
  audit,
  AUDIT_ENDPOINT,
  AUDIT_EVENTS,
  AUDIT_QUEUE,
  auditBody,
  auditStats,
  flushAudit,
  resetAudit,
} from "../../src/lib/audit.js";

const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("audit schema", () => {
  it("accepts the events the pages send today", () => {
    const today: Array<[string, Record<string, string | number>]> = [
      ["page_view", { page: "telco/customer" }],
      ["customer_opened", { customer: "7590-VHVEG" }],
      ["whatif_run", { customer: "7590-VHVEG" }],
      ["report_downloaded", { customer: "7590-VHVEG" }],
      ["list_exported", { rows: 1234 }],
      ["chart_downloaded", { chart: "whatif-waterfall-7590-VHVEG", format: "svg" }],
    ];
    for (const [event, detail] of today) {
      const checked = checkAuditEvent({ id: ID, event, page: "/telco/customer", detail });
      assert.ok(checked.ok, `${event}: ${!checked.ok && checked.error}`);
    }
  });

  it("records decisions with their parameters: filters, sliders, threshold and policy, exports with economics", () => {
    const decisions: Array<[string, Record<string, string | number>]> = [
      ["filter_changed", { filter: "contract", value: "Month-to-month", dataset: "telco" }],
      ["economics_changed", { dataset: "food", ltv: 2400, coupon_cost: 150, contact_cost: 5, acceptance: 0.3 }],
      ["threshold_changed", { threshold: 0.42, policy: "manual", dataset: "food", model: "xgboost" }],
      [
        "list_exported",
        { rows: 812, dataset: "food", model: "xgboost", threshold: 0.42, policy: "optimum", ltv: 2400 },
      ],
      ["whatif_run", { customer: "7590-VHVEG", tenure: 24, contract: "Two year", churn_before: 0.61 }],
      [
        "economics_changed",
        {
          dataset: "telco",
          cost_model: "coupon",
          value_mode: "customer",
          coupon_cost: 50,
          contact_cost: 2,
          acceptance: 0.3,
        },
      ],
      [
        "policy_changed",
        { policy: "budget", customers: 1890, budget: 100000, dataset: "food", model: "oof_probability" },
      ],
      [
        "list_exported",
        {
          rows: 18126,
          dataset: "food",
          policy: "optimum",
          customers: 18126,
          cost_model: "gift",
          value_mode: "flat",
          ltv: 500,
        },
      ],
    ];
    for (const [event, detail] of decisions) {
      const checked = checkAuditEvent({ id: ID, event, page: "/food/retention", detail });
      assert.ok(checked.ok, `${event}: ${!checked.ok && checked.error}`);
    }
  });

  it("refuses unknown events and fields, free text, out-of-range numbers, naming the value and where", () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ id: ID, event: "nope", detail: {} }, /event "nope" is not a recorded event/],
      [{ id: ID, event: "page_view", detail: { page: "x", extra: 1 } }, /page_view: unknown field "extra"/],
      [{ id: ID, event: "customer_opened", detail: { customer: "bob@example.com" } }, /customer_opened\.customer/],
      [{ id: ID, event: "filter_changed", detail: { filter: "x", value: "call me on 0123" } }, /value/],
      [{ id: ID, event: "threshold_changed", detail: { threshold: 1.5 } }, /threshold: 1\.5 is outside \[0, 1\]/],
      [{ id: ID, event: "policy_changed", detail: { policy: "all", customers: 3 } }, /policy: "all" is not one of/],
      [{ id: ID, event: "policy_changed", detail: { policy: "manual" } }, /customers/],
      [{ id: ID, event: "economics_changed", detail: { cost_model: "free" } }, /cost_model: "free" is not one of/],
      [{ id: ID, event: "whatif_run", detail: { customer: "1", tenure: 2.5 } }, /tenure: 2\.5 is not an integer/],
      [{ id: ID, event: "list_exported", detail: { rows: Number.NaN } }, /rows: NaN is not a finite number/],
      [{ id: ID, event: "chart_downloaded", detail: { chart: "c", format: "exe" } }, /format: "exe" is not one of/],
      [{ id: ID, event: "page_view", page: "https://evil.example/", detail: { page: "x" } }, /page .* not a site path/],
      [{ id: "x", event: "page_view", detail: { page: "x" } }, /id "x" is not an event ID/],
      [{ id: ID, event: "page_view", detail: {}, extra: 1 }, /unknown top-level field "extra"/],
      [[1, 2], /not a JSON object/],
    ];
    for (const [input, error] of bad) {
      const checked = checkAuditEvent(input);
      assert.equal(checked.ok, false, JSON.stringify(input));
      assert.match((checked as { error: string }).error, error);
    }
  });

  it("treats an undefined value as an absent field, as JSON does", () => {
    const checked = checkAuditEvent({
      id: ID,
      event: "threshold_changed",
      detail: { threshold: 0.4, model: undefined },
    });
    assert.ok(checked.ok);
    assert.deepEqual(checked.event.detail, { threshold: 0.4 });
  });

  it("keeps only validated values (a prototype key is an unknown field, not a lookup)", () => {
    const checked = checkAuditEvent(JSON.parse(`{"id":"${ID}","event":"page_view","detail":{"__proto__":1}}`));
    assert.equal(checked.ok, false);
  });

  it("every event's body fits the 2 KiB limit even with every field at its longest", () => {
    for (const [event, fields] of Object.entries(AUDIT_SCHEMA)) {
      const detail: Record<string, string | number> = {};
      for (const [key, spec] of Object.entries(fields as Record<string, { type: string; values?: string[] }>))
        detail[key] =
          spec.type === "enum"
            ? spec.values!.reduce((a, b) => (a.length > b.length ? a : b))
            : spec.type === "int" || spec.type === "number"
              ? -1e12
              : "A".repeat(spec.type === "id" ? 40 : spec.type === "slug" ? 96 : 64);
      const body = JSON.stringify({ id: "f".repeat(64), event, page: `/${"p".repeat(64)}`.repeat(4), detail });
      assert.ok(new TextEncoder().encode(body).length <= 2048, `${event}: ${body.length} bytes`);
    }
  });
});

describe("auditBody", () => {
  it("is the validated event as JSON, with an ID", () => {
    assert.deepEqual(JSON.parse(auditBody("customer_opened", { customer: "7590-VHVEG" }, "/telco/customer", ID)!), {
      id: ID,
      event: "customer_opened",
      page: "/telco/customer",
      detail: { customer: "7590-VHVEG" },
    });
    assert.match(JSON.parse(auditBody("page_view", { page: "models" })!).id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(AUDIT_EVENTS, Object.keys(AUDIT_SCHEMA));
  });

  it("is null for what the schema refuses (a wiring mistake, reported as a console warning)", () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      assert.equal(auditBody("Page View"), null);
      assert.equal(auditBody("customer_opened", { customer: "a b" }), null);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]!, /customer_opened\.customer/);
  });

  it("drops a page path the schema does not accept instead of the event", () => {
    assert.equal(JSON.parse(auditBody("page_view", { page: "x" }, "/a%20b", ID)!).page, "");
  });
});

describe("audit client", () => {
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, fetch: g.fetch, localStorage: g.localStorage };
  let store: Map<string, string>;
  let answers: number[];
  let sent: string[];
  beforeEach(() => {
    store = new Map();
    sent = [];
    answers = [];
    g.window = { location: { pathname: "/models" } };
    g.localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    g.fetch = async (url: string, init: RequestInit) => {
      assert.equal(url, AUDIT_ENDPOINT);
      assert.equal(init.keepalive, true);
      assert.equal(init.redirect, "manual", "a redirect (an expired sign-in) is not followed to a 200 page");
      sent.push(String(init.body));
      const status = answers.shift() ?? 204;
      if (status === 0) throw new Error("offline");
      // What fetch gives for a redirect with redirect: "manual": an opaque response with status 0.
      return status === 302 ? { status: 0, type: "opaqueredirect" } : { status };
    };
    resetAudit();
  });
  afterEach(() => {
    resetAudit();
    Object.assign(g, saved);
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it("is a silent no-op outside a browser", () => {
    g.window = undefined;
    assert.equal(audit("page_view", { page: "x" }), undefined);
  });

  it("sends one request per event and forgets it after 204", async () => {
    audit("page_view", { page: "models" });
    await settle();
    assert.equal(sent.length, 1);
    assert.equal(JSON.parse(sent[0]!).event, "page_view");
    assert.equal(auditStats.sent, 1);
    assert.equal(store.has(AUDIT_QUEUE.storageKey), false, "nothing left queued");
  });

  it("keeps an event the server could not store (503, offline) and sends it again with the same ID", async () => {
    answers = [503];
    audit("customer_opened", { customer: "7590-VHVEG" });
    await settle();
    assert.equal(auditStats.retries, 1);
    assert.equal(JSON.parse(store.get(AUDIT_QUEUE.storageKey)!).length, 1, "kept in localStorage for a later page");
    answers = [0];
    await flushAudit();
    assert.equal(auditStats.retries, 2);
    await flushAudit();
    assert.equal(auditStats.sent, 1);
    assert.equal(sent.length, 3);
    assert.equal(new Set(sent.map((b) => JSON.parse(b).id)).size, 1, "the same ID every time");
    assert.equal(store.has(AUDIT_QUEUE.storageKey), false);
  });

  it("keeps an event answered with a redirect to the sign-in page", async () => {
    answers = [302];
    audit("page_view", { page: "models" });
    await settle();
    assert.equal(auditStats.sent, 0);
    assert.equal(auditStats.retries, 1);
    assert.equal(JSON.parse(store.get(AUDIT_QUEUE.storageKey)!).length, 1);
  });

  it("drops an event the server refuses for good (422) and counts it", async () => {
    answers = [422];
    audit("page_view", { page: "models" });
    await settle();
    assert.equal(auditStats.refused, 1);
    assert.equal(store.has(AUDIT_QUEUE.storageKey), false);
  });

  it("bounds the queue, dropping the oldest and counting them", async () => {
    g.fetch = async () => {
      throw new Error("offline");
    };
    for (let i = 0; i < AUDIT_QUEUE.max + 5; i++) audit("list_exported", { rows: i });
    await settle();
    const queued = JSON.parse(store.get(AUDIT_QUEUE.storageKey)!);
    assert.equal(queued.length, AUDIT_QUEUE.max);
    assert.equal(JSON.parse(queued[0]).detail.rows, 5);
    assert.equal(auditStats.overflow, 5);
  });

  it("never throws", () => {
    g.localStorage = {
      getItem() {
        throw new Error("boom");
      },
    };
    assert.doesNotThrow(() => audit("page_view", { page: "models" }));
  });
});
