import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanText, customerReportText, reportFileName, type CustomerReport } from "../../src/lib/report.js";

const report: CustomerReport = {
  customerId: "7590-VHVEG",
  subscription: [
    ["Contract", "Month-to-month"],
    ["Tenure", "1 month"],
    ["Total charges", "not billed yet (blank in source)"],
  ],
  behaviour: [
    ["Persona", "Price-sensitive newcomer"],
    ["Support calls", "0"],
  ],
  probability: 0.74228,
  tier: "High risk",
  drivers: ["Tenure = 1 month: +30.3 pp towards churn", "Contract = Month-to-month: +9.5 pp towards churn"],
  nudge: {
    text: "Thank you\nfor being with us.",
    source: "fallback",
    promptVersion: "nudge-v1",
    reason: "no-provider",
  },
  modelVersion: { xgboost: "1.7.4", treesSha256: "ab".repeat(32), calibration: "platt calibration" },
  data: { telcoSha256: "16320c9c1ec7", seed: 42, rows: 7043 },
  generatedAt: "2025-01-01T00:00:00.000Z",
};

describe("customerReportText", () => {
  const text = customerReportText(report);
  it("names the customer and every section", () => {
    assert.match(text, /^Retention Lab — customer report\nCustomer: 7590-VHVEG\nGenerated: 2025-01-01T00:00:00.000Z\n/);
    for (const title of [
      "SUBSCRIPTION DETAILS",
      "BEHAVIOUR METRICS",
      "CHURN SCORE",
      "TOP DRIVERS",
      "RETENTION NUDGE",
      "MODEL AND DATA",
    ])
      assert.ok(text.includes(title), title);
  });
  it("aligns fields and shows the score as a percentage with its tier", () => {
    assert.match(text, /Contract: {6}Month-to-month/);
    assert.match(text, /Churn probability \(calibrated\): 74\.2%/);
    assert.match(text, /Risk tier: +High risk/);
  });
  it("adds the decision lines (cross-fitted score, targeted or not, actual outcome) to the score section", () => {
    const withDecision = customerReportText({
      ...report,
      decision: [
        ["Churn probability (cross-fitted)", "74.9%"],
        ["Decision", "targeted at the 50% operating threshold"],
        ["Actual outcome", "stayed (Churn = No)"],
      ],
    });
    assert.match(
      withDecision,
      /Risk tier: +High risk\nChurn probability \(cross-fitted\): 74\.9%\nDecision: +targeted/,
    );
    assert.match(withDecision, /Actual outcome: +stayed \(Churn = No\)\n\nTOP DRIVERS/);
  });
  it("lists numbered drivers, the nudge on one line and its source", () => {
    assert.match(text, /1\. Tenure = 1 month: \+30\.3 pp towards churn\n2\. Contract/);
    assert.match(text, /\nThank you for being with us\.\nSource: fallback, prompt nudge-v1, reason no-provider\n/);
  });
  it("identifies the model and the data", () => {
    assert.match(text, /Model: +XGBoost 1\.7\.4 \+ platt calibration/);
    assert.match(text, new RegExp(`Trees sha256: +${"ab".repeat(32)}`));
    assert.match(text, /Telco CSV sha256: +16320c9c1ec7/);
    assert.match(text, /Simulation seed: +42/);
  });
  it("is deterministic and ends with one newline", () => {
    assert.equal(customerReportText(report), text);
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
  });
  it("includes a what-if scenario when given", () => {
    const withWhatIf = customerReportText({
      ...report,
      whatIf: { changes: ["Contract: Month-to-month → Two year"], before: 0.74, after: 0.31, tier: "Medium risk" },
    });
    assert.match(
      withWhatIf,
      /WHAT-IF SCENARIO[\s\S]*Changes: +Contract: Month-to-month → Two year\nScore before: +74\.0%\nScore after: +31\.0% \(Medium risk\)/,
    );
    assert.ok(!text.includes("WHAT-IF"));
  });
  it("rejects a probability outside 0–1", () => {
    assert.throws(() => customerReportText({ ...report, probability: NaN }), /invalid probability: NaN/);
  });
});

describe("helpers", () => {
  it("cleanText collapses control characters and line breaks", () => {
    assert.equal(cleanText("a\r\n\tb\u0000  c "), "a b c");
  });
  it("reportFileName keeps only safe characters", () => {
    assert.equal(reportFileName("7590-VHVEG"), "customer-7590-VHVEG-report.txt");
    assert.equal(reportFileName("../x y"), "customer-_x_y-report.txt");
  });
});
