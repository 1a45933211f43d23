/**
 * The customer page's module (src/telco/customer.ts) on the files the pipeline published into src/data/ (npm test runs
 * the pipeline first): the index, customers opened from their shards (each one exactly the rows of the whole tables),
 * the status, the segment, the what-if scored by the TS TreeSHAP, the offers that would keep a customer, the audit
 * record and the report.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { tableFromIPC, type Table } from "apache-arrow";
import {
  ARTIFACTS,
  TELCO_DETAIL_SHARDS,
  shardArtifact,
  type Manifest,
  type PublishedMetrics,
} from "../../src/lib/artifacts.js";
import { fitTenureHazards, expectedRemainingMonths } from "../../src/lib/remaining-value.js";
import { shardOf } from "../../src/lib/customer-shards.js";
import { applyEdit, checkInput, changedFields, modelInputs, treeScorer } from "../../src/lib/whatif.js";
import type { TreesJson } from "../../src/lib/treeshap.js";
import {
  customerIndex,
  customerOpener,
  customerReport,
  explainerOf,
  keepCustomer,
  keepValue,
  originalExplanation,
  scenarioOf,
  scenarioSummary,
  segment,
  statusOf,
  whatIfRecord,
  type CustomerState,
} from "../../src/telco/customer.js";

const DATA = "src/data";
const table = (path: string) => tableFromIPC(readFileSync(`${DATA}/${path}`)) as Table;
const rows = (t: Table) => t.toArray().map((r) => r.toJSON() as Record<string, unknown>);
const shard = (i: number) => table(shardArtifact(ARTIFACTS.telcoCustomerDetail, i).path);
const trees = JSON.parse(readFileSync(`${DATA}/${ARTIFACTS.telcoTrees.path}`, "utf8")) as TreesJson;
const explainer = explainerOf(trees);
const index = customerIndex(table(ARTIFACTS.telcoCustomerIndex.path));
const MONTHLY = "7590-VHVEG";

/** Every state an opener yields for an ID, in order. */
async function states(open: ReturnType<typeof customerOpener>, id: string | null): Promise<CustomerState[]> {
  const out: CustomerState[] = [];
  for await (const s of open(id, index)) out.push(s);
  return out;
}
const ready = async (id: string) => {
  const [s] = (
    await states(
      customerOpener(async (i) => shard(i)),
      id,
    )
  ).slice(-1);
  assert.equal(s.kind, "ready");
  return (s as Extract<CustomerState, { kind: "ready" }>).detail;
};

