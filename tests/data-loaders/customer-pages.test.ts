/** The customer page's files as the pipeline makes them: data-loaders/telco/customer-pages.ts and Publication.shards. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { Publication } from "../../data-loaders/publish.js";
import { customerDetailRows, customerIndexRows } from "../../data-loaders/telco/customer-pages.js";
import type { ColumnList, NudgeRow, ShardedTableArtifact, TelcoCustomerRow } from "../../src/lib/artifacts.js";
import { shardOf } from "../../src/lib/customer-shards.js";
import { expectedRemainingMonths, fitTenureHazards } from "../../src/lib/remaining-value.js";

const customer = (id: string, tenure: number, contract: string, churn: number) =>
  ({
    customer_id: id,
    persona: "Loyal family",
    contract,
    tenure,
    monthly_charges: 50 + tenure,
    oof_probability: 0.1 * tenure,
    ab_variant: "A",
    churn,
    probability: 0.3,
  }) as unknown as TelcoCustomerRow;
const nudge = (id: string, text: string) =>
  ({ id, text, source: "fallback", model: "", facts: "[]", because: "why" }) as unknown as NudgeRow;

const CUSTOMERS = [
  customer("A-1", 1, "Month-to-month", 1),
  customer("B-2", 5, "Month-to-month", 0),
  customer("C-3", 2, "One year", 0),
];

describe("customer page files", () => {
  it("the index keeps the finder's columns only, in the customers' order", () => {
    const index = customerIndexRows(CUSTOMERS);
    assert.deepEqual(index[1], {
      customer_id: "B-2",
      persona: "Loyal family",
      contract: "Month-to-month",
      tenure: 5,
      monthly_charges: 55,
      oof_probability: 0.5,
      ab_variant: "A",
    });
    assert.deepEqual(
      index.map((r) => r.customer_id),
      ["A-1", "B-2", "C-3"],
    );
  });

  it("a detail row joins the customer's own SHAP row and nudge by ID, whatever their order", () => {
    const shap = [
      { customer_id: "C-3", tenure: 0.03, contract: -0.3 },
      { customer_id: "A-1", tenure: 0.01, contract: -0.1 },
      { customer_id: "B-2", tenure: 0.02, contract: -0.2 },
    ];
    const nudges = [nudge("B-2", "for B"), nudge("C-3", "for C"), nudge("A-1", "for A")];
    const { rows, shapColumns } = customerDetailRows(CUSTOMERS, shap, nudges, ["tenure", "contract"]);
    assert.deepEqual(shapColumns, ["shap_tenure", "shap_contract"]);
    const b = rows[1] as unknown as Record<string, unknown>;
    assert.equal(b.customer_id, "B-2");
    assert.equal(b.nudge_text, "for B");
    assert.equal(b.nudge_because, "why");
    assert.equal(b.shap_tenure, 0.02);
    assert.equal(b.shap_contract, -0.2);
    assert.ok(!("nudge_id" in b));
    // The value if kept: the tenure hazards fitted on all three customers, as the page computed them before.
    const hazards = fitTenureHazards(
      CUSTOMERS.map((c) => ({ tenure: c.tenure, contract: c.contract, churn: c.churn })),
    );
    assert.equal(b.remaining_months, expectedRemainingMonths(hazards, "Month-to-month", 5));
  });

  it("a customer without SHAP values or a nudge, or given twice, stops the build naming the ID", () => {
    const shap = CUSTOMERS.map((c) => ({ customer_id: c.customer_id, tenure: 0 }));
    const nudges = CUSTOMERS.map((c) => nudge(c.customer_id, "x"));
    assert.throws(() => customerDetailRows(CUSTOMERS, shap.slice(1), nudges, ["tenure"]), /customer A-1: no SHAP row/);
    assert.throws(() => customerDetailRows(CUSTOMERS, shap, nudges.slice(0, 2), ["tenure"]), /customer C-3: no nudge/);
    assert.throws(
      () => customerDetailRows(CUSTOMERS, shap, nudges, ["tenure", "gender"]),
      /A-1: no SHAP value for gender/,
    );
    assert.throws(
      () => customerDetailRows(CUSTOMERS, [...shap, shap[1]], nudges, ["tenure"]),
      /SHAP row of customer B-2 given twice/,
    );
  });

  it("Publication.shards puts each row in its ID's shard, in order, and writes every shard (empty ones too)", async () => {
    const columns = [
      ["customer_id", "utf8"],
      ["x", "float64"],
    ] as const satisfies ColumnList;
    const artifact: ShardedTableArtifact<typeof columns> = {
      kind: "arrow-shards",
      path: "test/detail",
      shards: 8,
      columns,
      perFeature: "float64",
      description: "test",
    };
    const ids = Array.from({ length: 5 }, (_, i) => `ID-${i}`);
    const dir = await mkdtemp(join(tmpdir(), "customer-pages-"));
    try {
      const pub = new Publication(dir);
      pub.shards(
        artifact,
        ids.map((id, i) => ({ customer_id: id, x: i, f: -i })),
        ["f"],
      );
      // Five IDs in eight shards: at least three are empty, and still written.
      const staged = Object.keys(pub.staged());
      assert.deepEqual(
        staged,
        Array.from({ length: 8 }, (_, i) => `test/detail/0${i}.arrow`),
      );
      const seen: string[] = [];
      for (let s = 0; s < 8; s++) {
        const table = tableFromIPC(await pub.read(`test/detail/0${s}.arrow`));
        assert.deepEqual(
          table.schema.fields.map((f) => f.name),
          ["customer_id", "x", "f"],
        );
        const rows = table.toArray().map((r) => r.toJSON() as { customer_id: string; x: number; f: number });
        for (const r of rows) {
          assert.equal(shardOf(r.customer_id, 8), s, r.customer_id);
          assert.equal(r.f, -r.x);
          seen.push(r.customer_id);
        }
        const order = rows.map((r) => r.x);
        assert.deepEqual(
          order,
          [...order].sort((a, b) => a - b),
          "rows keep their order",
        );
      }
      assert.deepEqual(seen.sort(), ids);
      assert.throws(
        () => pub.shards(artifact, [{ customer_id: "X", x: "not a number" as unknown as number }]),
        /test\/detail\/\d\d\.arrow: /,
      );
      await pub.discard();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
