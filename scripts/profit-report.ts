/**
 * Profit per customer on a pipeline run (issue 14): the gain of value-based over churn-ranked targeting on the food
 * and Telco data under both cost models, bootstrap intervals, and EMP/MP.
 *
 *   npx tsx scripts/profit-report.ts [DIR]      (a pipeline output; default src/data, what the site shows)
 *
 * Economics: offer 50, contact 2, acceptance 0.3 (₹ for food, $ for Telco). Food values are the data's `ltv`; Telco
 * values are monthly charges × expected remaining months (src/lib/remaining-value.ts, fitted on the same rows).
 */

import { fileURLToPath } from "node:url";
import { tableFromIPC, type Table } from "apache-arrow";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { bootstrapOptima, type OptimumRule } from "../src/lib/bootstrap.js";
import type { CostModel, OfferEconomics } from "../src/lib/cost-model.js";
import { scoreCuts, verbrakenEmp } from "../src/lib/emp.js";
import { expectedRemainingMonths, fitTenureHazards, remainingValues } from "../src/lib/remaining-value.js";
import {
  bestPolicy,
  policyAtCustomers,
  rankByChurn,
  rankByExpectedProfit,
  type CustomerColumns,
  type Ranking,
} from "../src/lib/targeting.js";

const run = process.argv[2] ?? fileURLToPath(new URL("../src/data", import.meta.url));

const ECONOMICS = { couponCost: 50, contactCost: 2, acceptance: 0.3 };
const RESAMPLES = 300;

const column = (t: Table, name: string) => {
  const c = t.getChild(name);
  if (!c) throw new Error(`invalid column: ${name} (not in the table)`);
  return Array.from(c.toArray() as ArrayLike<number>, Number);
};
const money = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The value-based and the churn-ranked policy at each one's expected-profit optimum, priced against the labels. */
function compare(label: string, c: CustomerColumns, e: OfferEconomics, budgets: number[] = []) {
  const byValue = rankByExpectedProfit(c, e);
  const byChurn = rankByChurn(c);
  const row = (name: string, r: Ranking) => {
    const best = bestPolicy(r, e);
    const observed = policyAtCustomers(r, best.customers, e, { basis: "observed" });
    const hindsight = bestPolicy(r, e, { basis: "observed" });
    return { name, k: best.customers, expected: best.profit, observed: observed.profit, hindsight };
  };
  const v = row("value-based", byValue);
  const ch = row("churn-ranked", byChurn);
  console.log(`\n${label}, ${e.costModel} model`);
  for (const x of [v, ch]) {
    console.log(
      `  ${x.name.padEnd(13)} optimum k ${x.k} (${pct(x.k / c.probability.length)}): expected ${money(x.expected)},` +
        ` observed ${money(x.observed)}; hindsight best ${money(x.hindsight.profit)} at k ${x.hindsight.customers}`,
    );
  }
  console.log(
    `  gain of value-based at each one's optimum: expected ${money(v.expected - ch.expected)}` +
      ` (${pct(v.expected / ch.expected - 1)}), observed ${money(v.observed - ch.observed)}` +
      ` (${pct(v.observed / ch.observed - 1)})`,
  );
  const n = c.probability.length;
  for (const k of [...budgets, Math.round(0.1 * n), Math.round(0.25 * n), Math.round(0.5 * n), ch.k]) {
    const [a, b] = [byValue, byChurn].map((r) => policyAtCustomers(r, k, e, { basis: "observed" }).profit);
    console.log(
      `  at a budget of ${k} offers (${pct(k / n)}): value-based ${money(a)} vs churn-ranked ${money(b)}` +
        ` (observed), gain ${money(a - b)} (${pct(a / b - 1)})`,
    );
  }
  return { byValue, byChurn };
}

/** Paired bootstrap of value-based targeting by each model, and of churn-ranked targeting by the first. */
function leads(label: string, candidates: { name: string; columns: CustomerColumns }[], e: OfferEconomics) {
  const ranked = [
    ...candidates.map((c) => ({ ...c, ranking: rankByExpectedProfit(c.columns, e) })),
    {
      name: `${candidates[0].name}, churn-ranked`,
      columns: candidates[0].columns,
      ranking: rankByChurn(candidates[0].columns),
    },
  ];
  for (const rule of ["expected", "hindsight"] as OptimumRule[]) {
    const started = performance.now();
    const { profit, lead } = bootstrapOptima(ranked, e, { resamples: RESAMPLES, rule });
    const ms = performance.now() - started;
    const range = (i: { estimate: number; lower: number; upper: number }) =>
      `${money(i.estimate)} [${money(i.lower)}, ${money(i.upper)}]`;
    console.log(`  bootstrap (${RESAMPLES} paired resamples, rule ${rule}, ${label}; ${ms.toFixed(0)} ms):`);
    ranked.forEach((c, i) => {
      console.log(`    ${c.name.padEnd(34)} optimum profit ${range(profit[i])}`);
    });
    for (let j = 1; j < ranked.length; j++) {
      console.log(`    lead of ${ranked[0].name} over ${ranked[j].name}: ${range(lead[0][j])}`);
    }
  }
}