describe("the customer page's data", () => {
  it("the index: every customer once, looked up as typed, trimmed or in any case", () => {
    const customers = rows(table(ARTIFACTS.telcoCustomers.path));
    assert.equal(index.rows.length, customers.length);
    assert.deepEqual(
      index.ids,
      customers.map((c) => c.customer_id),
    );
    assert.deepEqual(index.personas, [...new Set(customers.map((c) => c.persona as string))].sort());
    assert.equal(index.lookup(MONTHLY)?.customer_id, MONTHLY);
    assert.equal(index.lookup(` ${MONTHLY.toLowerCase()} `)?.customer_id, MONTHLY);
    assert.equal(index.lookup("nope"), null);
    assert.equal(index.lookup(null), null);
  });

  it("each customer's shard holds exactly their customers.arrow, shap.arrow and nudges.arrow rows", async () => {
    const customers = rows(table(ARTIFACTS.telcoCustomers.path));
    const shap = new Map(rows(table(ARTIFACTS.telcoShap.path)).map((r) => [r.customer_id, r]));
    const nudges = new Map(rows(table(ARTIFACTS.telcoNudges.path)).map((r) => [r.id, r]));
    const hazards = fitTenureHazards(
      customers.map((c) => ({ tenure: Number(c.tenure), contract: String(c.contract), churn: Number(c.churn) })),
    );
    const open = customerOpener(async (i) => shard(i));
    let count = 0;
    for (const c of customers) {
      const [last] = (await states(open, c.customer_id as string)).slice(-1);
      assert.equal(last.kind, "ready", String(c.customer_id));
      const { detail } = last as Extract<CustomerState, { kind: "ready" }>;
      assert.deepEqual(detail.customer, c);
      assert.deepEqual(detail.shap, shap.get(c.customer_id));
      assert.deepEqual(detail.nudge, nudges.get(c.customer_id));
      assert.equal(
        detail.remainingMonths,
        expectedRemainingMonths(hazards, String(c.contract), Number(c.tenure)),
        String(c.customer_id),
      );
      count++;
    }
    assert.equal(count, 7043);
  });

  it("opening: unknown at once, loading only while a shard is fetched, one fetch per shard, errors named", async () => {
    const fetched: number[] = [];
    const open = customerOpener(async (i) => {
      fetched.push(i);
      return shard(i);
    });
    assert.deepEqual(await states(open, null), [{ kind: "none" }]);
    assert.deepEqual(await states(open, "nope"), [{ kind: "unknown", id: "nope" }]);
    assert.deepEqual(fetched, [], "an unknown ID fetches nothing");
    const first = await states(open, MONTHLY.toLowerCase());
    assert.deepEqual(
      first.map((s) => s.kind),
      ["loading", "ready"],
    );
    assert.deepEqual(first[0], { kind: "loading", id: MONTHLY });
    const again = await states(open, MONTHLY);
    assert.deepEqual(
      again.map((s) => s.kind),
      ["ready"],
      "a loaded shard is not fetched again",
    );
    assert.deepEqual(fetched, [shardOf(MONTHLY, TELCO_DETAIL_SHARDS)]);

    const failing = customerOpener(async () => {
      throw new Error("HTTP 503");
    });
    assert.deepEqual(await states(failing, MONTHLY), [
      { kind: "loading", id: MONTHLY },
      { kind: "error", id: MONTHLY, message: "HTTP 503" },
    ]);
    // A shard that does not hold the customer (a file from another build): an error, not another customer.
    const wrong = customerOpener(async () => shard((shardOf(MONTHLY, TELCO_DETAIL_SHARDS) + 1) % TELCO_DETAIL_SHARDS));
    const [, last] = await states(wrong, MONTHLY);
    assert.equal(last.kind, "error");
    assert.match((last as { message: string }).message, /does not hold this customer/);
  });

  it("the URL's customer: their shard is fetched at once, before the index; a failed fetch is tried again", async () => {
    const fetched: number[] = [];
    let fail = true;
    const open = customerOpener(
      async (i) => {
        fetched.push(i);
        if (fail) throw new Error("offline");
        return shard(i);
      },
      { first: ` ${MONTHLY.toLowerCase()} ` },
    );
    assert.deepEqual(fetched, [shardOf(MONTHLY, TELCO_DETAIL_SHARDS)], "fetched before any open");
    await new Promise((resolve) => setTimeout(resolve, 0));
    fail = false;
    const kinds = (await states(open, MONTHLY)).map((s) => s.kind);
    assert.deepEqual(kinds, ["loading", "ready"]);
    assert.equal(fetched.length, 2, "the failed prefetch is not reused");
    const unknownFirst = customerOpener(async () => shard(0), { first: "" });
    assert.deepEqual(await states(unknownFirst, null), [{ kind: "none" }]);
  });

  it("one status for each state", async () => {
    const detail = await ready(MONTHLY);
    assert.deepEqual(statusOf({ kind: "none" }, 7043), { kind: "none" });
    assert.deepEqual(statusOf({ kind: "unknown", id: "x" }, 7043), { kind: "unknown", id: "x", total: 7043 });
    assert.deepEqual(statusOf({ kind: "loading", id: MONTHLY }, 7043), { kind: "loading", id: MONTHLY });
    assert.deepEqual(statusOf({ kind: "error", id: MONTHLY, message: "m" }, 7043), {
      kind: "error",
      id: MONTHLY,
      message: "m",
    });
    const shown = statusOf({ kind: "ready", id: MONTHLY, detail }, 7043);
    assert.equal(shown.kind, "customer");
    assert.match(
      (shown as { summary: string }).summary,
      /^Month-to-month, 1 month with us; churn probability \d+\.\d% \(cross-fitted\), targeted at the 50% threshold\.$/,
    );
  });

  it("the segment: filters on persona, contract, tier and variant; riskiest first by the cross-fitted score", () => {
    const all = segment(index.rows, { persona: "All", contract: "All", tier: "All", variant: "All" });
    assert.equal(all.length, index.rows.length);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].score >= all[i].score);
    const some = segment(index.rows, { persona: "All", contract: "Two year", tier: "low", variant: "B" });
    assert.ok(some.length > 0);
    for (const r of some) assert.deepEqual([r.contract, r.tier, r.ab_variant], ["Two year", "low", "B"]);
    const expected = index.rows.filter(
      (r) => r.contract === "Two year" && r.ab_variant === "B" && r.oof_probability < 0.2,
    ).length;
    assert.equal(some.length, expected);
  });

  it("the stored waterfall adds up; the value if kept is months × monthly charges", async () => {
    const detail = await ready(MONTHLY);
    const original = originalExplanation(detail)!;
    const sum = original.base + original.values.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - detail.customer.probability) < 1e-12);
    const { months, value } = keepValue(detail);
    assert.equal(value, months * 29.85);
    assert.equal(originalExplanation({ ...detail, shap: { customer_id: MONTHLY } }), null);
  });

  it("the what-if scores the unedited customer as the pipeline did, and an edit as the trees do", async () => {
    const detail = await ready(MONTHLY);
    const row = modelInputs(detail.customer);
    const unedited = scenarioOf({ row, changed: [], messages: {} }, explainer);
    assert.ok(Math.abs(unedited.probability! - detail.customer.probability) < 1e-6);
    const edited = checkInput(applyEdit(row, "contract", "Two year").row);
    const changed = changedFields(row, edited.row!);
    const s = scenarioOf({ row: edited.row, changed, messages: {} }, explainer);
    assert.deepEqual(s.changed, ["contract"]);
    assert.ok(s.probability! < unedited.probability! - 0.05);
    assert.ok(Math.abs(s.probability! - treeScorer(explainer)([edited.row!])[0]) < 5e-7);
    assert.match(scenarioSummary(detail.customer, s), /^Churn \d+\.\d% → \d+\.\d% \(−\d+\.\d pp\)$/);
    const invalid = scenarioOf({ row: null, changed: [], messages: { tenure: "Tenure is required." } }, explainer);
    assert.deepEqual(invalid.invalid, { tenure: "Tenure is required." });
    assert.equal(scenarioSummary(detail.customer, invalid), "Not scored: fix the field marked in red.");
    assert.deepEqual(whatIfRecord(detail.customer, unedited), null, "no record without a change");
    assert.deepEqual(whatIfRecord(detail.customer, s), {
      customer: MONTHLY,
      churn_before: detail.customer.probability,
      churn_after: s.probability,
      tenure: 1,
      monthly_charges: 29.85,
      contract: "Two year",
      internet_service: "DSL",
      payment_method: "Electronic check",
      tech_support: "No",
      online_security: "No",
      paperless_billing: "Yes",
    });
  });

  it("what would keep the customer: offers the trees score below 50%, the cheapest first", async () => {
    const detail = await ready(MONTHLY);
    const keep = await keepCustomer(detail.customer, explainer);
    assert.equal(keep.status, "found");
    const options = (keep as Extract<typeof keep, { status: "found" }>).options;
    assert.ok(options.length > 0);
    for (const o of options) {
      assert.ok(o.probability < 0.5);
      assert.equal(o.probability, treeScorer(explainer)([o.row])[0]);
    }
    // Scored in chunks (the page's main thread is handed back between them): the same answer in one batch.
    assert.deepEqual(await keepCustomer(detail.customer, explainer, { chunk: 7 }), keep);
    assert.deepEqual(await keepCustomer(detail.customer, explainer, { chunk: 100_000 }), keep);
  });

  it("the report states the what-if's score and the model and data it came from", async () => {
    const detail = await ready(MONTHLY);
    const row = modelInputs(detail.customer);
    const edited = checkInput(applyEdit(row, "contract", "Two year").row).row!;
    const scenario = scenarioOf({ row: edited, changed: ["contract"], messages: {} }, explainer);
    const metrics = JSON.parse(readFileSync(`${DATA}/${ARTIFACTS.telcoMetrics.path}`, "utf8")) as PublishedMetrics;
    const manifest = JSON.parse(readFileSync(`${DATA}/${ARTIFACTS.manifest.path}`, "utf8")) as Manifest;
    const { text, fileName } = customerReport({
      customer: detail.customer,
      original: originalExplanation(detail)!,
      nudge: detail.nudge,
      scenario,
      metrics,
      manifest,
      generatedAt: "2026-01-01T00:00:00.000Z",
    });
    assert.equal(fileName, `customer-${MONTHLY}-report.txt`);
    assert.match(text, /Changes: +Contract: Month-to-month → Two year/);
    assert.match(
      text,
      new RegExp(`Score after: +${(100 * scenario.probability!).toFixed(1)}% \\((Low|Medium|High) risk\\)`),
    );
    assert.match(text, new RegExp(`Trees sha256: +${manifest.files["telco/trees.json"]}`));
    assert.ok(text.includes(String(detail.nudge!.text)));
  });
});
