import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  expectedRemainingMonths,
  fitTenureHazards,
  remainingValues,
  survivalCurve,
} from "../../src/lib/remaining-value.js";

// Month-to-month: one leaves at 1, one at 2, one is censored at 2 and one at 3.
//   hazard: t = 0: 0/4, t = 1: 1/4, t = 2: 1/3 (3 at risk), t = 3: 0/1; tail over t = 2…3: 1 / (3 + 1) = 1/4
// Two year: nobody has left, so the hazard is 0 everywhere, the tail too.
const rows = [
  { tenure: 1, contract: "Month-to-month", churn: 1 },
  { tenure: 2, contract: "Month-to-month", churn: 0 },
  { tenure: 2, contract: "Month-to-month", churn: 1 },
  { tenure: 3, contract: "Month-to-month", churn: 0 },
  { tenure: 5, contract: "Two year", churn: 0 },
  { tenure: 10, contract: "Two year", churn: 0 },
];
const model = fitTenureHazards(rows, { tailMonths: 2 });

describe("fitTenureHazards", () => {
  it("estimates the hazard per month as churners over customers still at risk, per contract", () => {
    const m2m = model.contracts.get("Month-to-month")!;
    assert.deepEqual(Array.from(m2m.hazard), [0, 0.25, 1 / 3, 0]);
    assert.equal(m2m.tail, 0.25);
    assert.equal(m2m.customers, 4);
    assert.equal(model.contracts.get("Two year")!.tail, 0);
  });

  it("rejects bad rows by naming them", () => {
    assert.throws(() => fitTenureHazards([{ tenure: -1, contract: "One year", churn: 0 }]), /tenure at row 0: -1/);
    assert.throws(() => fitTenureHazards([{ tenure: 1, contract: "One year", churn: 2 }]), /churn at row 0: 2/);
  });
});

describe("expectedRemainingMonths", () => {
  it("counts the next month for sure, then the chance of staying through each later tenure", () => {
    // tenure 0: 1 + (1 − 1/4) + (1 − 1/4)(1 − 1/3) = 1 + 0.75 + 0.5
    assert.equal(expectedRemainingMonths(model, "Month-to-month", 0, { horizonMonths: 3 }), 2.25);
    // tenure 2: 1 + (1 − 0) + (1 − 0)(1 − tail 1/4), the tail taking over past the longest tenure seen
    assert.equal(expectedRemainingMonths(model, "Month-to-month", 2, { horizonMonths: 3 }), 2.75);
  });

  it("discounts the m-th month by 1/(1 + r)^m", () => {
    const months = expectedRemainingMonths(model, "Month-to-month", 0, { horizonMonths: 3, monthlyDiscount: 1 });
    assert.equal(months, 0.5 * 1 + 0.25 * 0.75 + 0.125 * 0.5);
  });

  it("stops at the horizon when nobody leaves", () => {
    assert.equal(expectedRemainingMonths(model, "Two year", 3, { horizonMonths: 12 }), 12);
    assert.equal(expectedRemainingMonths(model, "Two year", 3), 72);
  });

  it("names an unknown contract", () => {
    assert.throws(() => expectedRemainingMonths(model, "One year", 3), /invalid contract: One year/);
  });
});

describe("survivalCurve and remainingValues", () => {
  it("gives the share still there at each tenure", () => {
    assert.deepEqual(Array.from(survivalCurve(model, "Month-to-month", { months: 5 })), [1, 1, 0.75, 0.5, 0.5, 0.375]);
  });

  it("prices each customer at monthly charges × margin × expected remaining months", () => {
    const values = remainingValues(
      [
        { tenure: 0, contract: "Month-to-month", monthly_charges: 20 },
        { tenure: 3, contract: "Two year", monthly_charges: 100 },
      ],
      model,
      { horizonMonths: 3, margin: 0.5 },
    );
    assert.deepEqual(Array.from(values), [20 * 0.5 * 2.25, 100 * 0.5 * 3]);
  });
});
