/**
 * What the Overview page shows, computed once at build time (the pipeline publishes it as telco/summary.json and
 * food/summary.json) so the landing page draws its first chart from a few kilobytes instead of starting a SQL engine
 * over every customer: headline figures, churn by group, tenure by outcome and the risk distribution. telco/summary.json
 * also carries the Personas and A/B pages' group statistics (src/lib/telco-tables.ts). Browser-safe and pure.
 */
import type { TelcoPageSummaries } from "./telco-tables.js";
import { riskTier, type RiskTier } from "./tiers.js";

export type SummaryDataset = "telco" | "food";

export interface RiskBin {
  lo: number;
  hi: number;
  tier: RiskTier;
  customers: number;
}

export interface RiskDistributionData {
  dataset: SummaryDataset;
  n: number;
  mean: number;
  counts: Record<RiskTier, number>;
  bins: RiskBin[];
  /** the customer to mark, if any */
  marker?: { id: string; probability: number };
}

const BIN = 0.05; // 20 bins; the tier cut-offs (0.2, 0.5) fall on bin edges

/** Histogram bins and tier counts of calibrated probabilities. */
export function riskDistributionData(dataset: SummaryDataset, probabilities: ArrayLike<number>): RiskDistributionData {
  const risk = new RiskAccumulator(dataset);
  risk.add(probabilities);
  return risk.result();
}

/** riskDistributionData() over probabilities that come in parts (a streamed base), with the same figures. */
export class RiskAccumulator {
  private readonly bins: RiskBin[] = Array.from({ length: Math.round(1 / BIN) }, (_, i) => {
    const lo = +(i * BIN).toFixed(2);
    return { lo, hi: +(lo + BIN).toFixed(2), tier: riskTier(lo), customers: 0 };
  });
  private readonly counts: Record<RiskTier, number> = { low: 0, medium: 0, high: 0 };
  private sum = 0;
  private n = 0;

  constructor(private readonly dataset: SummaryDataset) {}

  add(probabilities: ArrayLike<number>): void {
    for (let i = 0; i < probabilities.length; i++) {
      const p = probabilities[i];
      this.counts[riskTier(p)]++;
      this.sum += p;
      this.bins[Math.min(this.bins.length - 1, Math.floor(p / BIN))].customers++;
    }
    this.n += probabilities.length;
  }

  result(): RiskDistributionData {
    const { dataset, n, counts, bins } = this;
    return { dataset, n, mean: n ? this.sum / n : 0, counts, bins };
  }
}

/** Customers and churners of one group (what a rate bar with its interval needs). */
export interface GroupCount {
  group: string;
  n: number;
  k: number;
}

/** Customers by a value and their outcome (what the outcome histograms need). */
export interface OutcomeCount {
  value: number;
  outcome: "Churned" | "Stayed";
  n: number;
}

/** Counts by group, in `order` when given, else by churn rate (highest first; ties by name). */
export function groupCounts(
  groups: readonly string[],
  churned: ArrayLike<number>,
  order?: readonly string[],
): GroupCount[] {
  if (groups.length !== churned.length)
    throw new Error(`groups and churned differ in length: ${groups.length} vs ${churned.length}`);
  const by = new Map<string, GroupCount>();
  groups.forEach((group, i) => {
    const g = by.get(group) ?? { group, n: 0, k: 0 };
    g.n++;
    g.k += churned[i];
    by.set(group, g);
  });
  const rows = [...by.values()];
  if (order) return order.filter((g) => by.has(g)).map((g) => by.get(g)!);
  return rows.sort((a, b) => b.k / b.n - a.k / a.n || a.group.localeCompare(b.group));
}

/** The Overview's figures of the Telco customers. */
export interface TelcoOverview {
  kpi: { n: number; churned: number; rate: number; lostMonthlyRevenue: number; personas: number };
  contract: GroupCount[];
  persona: GroupCount[];
  tenure: OutcomeCount[];
  risk: RiskDistributionData;
}

/** telco/summary.json: the Overview's figures and what the Personas and A/B pages draw first (telco-tables.ts). */
export type TelcoSummary = TelcoOverview & TelcoPageSummaries;

export interface FoodSummary {
  kpi: { n: number; churned: number; rate: number; meanLtv: number; silentShare: number };
  recency: GroupCount[];
  cityTier: GroupCount[];
  risk: RiskDistributionData;
}

