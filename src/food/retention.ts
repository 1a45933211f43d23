/**
 * The Retention page's state and data shaping (src/food/retention.md reads as a notebook and calls these): the three
 * models' rankings, the threshold that follows the optimum until the user moves it, the offers by customer, and the
 * targeting list with its CSV. Browser-only (DOM); the arithmetic is src/lib/profit.ts's.
 */
import type { Table } from "npm:apache-arrow";
import { saveBlob } from "../components/chart-export.js";
import type { OfferCard } from "../components/profit-offer-cards.js";
import { labelOf } from "../lib/columns.js";
import { audit } from "../lib/audit.js";
import { toCsv } from "../lib/csv.js";
import { profitScenario } from "../lib/profit-scenario.js";
import {
  expectedProfit,
  policyAt,
  rankScores,
  targetedRows,
  type Economics,
  type RankedScores,
} from "../lib/profit.js";

/** The scores the page compares, by column of food/customers.arrow. */
export const MODELS = [
  { column: "oof_probability", name: "Calibrated XGBoost" },
  { column: "oof_uncalibrated", name: "Uncalibrated XGBoost (scale_pos_weight)" },
  { column: "oof_logistic", name: "Logistic baseline" },
] as const;

export interface RankedModel {
  column: string;
  name: string;
  scores: Float64Array;
  meanScore: number;
  ranked: RankedScores;
}

/** Each model's held-out scores ranked once (every slider update is then arithmetic on these), and those missing. */
export function rankModels(customers: Table): { models: RankedModel[]; missing: string[] } {
  const columns = new Set(customers.schema.fields.map((f) => f.name));
  const labels = customers.getChild("churned")!.toArray() as ArrayLike<number>;
  const models = MODELS.filter((m) => columns.has(m.column)).map((m) => {
    const scores = Float64Array.from(customers.getChild(m.column)!.toArray() as ArrayLike<number>);
    let sum = 0;
    for (const s of scores) sum += s;
    return { ...m, scores, meanScore: sum / scores.length, ranked: rankScores(scores, labels) };
  });
  return { models, missing: MODELS.filter((m) => !columns.has(m.column)).map((m) => m.name) };
}

/** A model's profit scenario (what the profit curve draws) and its profit at the theoretical threshold. */
export function modelAt(m: RankedModel, e: Economics) {
  const scenario = profitScenario(m.ranked, e);
  return { ...m, ...scenario, atTheory: policyAt(m.ranked, scenario.theory, e) };
}

/**
 * The threshold input's behaviour: it follows the optimum until the user moves it; the snap button makes it follow
 * again. The input is created once by the page (a new input per economics change would cost a frame).
 */
export function followOptimum(input: HTMLElement & { value: number }) {
  const mode = { follow: true, snapping: false };
  input.addEventListener("input", () => {
    if (!mode.snapping) mode.follow = false;
  });
  const snapButton = document.createElement("button");
  snapButton.type = "button";
  snapButton.addEventListener("click", () => {
    mode.follow = true;
    mode.snapping = true;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    mode.snapping = false;
  });
  return {
    snapButton,
    /** The threshold to use for an optimum `best`: the optimum while following, else the user's value. */
    chosen(best: number): { threshold: number; following: boolean } {
      if (mode.follow) input.value = best;
      snapButton.textContent = `Snap to the empirical optimum (${best.toFixed(3)})`;
      // The range input hands back its value through a string, a hair off the optimum's exact score: snap it back.
      const value = Number(input.value);
      const threshold = mode.follow || Math.abs(value - best) < 1e-6 ? best : value;
      return { threshold, following: mode.follow };
    },
  };
}

/** An offer and where it came from, as the offer cards show it. */
export type Offer = Pick<OfferCard, "text" | "source" | "provider" | "model" | "promptVersion" | "template">;
const NO_OFFER: Offer = { text: "", source: "none", provider: "", model: "", promptVersion: "", template: "" };

