/**
 * One retention campaign decision, as the Retention pages show it (docs/profit.md): the customers' values, the cost
 * model, the policy (optimum, budget or by hand) and every number the curve, the matrix and the summary read.
 * Browser-safe and pure: the pages, the embeds and the tests call it with the same inputs and get the same numbers.
 *
 * Costs per update: the expected-profit ranking is sorted only when its order parameter λ changes (targeting.ts
 * rankingFor), the churn ranking once per value column; after that a policy is O(log n), the matrix O(1), the
 * churn-ranked optimum and EMP one O(n) pass each when the economics change (kept while only the policy moves) and
 * the curves O(points).
 */

import { businessMatrix, type BusinessMatrix } from "./business-matrix.js";
import { checkOfferEconomics, type OfferEconomics } from "./cost-model.js";
import { scoreCuts, verbrakenEmp, type EmpResult } from "./emp.js";
import {
  bestPolicy,
  budgetPolicy,
  policyAtCustomers,
  policyAtPoint,
  policyCurve,
  rankByChurn,
  rankingFor,
  type CustomerColumns,
  type Policy,
  type PolicySums,
  type Ranking,
} from "./targeting.js";

/** How customers are valued: each their own value (LTV, remaining value), or one flat value for comparison. */
export type ValueMode = "customer" | "flat";

/** How the number of customers targeted is chosen. */
export type PolicyMode = "optimum" | "budget" | "contacts" | "manual";

export const POLICY_LABELS: Record<PolicyMode, string> = {
  optimum: "the profit optimum",
  budget: "a money budget",
  contacts: "a number of contacts",
  manual: "by hand",
};

export interface CampaignSettings extends OfferEconomics {
  valueMode: ValueMode;
  /** the value of every customer in flat mode */
  flatValue: number;
  policy: PolicyMode;
  /** money budget (budget mode), in the data's currency */
  budget: number;
  /** most customers contacted (contacts mode) */
  contacts: number;
  /** customers targeted (manual mode) */
  customers: number;
}

/** The customers of a data set: calibrated held-out churn probability, their own value, the observed outcome. */
export interface CampaignData {
  probability: Float64Array;
  value: Float64Array;
  churned: Float64Array;
  /** customers per entry and their mean y·V, when entries are cells of customers (src/lib/campaign-cells.ts) */
  count?: Float64Array;
  churnedValue?: Float64Array;
}

export interface CampaignState {
  settings: CampaignSettings;
  n: number;
  /** the columns priced (value = per-customer or flat) */
  columns: CustomerColumns;
  /** customers by expected profit: the policy targets the top k of it */
  ranking: Ranking;
  /** customers by churn probability alone, priced with the same values: the comparison */
  churnRanking: Ranking;
  /** the policy chosen under the settings */
  chosen: Policy;
  /** the most profitable k of each ranking */
  optimum: Policy;
  churnOptimum: Policy;
  /** the churn ranking at the chosen k */
  churnAtChosen: Policy;
  /** the budget's own limit (budget and contacts modes), which may lie past the optimum */
  budgetLimit: Policy | null;
  nobody: Policy;
  everybody: Policy;
  /** the chosen policy's profit against the observed outcomes of these held-out customers */
  realised: Policy;
  /** the honest matrix of the chosen policy: expected (churners = Σ p) and observed (labels) */
  matrix: BusinessMatrix;
  observedMatrix: BusinessMatrix;
  /** the profit curves the chart draws (about 400 points each) */
  curve: Policy[];
  churnCurve: Policy[];
}

const FLAT_COLUMNS = new WeakMap<CampaignData, { value: number; columns: CustomerColumns }>();
const OWN_COLUMNS = new WeakMap<CampaignData, CustomerColumns>();
const CHURN_RANKINGS = new WeakMap<CustomerColumns, Ranking>();
const SCORE_CUTS = new WeakMap<CustomerColumns, PolicySums>();
/** Results that depend on the economics only, kept for the last economics per ranking or column set. */
const CHURN_OPTIMA = new WeakMap<Ranking, { key: string; policy: Policy }>();
const EMPS = new WeakMap<CustomerColumns, { key: string; emp: EmpResult }>();

/** The economics as a key: a policy moved by hand leaves it unchanged, so the O(n) results above are reused. */
const economicsKey = (e: CampaignSettings) => `${e.costModel}|${e.couponCost}|${e.contactCost}|${e.acceptance}`;

/** The churn ranking's optimum (an O(n) scan: its order is not the expected-profit order), once per economics. */
function churnOptimumOf(r: Ranking, s: CampaignSettings): Policy {
  const key = economicsKey(s);
  const cached = CHURN_OPTIMA.get(r);
  if (cached?.key === key) return cached.policy;
  const policy = bestPolicy(r, s);
  CHURN_OPTIMA.set(r, { key, policy });
  return policy;
}