function emp(label: string, c: CustomerColumns, costModel: CostModel, scores?: ArrayLike<number>) {
  const r = verbrakenEmp(scoreCuts(c, scores), { ...ECONOMICS, costModel });
  console.log(
    `  EMP ${label}: ${r.emp.toFixed(2)} per customer at ${pct(r.empFraction)} targeted;` +
      ` MP (γ = 0.3) ${r.mp.toFixed(2)} at ${pct(r.mpFraction)}`,
  );
}

const food = tableFromIPC(await readFile(join(run, "food", "customers.arrow")));
const foodColumns = (probability: string): CustomerColumns => ({
  probability: column(food, probability),
  value: column(food, "ltv"),
  churned: column(food, "churned"),
});
const foodCalibrated = foodColumns("oof_probability");
console.log(
  `food: ${food.numRows} customers, mean LTV ${money(foodCalibrated.value.length && mean(foodCalibrated.value))}`,
);
for (const costModel of ["gift", "coupon"] as CostModel[]) {
  const e = { ...ECONOMICS, costModel };
  // the page's advice today: a flat LTV of ₹500, ranked by p, at the gift model's expected optimum
  const flat = { ...foodCalibrated, value: new Float64Array(food.numRows).fill(500) };
  const today = bestPolicy(rankByChurn(flat), { ...e, costModel: "gift" }).customers;
  compare("food (₹)", foodCalibrated, e, [today]);
  leads(
    "food",
    [
      { name: "calibrated XGBoost", columns: foodCalibrated },
      { name: "uncalibrated XGBoost", columns: foodColumns("oof_uncalibrated") },
      { name: "logistic baseline", columns: foodColumns("oof_logistic") },
    ],
    e,
  );
  emp("flat LTV 500, scores p", flat, costModel);
  emp("per-customer LTV, scores p", foodCalibrated, costModel);
  const byProfit = rankByExpectedProfit(foodCalibrated, e);
  const key = new Float64Array(foodCalibrated.probability.length);
  // the expected-profit order as scores
  byProfit.order.forEach((row, i) => {
    key[row] = -i;
  });
  emp("per-customer LTV, scores = expected-profit rank", foodCalibrated, costModel, key);
}

const telco = tableFromIPC(await readFile(join(run, "telco", "customers.arrow")));
const telcoRows = telco.toArray().map((r) => r.toJSON() as { tenure: number; contract: string; churn: number });
const hazards = fitTenureHazards(telcoRows);
console.log(`\ntelco: ${telco.numRows} customers; expected remaining months (72-month horizon, undiscounted):`);
for (const [contract, h] of hazards.contracts) {
  const at = (t: number) => expectedRemainingMonths(hazards, contract, t).toFixed(1);
  console.log(
    `  ${contract.padEnd(15)} ${h.customers} customers, tail hazard ${(100 * h.tail).toFixed(2)}%/month;` +
      ` remaining at tenure 1: ${at(1)}, 12: ${at(12)}, 36: ${at(36)}, 72: ${at(72)}`,
  );
}
const telcoValues = remainingValues(
  telcoRows.map((r, i) => ({ ...r, monthly_charges: column(telco, "monthly_charges")[i] })),
  hazards,
);
console.log(`  value: mean $${money(mean(telcoValues))}, median $${money(median(telcoValues))}`);
const telcoColumns = (probability: string): CustomerColumns => ({
  probability: column(telco, probability),
  value: telcoValues,
  churned: column(telco, "churn"),
});
for (const costModel of ["gift", "coupon"] as CostModel[]) {
  const e = { ...ECONOMICS, costModel };
  compare("telco ($)", telcoColumns("oof_probability"), e);
  leads(
    "telco",
    [
      { name: "calibrated XGBoost", columns: telcoColumns("oof_probability") },
      { name: "uncalibrated XGBoost", columns: telcoColumns("oof_uncalibrated") },
      { name: "logistic baseline", columns: telcoColumns("oof_logistic") },
    ],
    e,
  );
  emp("per-customer remaining value, scores p", telcoColumns("oof_probability"), costModel);
}

function mean(a: ArrayLike<number>) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function median(a: ArrayLike<number>) {
  const sorted = Float64Array.from(a).sort();
  return sorted[sorted.length >> 1];
}
