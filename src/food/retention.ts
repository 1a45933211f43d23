/**
 * The Retention pages' data shaping (both data sets) and state (src/food/retention.md and src/telco/retention.md read as notebooks and
 * call these): each data set's customers as campaign columns, the offers by customer, the targeting list with its
 * CSV, the models compared by bootstrap, and the audit of each settled decision. Browser-only (DOM); the arithmetic
 * is src/lib/campaign.ts's.
 */
import type { Table } from "npm:apache-arrow";
import { saveBlob } from "../components/chart-export.js";
import type { OfferCard } from "../components/profit-offer-cards.js";
import { audit } from "../lib/audit.js";
import { bootstrapSteps, type BootstrapProgress, type Interval } from "../lib/bootstrap.js";
import type { CampaignSettings, CampaignState } from "../lib/campaign.js";
import { labelOf } from "../lib/columns.js";
import { recordsToCsv } from "../lib/csv.js";
import { formatMoney, type Currency } from "../lib/format.js";
import { fillOffer } from "../lib/offer-text.js";
import { rankByChurn, rankByExpectedProfit, targetedCustomers, type CustomerColumns } from "../lib/targeting.js";

type Candidate = { name: string; columns: CustomerColumns; ranking: ReturnType<typeof rankByChurn> };

export interface ModelComparison {
  /** the resamples done (the intervals are final when done === total) */
  done: number;
  total: number;
  rows?: { name: string; profit: Interval; lead: Interval | null }[];
}

/**
 * The paired bootstrap of each model's value-based policy (and the calibrated model ranked by churn alone): profit at
 * the optimum each would pick from its own probabilities, priced against the outcomes, and the calibrated model's lead
 * over each. Runs a few resamples per frame and yields its progress, so the page stays responsive.
 */
export async function* compareModels(
  models: { name: string; columns: CustomerColumns }[],
  settings: CampaignSettings,
  { resamples = 200, frameMs = 12 } = {},
): AsyncGenerator<ModelComparison> {
  // One ranking per frame: on a large base each sort is itself a long task.
  const candidates: Candidate[] = [];
  for (const m of models) {
    yield { done: 0, total: resamples };
    await new Promise((resolve) => setTimeout(resolve, 0));
    candidates.push({ name: m.name, columns: m.columns, ranking: rankByExpectedProfit(m.columns, settings) });
  }
  candidates.push({
    name: "Calibrated, ranked by churn only",
    columns: models[0].columns,
    ranking: rankByChurn(models[0].columns),
  });
  const steps = bootstrapSteps(candidates, settings, { resamples });
  let started = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) {
      const { profit, lead } = step.value;
      yield {
        done: resamples,
        total: resamples,
        rows: candidates.map((c, i) => ({ name: c.name, profit: profit[i], lead: i === 0 ? null : lead[0][i] })),
      };
      return;
    }
    if (performance.now() - started > frameMs) {
      const progress = step.value as BootstrapProgress; // not done, so a progress report
      yield { done: progress.done, total: progress.total };
      await new Promise((resolve) => setTimeout(resolve, 0));
      started = performance.now();
    }
  }
}

/** An offer and where it came from, as the offer cards show it. */
export type Offer = Pick<OfferCard, "text" | "source" | "provider" | "model" | "promptVersion" | "template">;
const NO_OFFER: Offer = { text: "", source: "none", provider: "", model: "", promptVersion: "", template: "" };

/** Row-level accessors over the food customers and their offers (strings decoded when a row is shown or exported). */
export function customerAccess(customers: Table, offers: Table) {
  const idColumn = customers.getChild("customer_id")!;
  const driverColumns = [1, 2, 3].map((k) => customers.getChild(`driver_${k}`)!);
  const offerById = new Map<string, Offer>();
  const get = (name: string) => Array.from(offers.getChild(name)!.toArray() as ArrayLike<string>);
  const [oid, text, source, provider, model, version, template] = [
    "id",
    "text",
    "source",
    "provider",
    "model",
    "prompt_version",
    "template",
  ].map(get);
  for (let i = 0; i < oid.length; i++) {
    offerById.set(oid[i], {
      text: text[i],
      source: source[i],
      provider: provider[i],
      model: model[i],
      promptVersion: version[i],
      template: template[i],
    });
  }
  const idOf = (i: number) => idColumn.get(i) as string;
  return {
    idOf,
    /** The customer's offer with the amount filled in at the campaign's offer cost. */
    offerOf: (i: number, couponCost: number): Offer => {
      const offer = offerById.get(idOf(i)) ?? NO_OFFER;
      return { ...offer, text: fillOffer(offer.text, formatMoney(couponCost, "INR")) };
    },
    /** The features raising this customer's risk most, as people read them. */
    driversOf: (i: number) =>
      driverColumns
        .map((d) => d.get(i) as string)
        .filter(Boolean)
        .map((d) => labelOf("food", d)),
  };
}

