import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foodSummary, groupCounts, recencyGroup, riskDistributionData, telcoSummary } from "../../src/lib/summaries.js";

const telcoRows = [
  { churn: 1, monthly_charges: 70, persona: "Price-sensitive", contract: "Month-to-month", tenure: 1 },
  { churn: 0, monthly_charges: 20, persona: "Loyal", contract: "Two year", tenure: 60 },
  { churn: 1, monthly_charges: 90.5, persona: "Price-sensitive", contract: "Month-to-month", tenure: 1 },
  { churn: 0, monthly_charges: 50, persona: "Loyal", contract: "One year", tenure: 12 },
  { churn: 0, monthly_charges: 30, persona: "Price-sensitive", contract: "Month-to-month", tenure: 1 },
];

describe("summaries", () => {
  it("counts Telco customers, churners and lost monthly revenue; groups in the contract order and by rate", () => {
    const s = telcoSummary(telcoRows, [0.9, 0.05, 0.6, 0.2, 0.45]);
    assert.deepEqual(s.kpi, { n: 5, churned: 2, rate: 0.4, lostMonthlyRevenue: 160.5, personas: 2 });
    assert.deepEqual(s.contract, [
      { group: "Month-to-month", n: 3, k: 2 },
      { group: "One year", n: 1, k: 0 },
      { group: "Two year", n: 1, k: 0 },
    ]);
    assert.deepEqual(s.persona, [
      { group: "Price-sensitive", n: 3, k: 2 },
      { group: "Loyal", n: 2, k: 0 },
    ]);
    assert.deepEqual(s.tenure, [
      { value: 1, outcome: "Churned", n: 2 },
      { value: 1, outcome: "Stayed", n: 1 },
      { value: 12, outcome: "Stayed", n: 1 },
      { value: 60, outcome: "Stayed", n: 1 },
    ]);
    // 0.2 is a tier's lower edge: medium, in the bin [0.2, 0.25)
    assert.deepEqual(s.risk.counts, { low: 1, medium: 2, high: 2 });
    assert.equal(s.risk.bins.find((b) => b.lo === 0.2)!.customers, 1);
    assert.equal(
      s.risk.bins.reduce((a, b) => a + b.customers, 0),
      5,
    );
  });

  it("counts silent churners (no ticket) and groups food customers by recency and city tier", () => {
    const rows = [
      { churned: 1, ltv: 1000, support_tickets: 0, recency_days: 70, city_tier: 2 },
      { churned: 1, ltv: 3000, support_tickets: 2, recency_days: 3, city_tier: 1 },
      { churned: 0, ltv: 2000, support_tickets: 0, recency_days: 13, city_tier: 1 },
      { churned: 1, ltv: 6000, support_tickets: 0, recency_days: 30, city_tier: 3 },
    ];
    const s = foodSummary(rows, [0.7, 0.3, 0.1, 0.99]);
    assert.deepEqual(s.kpi, { n: 4, churned: 3, rate: 0.75, meanLtv: 3000, silentShare: 2 / 3 });
    assert.deepEqual(
      s.recency.map((g) => [g.group, g.n, g.k]),
      [
        ["0–6 days", 1, 1],
        ["7–13 days", 1, 0],
        ["30–59 days", 1, 1],
        ["60+ days", 1, 1],
      ],
    );
    assert.deepEqual(
      s.cityTier.map((g) => g.group),
      ["Tier 1", "Tier 2", "Tier 3"],
    );
    assert.equal(s.risk.bins.at(-1)!.customers, 1); // 0.99 in the last bin
  });

  it("puts recency on the groups' edges and names a length mismatch", () => {
    assert.deepEqual([0, 6, 7, 13, 14, 29, 30, 59, 60].map(recencyGroup), [
      "0–6 days",
      "0–6 days",
      "7–13 days",
      "7–13 days",
      "14–29 days",
      "14–29 days",
      "30–59 days",
      "30–59 days",
      "60+ days",
    ]);
    assert.throws(() => groupCounts(["a"], [1, 0]), /groups and churned differ in length: 1 vs 2/);
    assert.equal(riskDistributionData("food", [1]).bins.at(-1)!.customers, 1); // p = 1 lands in the last bin
  });
});
