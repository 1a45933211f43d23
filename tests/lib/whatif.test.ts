import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawRow } from "../../src/lib/features.js";
import { prepareTrees, type CompactTree } from "../../src/lib/treeshap.js";
import {
  applyEdit,
  changedFields,
  checkInput,
  explainEncoded,
  encodeInput,
  modelInputs,
  storedExplanation,
  topDrivers,
  waterfallSteps,
  type Explanation,
} from "../../src/lib/whatif.js";
import { customer } from "./telco-customer.js";

const explanation: Explanation = {
  base: 0.25,
  probability: 0.7,
  features: ["a", "b", "c", "d", "e"],
  values: [0.3, -0.05, 0.15, 0.02, 0.03],
};

describe("modelInputs", () => {
  it("modelInputs(customer) keeps exactly the model's source fields", () => {
    const row = modelInputs(customer);
    assert.equal(Object.keys(row).length, 19);
    assert.equal(row.contract, "Month-to-month");
    assert.equal(row.total_charges, 29.85);
    assert.ok(!("persona" in row) && !("customer_id" in row));
  });
  it("modelInputs converts Arrow bigints to numbers", () => {
    assert.equal(modelInputs({ ...customer, tenure: 5n }).tenure, 5);
  });
});

describe("applyEdit", () => {
  it("dropping internet sets every add-on to 'No internet service', adding it back sets them to 'No'", () => {
    const none = applyEdit(modelInputs(customer), "internet_service", "No").row;
    assert.equal(none.online_backup, "No internet service");
    assert.equal(none.streaming_tv, "No internet service");
    const fiber = applyEdit(none, "internet_service", "Fiber optic").row;
    assert.equal(fiber.online_backup, "No");
    assert.equal(fiber.tech_support, "No");
  });
  it("taking an add-on without internet switches internet on (DSL)", () => {
    const none = applyEdit(modelInputs(customer), "internet_service", "No").row;
    const row = applyEdit(none, "tech_support", "Yes").row;
    assert.equal(row.internet_service, "DSL");
    assert.equal(row.tech_support, "Yes");
    assert.equal(row.online_security, "No");
  });
  it("phone service and multiple lines stay consistent", () => {
    const phone = applyEdit(modelInputs(customer), "phone_service", "Yes").row;
    assert.equal(phone.multiple_lines, "No");
    assert.equal(applyEdit(phone, "multiple_lines", "No phone service").row.phone_service, "No");
  });
  it("says which other fields followed an edit, and why", () => {
    const { followed } = applyEdit(modelInputs(customer), "internet_service", "No");
    assert.deepEqual(
      followed.map((f) => [f.field, f.from, f.to]),
      [
        ["online_security", "No", "No internet service"],
        ["online_backup", "Yes", "No internet service"],
        ["device_protection", "No", "No internet service"],
        ["tech_support", "No", "No internet service"],
        ["streaming_tv", "No", "No internet service"],
        ["streaming_movies", "No", "No internet service"],
      ],
    );
    assert.ok(followed.every((f) => f.because === "add-ons need an internet service"));
  });
  it("DSL → No → Fiber optic turns a kept add-on into 'No', visibly (listed as followed)", () => {
    const none = applyEdit(modelInputs(customer), "internet_service", "No").row;
    const { row, followed } = applyEdit(none, "internet_service", "Fiber optic");
    assert.equal(row.online_backup, "No");
    assert.ok(followed.some((f) => f.field === "online_backup" && f.to === "No"));
  });
  it("total charges follow tenure × monthly charges while the user has not set them", () => {
    const { row, followed } = applyEdit(modelInputs(customer), "tenure", "24", { totalFollows: true });
    assert.equal(row.total_charges, 716.4);
    assert.deepEqual(followed, [
      { field: "total_charges", from: 29.85, to: 716.4, because: "tenure × monthly charges" },
    ]);
    assert.equal(applyEdit(row, "monthly_charges", "50", { totalFollows: true }).row.total_charges, 1200);
    // Once the user typed a total, it stays; an unparsable tenure leaves it alone too.
    assert.equal(applyEdit(modelInputs(customer), "tenure", "24").row.total_charges, 29.85);
    assert.equal(applyEdit(modelInputs(customer), "tenure", "x", { totalFollows: true }).row.total_charges, 29.85);
  });
  it("does not modify its input", () => {
    const row = modelInputs(customer);
    applyEdit(row, "contract", "Two year");
    assert.equal(row.contract, "Month-to-month");
  });
});

describe("checkInput", () => {
  const strings = (edits: RawRow): RawRow => ({
    ...modelInputs(customer),
    tenure: "1",
    monthly_charges: "29.85",
    total_charges: "29.85",
    ...edits,
  });
  it("parses valid numeric strings into numbers", () => {
    const { row, messages } = checkInput(strings({ tenure: " 12 " }));
    assert.deepEqual(messages, {});
    assert.equal(row!.tenure, 12);
    assert.equal(row!.monthly_charges, 29.85);
  });
  it("out-of-range input gets a message naming the range, and no row", () => {
    const { row, messages } = checkInput(strings({ tenure: "100" }));
    assert.equal(row, null);
    assert.equal(
      messages.tenure,
      "Tenure must be between 0 and 72 months: 100 months is above anything the model has seen, so it is not scored.",
    );
  });
  it("text, blanks and fractions of whole-number fields are reported, never NaN", () => {
    const { row, messages } = checkInput(strings({ monthly_charges: "abc", total_charges: "", tenure: "2.5" }));
    assert.equal(row, null);
    assert.match(messages.monthly_charges, /not a number/);
    assert.match(messages.total_charges, /required/);
    assert.match(messages.tenure, /whole number/);
  });
  it("a blank TotalCharges customer (tenure 0, total 0) is valid", () => {
    assert.deepEqual(checkInput(strings({ tenure: "0", total_charges: "0" })).messages, {});
  });
});

