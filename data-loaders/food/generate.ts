import { randomBeta, randomGamma, randomLcg, randomNormal, randomPoisson } from "d3";
import { FOOD_DATA_COLUMNS } from "../../src/lib/artifacts.js";
import { FOOD_CATEGORIES } from "../../src/lib/columns.js";
import type { ArrowColumns } from "../arrow.js";
import { streamSeed } from "../util/seed.js";
import { foodLogit, sigmoid } from "./truth.js";

export { FOOD_TRUTH, foodLogit, sigmoid, type FoodTruth } from "./truth.js";

// A synthetic food-delivery customer base of "silent churners": customers who leave without complaining, visible
// only in how recently and how often they order. Features are drawn first (from the distributions below), then
// churn from the documented logistic truth in truth.ts. docs/data.md describes every column.

// Category lists come from the shared feature spec, so the generator and the encoder cannot disagree.
const MEMBERSHIPS = FOOD_CATEGORIES.membership;
const FOOD_PAYMENT_METHODS = FOOD_CATEGORIES.payment_method;

export interface FoodRecord {
  customer_id: string;
  tenure_months: number;
  recency_days: number;
  order_frequency: number;
  avg_order_value: number;
  support_tickets: number;
  membership: (typeof MEMBERSHIPS)[number];
  payment_method: (typeof FOOD_PAYMENT_METHODS)[number];
  delivery_delay_min: number;
  coupon_usage_rate: number;
  city_tier: 1 | 2 | 3;
  ltv: number;
  true_churn_prob: number;
  churned: 0 | 1;
}

/** The generated table's columns (from the column table, src/lib/columns.ts). */
export const FOOD_ARROW_COLUMNS: ArrowColumns<FoodRecord> = FOOD_DATA_COLUMNS;

export const FOOD_DEFAULT_N = 20_000;
const MAX_N = 10_000_000; // customer_id: the row number zero-padded to 7 digits (FD10000000 is the ten millionth)
const MARGIN = 0.2; // contribution margin per order
const MAX_LIFETIME_MONTHS = 36;

const CITY_TIER_CDF = [0.45, 0.8, 1]; // tier 1: 45 %, tier 2: 35 %, tier 3: 20 %
// Payment mix by city tier (UPI, Card, Wallet, Cash on delivery): cash on delivery is commoner in smaller cities.
const PAYMENT_CDF_BY_TIER = {
  1: cumulative([0.5, 0.28, 0.15, 0.07]),
  2: cumulative([0.5, 0.2, 0.15, 0.15]),
  3: cumulative([0.45, 0.1, 0.15, 0.3]),
};
const DELAY_MEAN_BY_TIER = { 1: 6, 2: 8, 3: 11 } as const;
const COUPON_BETA = { None: [2, 5], Gold: [2.5, 4.5], Platinum: [3, 4] } as const;
const DRIFT_PROBABILITY = 0.18; // share of customers who have started to drift away (a recency gap)

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface FoodOptions {
  n?: number;
  seed?: number;
}

/** Lazily yields `n` synthetic customers (seeded): constant memory, linear time, the same rows for the same seed. */
export function* foodRows({ n = FOOD_DEFAULT_N, seed = 42 }: FoodOptions = {}): Generator<FoodRecord> {
  if (!Number.isInteger(n) || n < 0 || n > MAX_N) throw new Error(`invalid n: ${n} (an integer from 0 to ${MAX_N})`);
  const rng = randomLcg(streamSeed(seed, "food"));
  const normal = randomNormal.source(rng)();
  const poisson = randomPoisson.source(rng);
  // Gamma(shape 2, mean by tier) samplers, made once: creating them per row dominated the run time.
  const delaySampler = Object.fromEntries(
    ([1, 2, 3] as const).map((tier) => [tier, randomGamma.source(rng)(2, DELAY_MEAN_BY_TIER[tier] / 2)]),
  ) as Record<1 | 2 | 3, () => number>;
  const coupon = Object.fromEntries(
    MEMBERSHIPS.map((m) => [m, randomBeta.source(rng)(COUPON_BETA[m][0], COUPON_BETA[m][1])]),
  ) as Record<FoodRecord["membership"], () => number>;
  const exponential = (mean: number) => -Math.log1p(-rng()) * mean;
  const pick = <T>(values: readonly T[], cdf: readonly number[]) => {
    const u = rng();
    return values[cdf.findIndex((c) => u < c)] ?? values[values.length - 1];
  };

  for (let i = 1; i <= n; i++) {
    const city_tier = pick([1, 2, 3] as const, CITY_TIER_CDF);
    const tenure_months = Math.min(96, 1 + Math.floor(exponential(16)));
    const loyalty = Math.min(tenure_months, 48);
    const u = rng();
    const membership = u < 0.04 + 0.002 * loyalty ? "Platinum" : u < 0.19 + 0.006 * loyalty ? "Gold" : "None";
    const payment_method = pick(FOOD_PAYMENT_METHODS, PAYMENT_CDF_BY_TIER[city_tier]);
    const member = { None: 0, Gold: 0.35, Platinum: 0.6 }[membership];
    const order_frequency = Math.max(
      0.05,
      round(Math.exp(Math.log(3) + member + 0.1 * +(city_tier === 1) + 0.55 * normal()), 2),
    );
    // Time since the last order of a Poisson ordering process is exponential; drifting customers add a gap.
    const gap = rng() < DRIFT_PROBABILITY ? 7 + 53 * rng() : 0;
    const recency_days = Math.min(180, Math.round(exponential(30 / order_frequency) + gap));
    const aovLog =
      Math.log(380) + 0.15 * +(city_tier === 1) - 0.1 * +(city_tier === 3) + 0.1 * +(membership === "Platinum");
    const avg_order_value = round(Math.exp(aovLog + 0.4 * normal()), 2);
    const delivery_delay_min = round(delaySampler[city_tier](), 1);
    const support_tickets = poisson(0.25 + 0.03 * delivery_delay_min)();
    const coupon_usage_rate = round(coupon[membership](), 3);
    // Rule-of-thumb LTV from observables only (not from the churn truth, so it cannot leak the label).
    const lifetime = Math.min(MAX_LIFETIME_MONTHS, 12 + tenure_months / 2);
    const ltv = round(avg_order_value * order_frequency * MARGIN * lifetime, 2);
    const row = {
      customer_id: `FD${String(i).padStart(7, "0")}`,
      tenure_months,
      recency_days,
      order_frequency,
      avg_order_value,
      support_tickets,
      membership,
      payment_method,
      delivery_delay_min,
      coupon_usage_rate,
      city_tier,
      ltv,
      true_churn_prob: 0,
      churned: 0,
    } satisfies FoodRecord as FoodRecord;
    row.true_churn_prob = sigmoid(foodLogit(row as unknown as Record<string, string | number>));
    row.churned = rng() < row.true_churn_prob ? 1 : 0;
    yield row;
  }
}

function cumulative(weights: readonly number[]): readonly number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}
