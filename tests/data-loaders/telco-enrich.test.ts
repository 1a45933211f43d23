import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { rowsToArrowIPC } from "../../data-loaders/arrow.js";
import { stratumOf } from "../../data-loaders/telco/ab-test.js";
import { TELCO_DATA_COLUMNS } from "../../src/lib/artifacts.js";
import {
  enrichTelco,
  PERSONAS,
  TELCO_SIMULATED_COLUMNS,
  telcoGroundTruth,
  type EnrichedTelcoRecord,
} from "../../data-loaders/telco/enrich.js";
import { readTelco, type TelcoRecord } from "../../data-loaders/telco/ingest.js";
import { TELCO_CSV } from "./helpers.js";

// Everything the simulation generates before the outcome: these must not depend on `churn`.
const BEHAVIOUR = [
  "persona",
  "subscription_type",
  "plan_duration_months",
  "usage_frequency",
  "payment_delay_days",
  "support_calls",
  "churn_history",
  "ab_variant",
  "true_retain_prob",
] as const;

const pick = (rows: EnrichedTelcoRecord[], keys: readonly (keyof EnrichedTelcoRecord)[]) =>
  rows.map((r) => keys.map((k) => r[k]));

describe("enrichTelco", () => {
  let rows: TelcoRecord[];
  let enriched: EnrichedTelcoRecord[];
  before(async () => {
    rows = (await readTelco({ path: TELCO_CSV })).rows;
    enriched = enrichTelco(rows, { seed: 42 });
  });

  it("keeps every real column and adds every simulated column of the contract", () => {
    assert.equal(enriched.length, rows.length);
    assert.deepEqual(Object.keys(enriched[0]).slice(-TELCO_SIMULATED_COLUMNS.length), [...TELCO_SIMULATED_COLUMNS]);
    enriched.forEach((r, i) => {
      assert.equal(r.churn, rows[i].churn);
    });
  });

  it("gives two runs with the same seed identical Arrow bytes, and another seed different ones", () => {
    const bytes = rowsToArrowIPC(enrichTelco(rows, { seed: 42 }), TELCO_DATA_COLUMNS);
    assert.deepEqual(bytes, rowsToArrowIPC(enriched, TELCO_DATA_COLUMNS));
    assert.notDeepEqual(bytes, rowsToArrowIPC(enrichTelco(rows, { seed: 7 }), TELCO_DATA_COLUMNS));
  });

  it("never reads churn: flipping every churn label leaves behaviour and assignment unchanged", () => {
    const flipped = enrichTelco(
      rows.map((r) => ({ ...r, churn: r.churn === 1 ? 0 : 1 }) as TelcoRecord),
      { seed: 42 },
    );
    assert.deepEqual(pick(flipped, BEHAVIOUR), pick(enriched, BEHAVIOUR));
  });

  it("does not depend on row order", () => {
    const reversed = enrichTelco([...rows].reverse(), { seed: 42 }).reverse();
    assert.deepEqual(reversed, enriched);
  });

  it("balances A and B within 1 in every contract × persona stratum and overall", () => {
    const counts = new Map<string, number>();
    for (const r of enriched) {
      const key = stratumOf(r.contract, r.persona);
      counts.set(key, (counts.get(key) ?? 0) + (r.ab_variant === "A" ? 1 : -1));
    }
    assert.equal(counts.size, 16); // newcomers are month-to-month by definition: 5 personas × 3 contracts + 1
    for (const [stratum, difference] of counts) assert.ok(Math.abs(difference) <= 1, `${stratum}: ${difference}`);
    const a = enriched.filter((r) => r.ab_variant === "A").length;
    assert.ok(Math.abs(2 * a - enriched.length) <= 1, `A has ${a} of ${enriched.length}`);
  });

  it("makes the potential outcomes consistent: treatment only ever retains a churner", () => {
    for (const r of enriched) {
      assert.equal(r.churn_if_control, r.churn);
      assert.ok(r.churn_if_treated <= r.churn_if_control);
      assert.equal(r.churn_observed, r.ab_variant === "B" ? r.churn_if_treated : r.churn_if_control);
      assert.equal(r.true_effect, r.churn_if_treated - r.churn_if_control);
      assert.ok(r.true_retain_prob >= 0 && r.true_retain_prob <= 1);
    }
  });

  it("has a true ATE of −3 to −5 points, strongest for month-to-month newcomers and near 0 on two-year contracts", () => {
    const truth = telcoGroundTruth(enriched);
    assert.ok(truth.overall.ate <= -0.03 && truth.overall.ate >= -0.05, `ATE ${truth.overall.ate}`);
    assert.ok(Math.abs(truth.overall.ate - truth.overall.expected_ate) < 0.01);
    const newcomers = truth.by_persona["Price-sensitive newcomer"].ate;
    for (const p of PERSONAS) assert.ok(truth.by_persona[p].ate >= newcomers, p);
    assert.ok(truth.by_contract["Two year"].expected_ate > -0.002);
    assert.equal(truth.observed.A.n + truth.observed.B.n, 7043);
    assert.ok(truth.observed.difference < -0.02, `observed B − A ${truth.observed.difference}`);
  });

  it("derives 6 personas of sensible size and plausible behaviour ranges", () => {
    for (const p of PERSONAS) {
      const n = enriched.filter((r) => r.persona === p).length;
      assert.ok(n >= 500 && n <= 2000, `${p}: ${n}`);
    }
    for (const r of enriched) {
      assert.ok(Number.isInteger(r.usage_frequency) && r.usage_frequency >= 0);
      assert.ok(Number.isInteger(r.payment_delay_days) && r.payment_delay_days >= 0);
      assert.ok(Number.isInteger(r.support_calls) && r.support_calls >= 0);
      assert.equal(r.plan_duration_months, { "Month-to-month": 1, "One year": 12, "Two year": 24 }[r.contract]);
    }
    const late = (m: string) => {
      const group = enriched.filter((r) => r.payment_method === m);
      return group.filter((r) => r.payment_delay_days > 0).length / group.length;
    };
    assert.ok(late("Electronic check") > 2 * late("Credit card (automatic)"));
  });
});