/** The economics as the audit trail records them (src/lib/audit-schema.ts). */
export function economicsDetail(dataset: "food" | "telco", s: CampaignSettings) {
  return {
    dataset,
    cost_model: s.costModel,
    value_mode: s.valueMode,
    ...(s.valueMode === "flat" ? { ltv: s.flatValue } : {}),
    coupon_cost: s.couponCost,
    contact_cost: s.contactCost,
    acceptance: s.acceptance,
  };
}

/**
 * Records each settled decision that changed (the first, the page's defaults, is the baseline, not an event):
 * `economics_changed` with the economics, `policy_changed` with how the campaign's size is chosen and the size.
 */
export function decisionAuditor(dataset: "food" | "telco", model: string): (s: CampaignState) => void {
  let last: CampaignState | null = null;
  return (state) => {
    if (last) {
      const [e, p] = [economicsDetail(dataset, state.settings), economicsDetail(dataset, last.settings)];
      if (JSON.stringify(e) !== JSON.stringify(p)) audit("economics_changed", e);
      const s = state.settings;
      if (state.chosen.customers !== last.chosen.customers || s.policy !== last.settings.policy) {
        audit("policy_changed", {
          policy: s.policy,
          customers: state.chosen.customers,
          ...(s.policy === "budget" ? { budget: s.budget } : {}),
          ...(s.policy === "contacts" ? { contacts: s.contacts } : {}),
          dataset,
          model,
        });
      }
    }
    last = state;
  };
}

/** Rows shown in the targeting table; the CSV has all of them. */
export const TABLE_ROWS = 1000;

export interface ListOptions {
  dataset: "food" | "telco";
  currency: Currency;
  idOf: (row: number) => string;
  /** extra columns per customer (drivers, offer) */
  extra?: (row: number) => Record<string, string>;
  /** the sentence stating the economics and the policy (campaign panel's describe) */
  describe: string;
}

/**
 * The targeted customers in the policy's order (expected profit, best first): the first TABLE_ROWS as table rows and
 * a download of all of them as CSV. Every CSV row states the economics it was priced with, so its expected profit can
 * be recomputed from the file alone (docs/profit.md, "The targeting list").
 */
export function targetingList(state: CampaignState, o: ListOptions) {
  const s = state.settings;
  const unit = o.currency === "INR" ? "inr" : "usd";
  const k = state.chosen.customers;
  const rows = (count: number) =>
    targetedCustomers(state.columns, state.ranking, Math.min(count, k), s).map((t) => ({
      rank: t.rank,
      customer: o.idOf(t.row),
      probability: t.probability,
      value: t.value,
      profit: t.expectedProfit,
      ...o.extra?.(t.row),
    }));
  return {
    count: k,
    tableRows: rows(TABLE_ROWS),
    download() {
      const text = recordsToCsv(
        rows(k).map(({ rank, customer, probability, value, profit, ...extra }) => ({
          rank,
          customer_id: customer,
          churn_probability: probability,
          [`value_${unit}`]: value,
          [`expected_profit_${unit}`]: +profit.toFixed(2),
          cost_model: s.costModel,
          [`offer_cost_${unit}`]: s.couponCost,
          [`contact_cost_${unit}`]: s.contactCost,
          acceptance: s.acceptance,
          value_mode: s.valueMode === "flat" ? `flat ${s.flatValue}` : "per customer",
          ...extra,
          parameters: o.describe,
        })),
      );
      saveBlob(new Blob([text], { type: "text/csv;charset=utf-8" }), `${o.dataset}-retention-targets-top-${k}.csv`);
      audit("list_exported", {
        rows: k,
        model: "oof_probability",
        policy: s.policy,
        customers: k,
        ...(s.policy === "budget" ? { budget: s.budget } : {}),
        ...economicsDetail(o.dataset, s),
        expected_profit: state.chosen.profit,
        format: "csv",
      });
    },
  };
}
