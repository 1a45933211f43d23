/** src/components/chart-a11y.ts: the data table behind every chart reads like the chart (labels, numbers). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnHeader, formatCell } from "../../src/components/chart-a11y.js";

describe("chart data tables", () => {
  it("columnHeader turns a CSV column into words", () => {
    assert.equal(columnHeader("churn_rate"), "Churn rate");
    assert.equal(columnHeader("days_late"), "Days late");
    assert.equal(columnHeader("customers"), "Customers");
  });
  it("formatCell formats numbers for people and marks missing values", () => {
    assert.equal(formatCell(7043), "7,043");
    assert.equal(formatCell(0.265327), "0.2653");
    assert.equal(formatCell(1234.5678), "1,235");
    assert.equal(formatCell(Number.NaN), "—");
    assert.equal(formatCell(null), "—");
    assert.equal(formatCell("Month-to-month"), "Month-to-month");
  });
});
