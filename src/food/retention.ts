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
import { painted } from "../lib/first-then-rest.js";
import { fillOffer } from "../lib/offer-text.js";
import { rankByChurn, rankByExpectedProfit, targetedCustomers, type CustomerColumns } from "../lib/targeting.js";
import {
  CAMPAIGN_TABLE_ROWS,
  LIST_LIMIT,
  rowCells,
  type CampaignLayout,
  type CellColumns,
} from "../lib/campaign-cells.js";
import { expectedCustomerProfit } from "../lib/cost-model.js";

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

/**
 * Row-level accessors over the food customers and their offers (strings decoded when a row is shown or exported);
 * `at` maps a base row to the tables' row (the identity for the published base).
 */
export function customerAccess(customers: Table, offers: Table, at: (row: number) => number = (row) => row) {
  const idColumn = customers.getChild("customer_id")!;
  const driverColumns = [1, 2, 3].map((k) => customers.getChild(`driver_${k}`)!);
  const offerById = new Map<string, Offer>();
  // the offers table keys its rows by `id`; the kept customers' table (campaign-rows) carries the offer beside the ID
  // text and source always; the provenance beyond them (provider, model, prompt, template) where the table has it
  // (the targeting list's parts carry only what the CSV writes)
  const get = (name: string) => {
    const column = offers.getChild(name);
    if (!column && (name === "text" || name === "source" || name === "id" || name === "customer_id"))
      throw new Error(`the offers have no column ${name}`);
    return column ? Array.from(column.toArray() as ArrayLike<string>) : new Array<string>(offers.numRows).fill("");
  };
  const [oid, text, source, provider, model, version, template] = [
    offers.getChild("id") ? "id" : "customer_id",
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
  const idOf = (i: number) => idColumn.get(at(i)) as string;
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
        .map((d) => d.get(at(i)) as string)
        .filter(Boolean)
        .map((d) => labelOf("food", d)),
  };
}

/**
 * The customers the build kept individually (food/campaign-rows.arrow, then -rows-more.arrow), by base row: what the
 * table and cards show. Tables are concatenated in the order given.
 */
export function listedAccess(...tables: Table[]) {
  const rows = tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1));
  const rowColumn = rows.getChild("row")!.toArray() as Int32Array;
  const index = new Map<number, number>(Array.from(rowColumn, (r, i) => [r, i]));
  const access = customerAccess(rows, rows, (row) => index.get(row) ?? -1);
  return { ...access, has: (row: number) => index.has(row) };
}

/**
 * Whether a decision's table and cards need kept customers beyond those loaded: the single-customer entries among
 * its first `TABLE_ROWS` that `has` does not know.
 */
export function needsMoreRows(state: CampaignState, entryRow: ArrayLike<number>, has: (row: number) => boolean) {
  const n = Math.min(TABLE_ROWS, state.chosen.point);
  for (let i = 0; i < n; i++) {
    const row = entryRow[state.ranking.order[i]];
    if (row >= 0 && !has(row)) return true;
  }
  return false;
}

/**
 * A load deferred until a page value exists and shared after that: a cell that calls it with the campaign panel (made
 * with the first decision) starts the load once the decision is drawn, so its bytes come after the decision's.
 */
export function loadAfter<T>(load: () => Promise<T>): (after: unknown) => Promise<T> {
  let pending: Promise<T> | undefined;
  // after the next painted frame: the decision's views are on screen before these bytes compete with them
  return () => (pending ??= painted().then(load));
}

export { LIST_LIMIT };

/**
 * Every targeted food customer in the policy's order, from the row-level base loaded on demand: each customer's cell
 * (src/lib/campaign-cells.ts rowCells) says whether the policy targets them; within a cell, by expected profit.
 */
export async function foodTargets(
  state: CampaignState,
  o: { layout: CampaignLayout; cells: CellColumns; load: () => Promise<Table> },
): Promise<ListedCustomer[]> {
  const list = await o.load();
  if (list.numRows !== o.layout.customers)
    throw new Error(`the list holds ${list.numRows} customers, the base ${o.layout.customers}`);
  const access = customerAccess(list, list);
  const column = (name: string) => list.getChild(name)!.toArray() as Float64Array;
  const [p, ltv] = [column("oof_probability"), column("ltv")];
  const s = state.settings;
  const cellOf = rowCells(o.layout, o.cells);
  const position = new Int32Array(o.cells.count.length).fill(-1);
  for (let i = 0; i < state.chosen.point; i++) position[state.ranking.order[i]] = i;
  const chosen: { row: number; at: number; value: number; profit: number }[] = [];
  for (let r = 0; r < p.length; r++) {
    const at = position[cellOf(r, p[r], ltv[r])];
    if (at < 0) continue;
    const value = s.valueMode === "flat" ? s.flatValue : ltv[r];
    chosen.push({ row: r, at, value, profit: expectedCustomerProfit(p[r], value, s) });
  }
  chosen.sort((a, b) => a.at - b.at || b.profit - a.profit || a.row - b.row);
  return chosen.map((c, i) => {
    const offer = access.offerOf(c.row, s.couponCost);
    return {
      rank: i + 1,
      customer: access.idOf(c.row),
      probability: p[c.row],
      value: c.value,
      profit: c.profit,
      extra: { drivers: access.driversOf(c.row).join(", "), offer_text: offer.text, offer_source: offer.source },
    };
  });
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
export const TABLE_ROWS = CAMPAIGN_TABLE_ROWS;

/** One customer of a targeting list: who, their numbers, and extra columns (drivers, offer). */
export interface ListedCustomer {
  rank: number;
  customer: string;
  probability: number;
  value: number;
  profit: number;
  extra?: Record<string, string>;
}

export interface ListOptions {
  dataset: "food" | "telco";
  currency: Currency;
  /** the customer an entry of the campaign's columns is (null for a cell of several customers), with extra columns */
  shown: (entry: number) => { id: string; extra?: Record<string, string> } | null;
  /**
   * Every targeted customer, in the policy's order, for the CSV (loaded on demand when the rows are not on the page);
   * by default the entries themselves, each a customer.
   */
  all?: (state: CampaignState) => Promise<ListedCustomer[]>;
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
  const entries = (count: number): ListedCustomer[] => {
    const out: ListedCustomer[] = [];
    for (const t of targetedCustomers(state.columns, state.ranking, Math.min(count, state.chosen.point), s)) {
      const who = o.shown(t.row);
      if (!who) break; // a cell of several customers: the table lists single customers only
      out.push({
        rank: t.rank,
        customer: who.id,
        probability: t.probability,
        value: t.value,
        profit: t.expectedProfit,
        extra: who.extra,
      });
    }
    return out;
  };
  const tableRows = entries(TABLE_ROWS).map(({ extra, ...row }) => ({ ...row, ...extra }));
  return {
    count: k,
    tableRows,
    async download() {
      const all = o.all ? await o.all(state) : entries(k);
      if (all.length !== k) throw new Error(`the list has ${all.length} customers, the policy targets ${k}`);
      const text = recordsToCsv(
        all.map(({ rank, customer, probability, value, profit, extra }) => ({
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