describe("changedFields", () => {
  it("compares numbers as numbers and categories as text", () => {
    const before = modelInputs(customer);
    assert.deepEqual(changedFields(before, { ...before, tenure: "1", monthly_charges: 29.85 }), []);
    assert.deepEqual(changedFields(before, { ...before, contract: "Two year", tenure: 3 }), ["tenure", "contract"]);
  });
});

describe("waterfallSteps", () => {
  it("shows the top features by size, then the rest in one bar, ending exactly at the probability", () => {
    const w = waterfallSteps(explanation, { top: 2 });
    assert.deepEqual(
      w.steps.map((s) => s.feature),
      ["a", "c", "other"],
    );
    assert.equal(w.steps[2].label, "All other features (3)");
    assert.ok(Math.abs(w.steps[2].value - 0) < 1e-12);
    assert.equal(w.steps.at(-1)!.end, 0.7);
    const sum = w.base + w.steps.reduce((s, x) => s + x.value, 0);
    assert.ok(Math.abs(sum - 0.7) < 1e-15);
  });
  it("each bar starts where the previous one ends", () => {
    const w = waterfallSteps(explanation, { top: 3 });
    assert.equal(w.steps[0].start, 0.25);
    for (let i = 1; i < w.steps.length; i++) assert.equal(w.steps[i].start, w.steps[i - 1].end);
  });
  it("with top ≥ the number of features there is no 'other' bar", () => {
    const w = waterfallSteps(explanation, { top: 10 });
    assert.equal(w.steps.length, 5);
    assert.equal(w.steps.at(-1)!.end, 0.7);
  });
  it("rejects an invalid top", () => {
    assert.throws(() => waterfallSteps(explanation, { top: 0 }), /invalid top: 0/);
  });
  it("the running total stays a probability where summed points would leave 0–100%", () => {
    // Summed as points, 30% + 170 pp = 200% after the first bar; drawn through the log-odds it stays in (0, 1).
    const e: Explanation = { base: 0.3, probability: 0.9, features: ["x", "y"], values: [-1.1, 1.7] };
    const w = waterfallSteps(e, { top: 2 });
    for (const step of w.steps) assert.ok(step.start > 0 && step.start < 1 && step.end > 0 && step.end < 1);
    assert.deepEqual(
      w.steps.map((s) => [s.feature, Math.sign(s.value)]),
      [
        ["y", 1],
        ["x", -1],
      ],
    );
    assert.equal(w.steps.at(-1)!.end, 0.9);
    assert.ok(Math.abs(w.base + w.steps[0].value + w.steps[1].value - 0.9) < 1e-12);
  });
  it("labels each bar with the customer's value, in the column table's words and units", () => {
    const e: Explanation = {
      base: 0.25,
      probability: 0.6,
      features: ["tenure", "contract", "monthly_charges", "multiple_lines"],
      values: [0.2, 0.1, 0.03, 0.02],
    };
    const w = waterfallSteps(e, { top: 4, row: modelInputs(customer) });
    assert.deepEqual(
      w.steps.map((s) => s.label),
      [
        "Tenure = 1 month",
        "Contract = Month-to-month",
        "Monthly charges = $29.85",
        "Multiple lines = No phone service",
      ],
    );
  });
});

describe("storedExplanation", () => {
  it("storedExplanation(p, shapRow) picks features by name and sums exactly to p", () => {
    const e = storedExplanation(0.6, { customer_id: "X", b: 0.1, a: 0.2, extra: 9 }, ["a", "b"]);
    assert.deepEqual(e.values, [0.2, 0.1]);
    assert.ok(Math.abs(e.base + 0.3 - 0.6) < 1e-15);
  });
  it("a missing SHAP column is an error naming it", () => {
    assert.throws(() => storedExplanation(0.6, { a: 0.2 }, ["a", "b"]), /invalid SHAP value for b/);
  });
});

describe("topDrivers", () => {
  it("lists the largest contributions with their direction", () => {
    const lines = topDrivers(explanation, 2, { a: "x" });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^A = x: \+30\.0 pp towards churn$/);
    assert.match(lines[1], /^C: \+15\.0 pp towards churn$/);
  });
});

describe("explainEncoded", () => {
  // One stump on tenure (column 4): tenure < 12 → +1, else −1, equal covers.
  const stump: CompactTree = {
    left: [1, -1, -1],
    right: [2, -1, -1],
    feature: [4, 0, 0],
    threshold: [12, 0, 0],
    defaultLeft: [1, 0, 0],
    value: [0, 1, -1],
    cover: [2, 1, 1],
  };
  const names = Array.from({ length: 38 }, (_, i) => `f${i}`);
  const explainer = {
    ensemble: prepareTrees({ baseMargin: 0, featureNames: names, trees: [stump] }),
    platt: { a: 1, b: 0 },
  };
  it("puts the whole effect on tenure and sums to the calibrated probability", () => {
    const e = explainEncoded(explainer, encodeInput(modelInputs(customer)));
    assert.equal(e.features.length, 19);
    assert.ok(Math.abs(e.probability - 1 / (1 + Math.exp(-1))) < 1e-12);
    assert.ok(Math.abs(e.base - 0.5) < 1e-12);
    const tenure = e.features.indexOf("tenure");
    assert.ok(Math.abs(e.values[tenure] - (e.probability - e.base)) < 1e-12);
    assert.ok(e.values.every((v, i) => i === tenure || v === 0));
  });
});