export const CONTRACTS = ["Month-to-month", "One year", "Two year"];
export const RECENCY_GROUPS = ["0–6 days", "7–13 days", "14–29 days", "30–59 days", "60+ days"];

/** The days since a customer's last order, in the Overview's groups. */
export function recencyGroup(days: number): string {
  return days < 7
    ? RECENCY_GROUPS[0]
    : days < 14
      ? RECENCY_GROUPS[1]
      : days < 30
        ? RECENCY_GROUPS[2]
        : days < 60
          ? RECENCY_GROUPS[3]
          : RECENCY_GROUPS[4];
}

const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

/** The Overview's figures of the Telco customers, from their rows and calibrated probabilities. */
export function telcoSummary(
  rows: readonly { churn: number; monthly_charges: number; persona: string; contract: string; tenure: number }[],
  probability: ArrayLike<number>,
): TelcoOverview {
  const churn = rows.map((r) => r.churn);
  const tenure = new Map<string, OutcomeCount>();
  for (const r of rows) {
    const outcome = r.churn === 1 ? "Churned" : "Stayed";
    const key = `${r.tenure}|${outcome}`;
    const t = tenure.get(key) ?? { value: r.tenure, outcome, n: 0 };
    t.n++;
    tenure.set(key, t);
  }
  return {
    kpi: {
      n: rows.length,
      churned: sum(churn),
      rate: rows.length ? sum(churn) / rows.length : 0,
      lostMonthlyRevenue: rows.reduce((s, r) => s + (r.churn === 1 ? r.monthly_charges : 0), 0),
      personas: new Set(rows.map((r) => r.persona)).size,
    },
    contract: groupCounts(
      rows.map((r) => r.contract),
      churn,
      CONTRACTS,
    ),
    persona: groupCounts(
      rows.map((r) => r.persona),
      churn,
    ),
    tenure: [...tenure.values()].sort((a, b) => a.value - b.value || a.outcome.localeCompare(b.outcome)),
    risk: riskDistributionData("telco", probability),
  };
}

type FoodSummaryRow = {
  churned: number;
  ltv: number;
  support_tickets: number;
  recency_days: number;
  city_tier: number;
};

/** The food-delivery customers' summary; silent churners are churners who never raised a support ticket. */
export function foodSummary(rows: readonly FoodSummaryRow[], probability: ArrayLike<number>): FoodSummary {
  const summary = new FoodSummaryAccumulator();
  summary.add(rows, probability);
  return summary.result();
}

/** foodSummary() over customers that come in batches (the streamed pipeline), with the same figures. */
export class FoodSummaryAccumulator {
  private n = 0;
  private churned = 0;
  private ltv = 0;
  private silent = 0;
  private readonly recency = new Map<string, GroupCount>();
  private readonly cityTier = new Map<string, GroupCount>();
  private readonly risk = new RiskAccumulator("food");

  add(rows: readonly FoodSummaryRow[], probability: ArrayLike<number>): void {
    if (rows.length !== probability.length)
      throw new Error(`rows and probabilities differ in length: ${rows.length} vs ${probability.length}`);
    const count = (by: Map<string, GroupCount>, group: string, churned: number) => {
      const g = by.get(group) ?? { group, n: 0, k: 0 };
      g.n++;
      g.k += churned;
      by.set(group, g);
    };
    for (const r of rows) {
      this.n++;
      this.ltv += r.ltv;
      if (r.churned === 1) {
        this.churned++;
        if (r.support_tickets === 0) this.silent++;
      }
      count(this.recency, recencyGroup(r.recency_days), r.churned);
      count(this.cityTier, `Tier ${r.city_tier}`, r.churned);
    }
    this.risk.add(probability);
  }

  result(): FoodSummary {
    const { n, churned } = this;
    return {
      kpi: {
        n,
        churned,
        rate: n ? churned / n : 0,
        meanLtv: n ? this.ltv / n : 0,
        silentShare: churned ? this.silent / churned : 0,
      },
      recency: RECENCY_GROUPS.filter((g) => this.recency.has(g)).map((g) => this.recency.get(g)!),
      cityTier: [...this.cityTier.values()].sort((a, b) => a.group.localeCompare(b.group)),
      risk: this.risk.result(),
    };
  }
}