/** Throws naming the first invalid setting. */
export function checkSettings(s: CampaignSettings, n: number): CampaignSettings {
  checkOfferEconomics(s);
  if (s.valueMode !== "customer" && s.valueMode !== "flat") throw new Error(`invalid valueMode: ${s.valueMode}`);
  if (!(s.flatValue >= 0 && Number.isFinite(s.flatValue))) throw new Error(`invalid flatValue: ${s.flatValue}`);
  if (!(s.policy in POLICY_LABELS)) throw new Error(`invalid policy: ${s.policy}`);
  if (!(s.budget >= 0)) throw new Error(`invalid budget: ${s.budget} (expected an amount ≥ 0)`);
  if (!(s.contacts >= 0)) throw new Error(`invalid contacts: ${s.contacts} (expected a number of customers ≥ 0)`);
  if (!(Number.isInteger(s.customers) && s.customers >= 0 && s.customers <= n))
    throw new Error(`invalid customers: ${s.customers} (expected a whole number from 0 to ${n})`);
  return s;
}

/** The columns priced under the value mode (the flat column is made once per flat value). */
export function campaignColumns(data: CampaignData, s: Pick<CampaignSettings, "valueMode" | "flatValue">) {
  if (s.valueMode === "customer") {
    const own = OWN_COLUMNS.get(data) ?? {
      probability: data.probability,
      value: data.value,
      churned: data.churned,
      count: data.count,
      churnedValue: data.churnedValue,
    };
    OWN_COLUMNS.set(data, own);
    return own;
  }
  const cached = FLAT_COLUMNS.get(data);
  if (cached && cached.value === s.flatValue) return cached.columns;
  const columns = {
    probability: data.probability,
    value: new Float64Array(data.probability.length).fill(s.flatValue),
    churned: data.churned,
    count: data.count, // the churners' value is then their share × the flat value: no churnedValue
  };
  FLAT_COLUMNS.set(data, { value: s.flatValue, columns });
  return columns;
}

/** The churn ranking of a column set (sorted once). */
export function churnRankingOf(columns: CustomerColumns): Ranking {
  const r = CHURN_RANKINGS.get(columns) ?? rankByChurn(columns);
  CHURN_RANKINGS.set(columns, r);
  return r;
}

/** Customers in the data: entries, or the sum of their counts when entries are cells. */
export function customersIn(data: Pick<CampaignData, "probability" | "count">): number {
  if (!data.count) return data.probability.length;
  let n = 0;
  for (const c of data.count) n += c;
  return n;
}

/** Every number of one decision. */
export function campaign(data: CampaignData, settings: CampaignSettings, { points = 400 } = {}): CampaignState {
  const n = customersIn(data);
  const s = checkSettings({ ...settings }, n); // a snapshot: the panel edits its settings in place
  const columns = campaignColumns(data, s);
  const ranking = rankingFor(columns, s);
  const churnRanking = churnRankingOf(columns);
  const optimum = bestPolicy(ranking, s);
  let budgetLimit: Policy | null = null;
  let chosen: Policy;
  if (s.policy === "budget" || s.policy === "contacts") {
    budgetLimit = budgetPolicy(
      ranking,
      s,
      s.policy === "budget" ? { money: s.budget } : { contacts: Math.floor(s.contacts) },
    );
    // a budget caps the campaign; past the optimum the last offers lose money, so the policy stops there
    chosen = budgetLimit.customers > optimum.customers ? optimum : budgetLimit;
  } else if (s.policy === "manual") {
    chosen = policyAtCustomers(ranking, s.customers, s);
  } else {
    chosen = optimum;
  }
  const last = ranking.customers.length - 1;
  return {
    settings: s,
    n,
    columns,
    ranking,
    churnRanking,
    chosen,
    optimum,
    churnOptimum: churnOptimumOf(churnRanking, s),
    churnAtChosen: policyAtCustomers(churnRanking, chosen.customers, s),
    budgetLimit,
    nobody: policyAtPoint(ranking, 0, s),
    everybody: policyAtPoint(ranking, last, s),
    realised: policyAtPoint(ranking, chosen.point, s, { basis: "observed" }),
    matrix: businessMatrix(ranking, chosen.point, s),
    observedMatrix: businessMatrix(ranking, chosen.point, s, { basis: "observed" }),
    curve: policyCurve(ranking, s, { points }),
    churnCurve: policyCurve(churnRanking, s, { points }),
  };
}

/**
 * EMP and MP (Verbraken et al. 2013) of the model's churn ranking under the cost model, against the observed
 * outcomes, with the columns' values (per customer: the customer-dependent generalisation). The cuts are sorted once
 * per column set; each call after that is one pass over the distinct scores.
 */
export function campaignEmp(state: Pick<CampaignState, "columns" | "settings">): EmpResult {
  const key = economicsKey(state.settings);
  const cached = EMPS.get(state.columns);
  if (cached?.key === key) return cached.emp;
  const cuts = SCORE_CUTS.get(state.columns) ?? scoreCuts(state.columns);
  SCORE_CUTS.set(state.columns, cuts);
  const emp = verbrakenEmp(cuts, state.settings, { basis: "observed", acceptance: state.settings.acceptance });
  EMPS.set(state.columns, { key, emp });
  return emp;
}