/** Row-level accessors over the customers and their offers (strings decoded when a row is shown or exported). */
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
    offerOf: (i: number) => offerById.get(idOf(i)) ?? NO_OFFER,
    /** The features raising this customer's risk most, as people read them. */
    driversOf: (i: number) =>
      driverColumns
        .map((d) => d.get(i) as string)
        .filter(Boolean)
        .map((d) => labelOf("food", d)),
  };
}

/** What the page decided, once the sliders settle: the economics, the threshold and whether it follows the optimum. */
export interface Decision {
  economics: Economics;
  threshold: number;
  following: boolean;
}

/** The economics as the audit trail records them (src/lib/audit-schema.ts), for the food-delivery base. */
const economicsDetail = (e: Economics) => ({
  dataset: "food",
  ltv: e.ltv,
  coupon_cost: e.couponCost,
  contact_cost: e.contactCost,
  acceptance: e.acceptance,
});

/**
 * Records each settled decision that changed (the first one, the page's defaults, is the baseline, not an event):
 * `economics_changed` with the four economics, `threshold_changed` with the threshold and its policy.
 */
export function decisionAuditor(model: string): (d: Decision) => void {
  let last: Decision | null = null;
  return (d) => {
    if (last) {
      const e = d.economics;
      const p = last.economics;
      if (
        e.ltv !== p.ltv ||
        e.couponCost !== p.couponCost ||
        e.contactCost !== p.contactCost ||
        e.acceptance !== p.acceptance
      ) {
        audit("economics_changed", economicsDetail(e));
      }
      if (d.threshold !== last.threshold || d.following !== last.following) {
        audit("threshold_changed", {
          threshold: d.threshold,
          policy: d.following ? "optimum" : "manual",
          dataset: "food",
          model,
        });
      }
    }
    last = d;
  };
}

/** Rows shown in the targeting table; the CSV has all of them. */
export const TABLE_ROWS = 1000;

/**
 * The customers at or above `threshold`, best first: the first TABLE_ROWS as table rows, and a download of all of
 * them as CSV (rows are objects only for those, built on a click for the CSV: at a million customers, building every
 * targeted row on each update took most of an update).
 */
export function targetingList(base: RankedModel, access: ReturnType<typeof customerAccess>, decision: Decision) {
  const { economics, threshold } = decision;
  const targeted = targetedRows(base.ranked, base.scores, threshold);
  const row = (i: number, k: number) => ({
    rank: k + 1,
    customer: access.idOf(i),
    probability: base.scores[i],
    profit: expectedProfit(base.scores[i], economics),
    drivers: access.driversOf(i).join(", "),
    offer: access.offerOf(i).text,
    source: access.offerOf(i).source,
  });
  type Row = ReturnType<typeof row>;
  const columns = [
    { header: "rank", value: (d: Row) => d.rank },
    { header: "customer_id", value: (d: Row) => d.customer },
    { header: "churn_probability", value: (d: Row) => +d.probability.toFixed(4) },
    { header: "expected_profit_inr", value: (d: Row) => +d.profit.toFixed(2) },
    { header: "drivers", value: (d: Row) => d.drivers },
    { header: "offer_text", value: (d: Row) => d.offer },
    { header: "offer_source", value: (d: Row) => d.source },
  ];
  return {
    count: targeted.length,
    tableRows: Array.from(targeted.subarray(0, TABLE_ROWS), row),
    download() {
      const text = toCsv(Array.from(targeted, row), columns);
      saveBlob(new Blob([text], { type: "text/csv;charset=utf-8" }), `retention-targets-${threshold.toFixed(3)}.csv`);
      // The export is recorded with everything it was made from.
      audit("list_exported", {
        rows: targeted.length,
        model: base.column,
        threshold,
        policy: decision.following ? "optimum" : "manual",
        ...economicsDetail(economics),
        expected_profit: policyAt(base.ranked, threshold, economics).profit,
        format: "csv",
      });
    },
  };
}
