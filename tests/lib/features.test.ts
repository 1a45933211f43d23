import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foodRows } from "../../data-loaders/food/generate.js";
import {
  FOOD_CATEGORIES,
  FOOD_SPEC,
  TELCO_CATEGORIES,
  TELCO_SPEC,
  decodeRow,
  encodeRow,
  encodeRows,
  featureLayout,
  referenceColumns,
  validateInput,
} from "../../src/lib/features.js";
import { telcoRows } from "../models/telco-data.js";

const telco = await telcoRows();
const food = [...foodRows({ n: 500, seed: 1 })];

describe("feature spec", () => {
  it("every Telco and food category in the data is one the spec lists", () => {
    for (const [column, categories] of Object.entries(TELCO_CATEGORIES)) {
      const seen = new Set(telco.map((r) => r[column as keyof typeof TELCO_CATEGORIES]));
      assert.deepEqual([...seen].sort(), [...categories].sort(), column);
    }
    for (const [column, categories] of Object.entries(FOOD_CATEGORIES)) {
      const seen = new Set(food.map((r) => r[column as keyof typeof FOOD_CATEGORIES]));
      for (const v of seen) assert.ok((categories as readonly unknown[]).includes(v), `${column}: ${v}`);
    }
  });
  it("the Telco model uses only real IBM columns", () => {
    const real = new Set(Object.keys(TELCO_CATEGORIES).concat(["tenure", "monthly_charges", "total_charges"]));
    for (const f of TELCO_SPEC.fields) assert.ok(real.has(f.name), `${f.name} is not a real Telco column`);
    for (const d of TELCO_SPEC.derived) for (const s of d.sources) assert.ok(real.has(s), `${d.name} uses ${s}`);
  });
  it("featureLayout names one-hot columns field=category and groups them under the field", () => {
    const { names, group, groups, groupIndex } = featureLayout(TELCO_SPEC);
    const j = names.indexOf("payment_method=Electronic check");
    assert.ok(j >= 0);
    assert.equal(group[j], "payment_method");
    assert.equal(groups[groupIndex[j]], "payment_method");
    assert.equal(names.length, group.length);
    assert.equal(groups.length, TELCO_SPEC.fields.length + TELCO_SPEC.derived.length);
  });
  it("referenceColumns are each one-hot field's first category", () => {
    const { names } = featureLayout(FOOD_SPEC);
    assert.deepEqual(
      referenceColumns(FOOD_SPEC).map((j) => names[j]),
      ["membership=None", "payment_method=UPI", "city_tier=1"],
    );
  });
});

describe("encoder", () => {
  it("encodeRow then decodeRow round-trips every Telco customer", () => {
    for (const row of telco) {
      const decoded = decodeRow(TELCO_SPEC, encodeRow(TELCO_SPEC, row));
      for (const f of TELCO_SPEC.fields) {
        const original = row[f.name as keyof typeof row];
        const back = decoded[f.name];
        if (typeof original === "number") assert.equal(back, Math.fround(original), f.name);
        else assert.equal(back, original, f.name);
      }
    }
  });
  it("encodeRow then decodeRow round-trips food customers (numeric city tiers included)", () => {
    for (const row of food) {
      const decoded = decodeRow(FOOD_SPEC, encodeRow(FOOD_SPEC, row as never));
      for (const f of FOOD_SPEC.fields) {
        const original = row[f.name as keyof typeof row];
        assert.equal(decoded[f.name], typeof original === "number" ? Math.fround(original) : original, f.name);
      }
    }
  });
  it("missing values become NaN (every one-hot column of a missing category) and decode to null", () => {
    const x = encodeRow(TELCO_SPEC, { tenure: "", contract: null });
    const { names } = featureLayout(TELCO_SPEC);
    assert.ok(Number.isNaN(x[names.indexOf("tenure")]));
    assert.ok(Number.isNaN(x[names.indexOf("internet_service=DSL")]));
    assert.equal(decodeRow(TELCO_SPEC, x).contract, null);
  });
  it("unknown categories and non-numbers throw, naming the field and the value", () => {
    assert.throws(() => encodeRow(TELCO_SPEC, { contract: "Three year" }), /invalid contract: "Three year"/);
    assert.throws(() => encodeRow(TELCO_SPEC, { tenure: "abc" }), /invalid tenure: "abc"/);
  });
  it("encodeRows lays rows out row-major", () => {
    const m = encodeRows(TELCO_SPEC, telco.slice(0, 3));
    assert.equal(m.data.length, 3 * m.ncol);
    assert.deepEqual(Array.from(m.data.subarray(m.ncol, 2 * m.ncol)), Array.from(encodeRow(TELCO_SPEC, telco[1])));
  });
});

describe("validateInput", () => {
  it("returns no messages for a real customer", () => {
    assert.deepEqual(validateInput(TELCO_SPEC, telco[0]), {});
  });
  it("reports out-of-range numbers, fractional counts and unknown categories per field", () => {
    const messages = validateInput(TELCO_SPEC, { ...telco[0], tenure: 400, monthly_charges: "x", contract: "Weekly" });
    assert.match(messages.tenure, /tenure = 400 is outside 0–72/);
    assert.match(messages.monthly_charges, /not a number/);
    assert.match(messages.contract, /"Weekly"/);
    assert.match(validateInput(TELCO_SPEC, { tenure: 2.5 }).tenure, /whole number/);
  });
  it("accepts missing values unless required", () => {
    assert.deepEqual(validateInput(TELCO_SPEC, {}), {});
    assert.match(validateInput(TELCO_SPEC, {}, { required: true }).tenure, /required/);
  });
});
