/**
 * Each data set's customers as a retention campaign sees them (docs/profit.md, "Value per customer"): the calibrated
 * held-out churn probability, the value of keeping them and the observed outcome, with the defaults and slider ranges
 * of its Retention page. Browser-safe and pure (Arrow tables in, typed arrays out): the pages, the embeds and the
 * tests build the same columns.
 */
import type { Table } from "apache-arrow";
import type { CampaignData, CampaignSettings, CampaignState } from "./campaign.js";
import { POLICY_LABELS } from "./campaign.js";
import { COST_MODEL_LABELS } from "./cost-model.js";
import { formatCountIn, formatMoney, percent, type Currency } from "./format.js";
import {
  expectedRemainingMonths,
  fitTenureHazards,
  remainingValues,
  survivalCurve,
  type RemainingOptions,
} from "./remaining-value.js";
import type { CustomerColumns } from "./targeting.js";
import { cellCampaignData, type CellColumns } from "./campaign-cells.js";

export type CampaignDataset = "food" | "telco";

/** What a page needs to set up its campaign: the currency, the defaults, the slider ranges, the value in words. */
export interface CampaignSetup {
  currency: Currency;
  defaults: CampaignSettings;
  ranges: {
    couponCost: [number, number, number];
    contactCost: [number, number, number];
    flatValue: [number, number, number];
  };
  /** a customer's own value, in words */
  valueName: string;
}

const COMMON = {
  valueMode: "customer",
  costModel: "coupon",
  couponCost: 50,
  contactCost: 2,
  acceptance: 0.3,
  policy: "optimum",
  customers: 0,
} as const;

export const CAMPAIGN_SETUP: Record<CampaignDataset, CampaignSetup> = {
  food: {
    currency: "INR",
    defaults: { ...COMMON, flatValue: 500, budget: 100_000, contacts: 5_000 },
    ranges: { couponCost: [1, 500, 1], contactCost: [0, 50, 0.5], flatValue: [50, 10_000, 10] },
    valueName: "their lifetime value",
  },
  telco: {
    currency: "USD",
    defaults: { ...COMMON, flatValue: 1_000, budget: 20_000, contacts: 700 },
    ranges: { couponCost: [1, 500, 1], contactCost: [0, 50, 0.5], flatValue: [50, 10_000, 50] },
    valueName: "their expected remaining revenue",
  },
};

const numbers = (t: Table, name: string) => {
  const c = t.getChild(name);
  if (!c) throw new Error(`invalid customers table: no column ${name}`);
  return Float64Array.from(c.toArray() as ArrayLike<number>);
};

/** A data set's customers as campaign columns: the calibrated out-of-fold probability, a value, the outcome. */
export function campaignData(customers: Table, value: Float64Array, label: "churned" | "churn"): CampaignData {
  return { probability: numbers(customers, "oof_probability"), value, churned: numbers(customers, label) };
}

/** The food-delivery customers, each worth their own lifetime value (the data's `ltv`, ₹). */
export function foodCampaignData(customers: Table): CampaignData {
  return campaignData(customers, numbers(customers, "ltv"), "churned");
}

/** The cells table (food/campaign-cells.arrow) as columns. */
export function cellColumns(cells: Table): CellColumns {
  return {
    count: numbers(cells, "count"),
    probability: numbers(cells, "probability"),
    value: numbers(cells, "value"),
    churned: numbers(cells, "churned"),
    churned_value: numbers(cells, "churned_value"),
    row: numbers(cells, "row"),
    cell: numbers(cells, "cell"),
  };
}

/**
 * The food-delivery base as the build compacted it (src/lib/campaign-cells.ts): one entry per cell, each customer
 * worth their own lifetime value; every sum equals the sum over the cell's customers.
 */
export function foodCellData(cells: Table): CampaignData {
  return cellCampaignData(cellColumns(cells));
}

/**
 * Telco's value per customer: monthly charges × margin × expected remaining months, the months from a discrete-time
 * hazard per contract fitted on these customers (src/lib/remaining-value.ts states the assumptions).
 */
export function telcoValueModel(customers: Table) {
  const tenure = numbers(customers, "tenure");
  const churn = numbers(customers, "churn");
  const charges = numbers(customers, "monthly_charges");
  const contractColumn = customers.getChild("contract");
  if (!contractColumn) throw new Error("invalid customers table: no column contract");
  const contract = Array.from(contractColumn.toArray() as ArrayLike<string>, String);
  const rows = Array.from(tenure, (t, i) => ({
    tenure: t,
    contract: contract[i],
    churn: churn[i],
    monthly_charges: charges[i],
  }));
  const hazards = fitTenureHazards(rows);
  return {
    hazards,
    contracts: [...hazards.contracts.keys()],
    values: (options: RemainingOptions & { margin?: number } = {}) => remainingValues(rows, hazards, options),
    months: (c: string, t: number, options: RemainingOptions = {}) => expectedRemainingMonths(hazards, c, t, options),
    survival: (c: string) => survivalCurve(hazards, c),
  };
}

/** Each compared model's held-out scores, with the same values and outcomes; the models missing from the table listed. */
export const MODELS = [
  { column: "oof_probability", name: "Calibrated XGBoost" },
  { column: "oof_uncalibrated", name: "Uncalibrated XGBoost" },
  { column: "oof_logistic", name: "Logistic baseline" },
] as const;

export function modelColumns(customers: Table, base: Pick<CustomerColumns, "value" | "churned">) {
  const names = new Set(customers.schema.fields.map((f) => f.name));
  return {
    models: MODELS.filter((m) => names.has(m.column)).map((m) => ({
      ...m,
      columns: { probability: numbers(customers, m.column), value: base.value, churned: base.churned },
    })),
    missing: MODELS.filter((m) => !names.has(m.column)).map((m) => m.name),
  };
}

/**
 * One sentence that states the economics and the policy of a decision, for captions and exported files, so that a
 * chart or a CSV says what it was made with.
 */
export function describeCampaign(s: CampaignState, currency: Currency, valueName: string): string {
  const e = s.settings;
  const money = (x: number) => formatMoney(x, currency);
  const count = (x: number) => formatCountIn(x, currency);
  const value =
    e.valueMode === "flat" ? `one flat value of ${money(e.flatValue)}` : `each customer's own value (${valueName})`;
  const how =
    e.policy === "budget"
      ? `a budget of ${money(e.budget)}`
      : e.policy === "contacts"
        ? `at most ${count(e.contacts)} contacts`
        : POLICY_LABELS[e.policy];
  return (
    `Economics: ${COST_MODEL_LABELS[e.costModel]}; offer ${money(e.couponCost)}, ` +
    `contact ${currency === "INR" ? "₹" : "$"}${e.contactCost}, acceptance ${percent(e.acceptance, 0)}; ${value}. ` +
    `Policy: the top ${count(s.chosen.customers)} of ${count(s.n)} customers by expected profit, chosen by ${how}.`
  );
}
