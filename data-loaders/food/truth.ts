// The food-delivery base's ground truth: churn is Bernoulli(sigmoid(intercept + Σ β_j z_j)), where every z_j is a fixed,
// documented transform of one stored column (constants, not estimated from the data, so the truth is exact).
// It is saved as food/truth.json; docs/data.md explains it.

export type FoodTransform =
  | { kind: "standardise"; column: string; mean: number; sd: number }
  | { kind: "log1p-standardise"; column: string; mean: number; sd: number }
  | { kind: "indicator"; column: string; level: string | number };

export interface FoodTruth {
  outcome: string;
  intercept: number;
  coefficients: Record<string, number>;
  transforms: Record<string, FoodTransform>;
}

/** The generator's logistic model. "Silent churners": recency and order frequency dominate, support tickets barely matter. */
export const FOOD_TRUTH = {
  outcome: "churned = no order in the 60 days after the snapshot; P(churned) = sigmoid(intercept + Σ coefficient × z)",
  intercept: -1.6,
  coefficients: {
    recency_days: 1.1,
    order_frequency: -0.9,
    tenure_months: -0.35,
    delivery_delay_min: 0.3,
    coupon_usage_rate: 0.25,
    avg_order_value: -0.1,
    support_tickets: 0.08,
    "membership=Gold": -0.4,
    "membership=Platinum": -0.8,
    "payment_method=Cash on delivery": 0.3,
    "city_tier=3": 0.2,
  },
  transforms: {
    recency_days: { kind: "log1p-standardise", column: "recency_days", mean: 2.2, sd: 1.15 },
    order_frequency: { kind: "log1p-standardise", column: "order_frequency", mean: 1.55, sd: 0.45 },
    tenure_months: { kind: "log1p-standardise", column: "tenure_months", mean: 2.5, sd: 0.9 },
    delivery_delay_min: { kind: "standardise", column: "delivery_delay_min", mean: 7.7, sd: 5.9 },
    coupon_usage_rate: { kind: "standardise", column: "coupon_usage_rate", mean: 0.31, sd: 0.17 },
    avg_order_value: { kind: "log1p-standardise", column: "avg_order_value", mean: 6, sd: 0.4 },
    support_tickets: { kind: "standardise", column: "support_tickets", mean: 0.5, sd: 0.7 },
    "membership=Gold": { kind: "indicator", column: "membership", level: "Gold" },
    "membership=Platinum": { kind: "indicator", column: "membership", level: "Platinum" },
    "payment_method=Cash on delivery": { kind: "indicator", column: "payment_method", level: "Cash on delivery" },
    "city_tier=3": { kind: "indicator", column: "city_tier", level: 3 },
  },
} as const satisfies FoodTruth;

export type FoodTruthFeature = keyof typeof FOOD_TRUTH.coefficients;

/** z for one transform of a row's stored value. */
export function transformValue(transform: FoodTransform, value: string | number): number {
  switch (transform.kind) {
    case "standardise":
      return ((value as number) - transform.mean) / transform.sd;
    case "log1p-standardise":
      return (Math.log1p(value as number) - transform.mean) / transform.sd;
    case "indicator":
      return value === transform.level ? 1 : 0;
  }
}

/** A function computing the true log-odds of churn from a row's stored (rounded) values; compiled once per truth. */
export function compileFoodLogit(
  truth: FoodTruth = FOOD_TRUTH,
): (row: Readonly<Record<string, string | number>>) => number {
  const terms = Object.entries(truth.coefficients).map(([feature, beta]) => {
    const transform = truth.transforms[feature];
    if (transform === undefined) throw new Error(`invalid truth: no transform for ${feature}`);
    return { beta, transform, column: transform.column };
  });
  return (row) => {
    let logit = truth.intercept;
    for (const { beta, transform, column } of terms) logit += beta * transformValue(transform, row[column]);
    return logit;
  };
}

/** The true log-odds of churn for a row under FOOD_TRUTH. */
export const foodLogit = compileFoodLogit();

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
