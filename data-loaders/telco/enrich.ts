import { assignVariants, drawRetained, stratumOf, trueRetainProbability, type Variant } from "./ab-test.js";
import {
  drawChurnHistory,
  drawPaymentDelayDays,
  drawSupportCalls,
  drawUsageFrequency,
  planDurationOf,
  subscriptionTypeOf,
  type SubscriptionType,
} from "./behaviour.js";
import { PERSONAS, personaOf, type Persona, type TelcoFeatures } from "./personas.js";
import type { TelcoRecord } from "./schema.js";

export { PERSONAS, type Persona } from "./personas.js";
export type { SubscriptionType } from "./behaviour.js";
export type { Variant } from "./ab-test.js";

/** The simulated columns (docs/architecture.md), in the contract's order. */
export interface TelcoSimulated {
  persona: Persona;
  subscription_type: SubscriptionType;
  plan_duration_months: 1 | 12 | 24;
  usage_frequency: number;
  payment_delay_days: number;
  support_calls: number;
  churn_history: number;
  ab_variant: Variant;
  true_retain_prob: number;
  churn_if_control: 0 | 1;
  churn_if_treated: 0 | 1;
  churn_observed: 0 | 1;
  true_effect: 0 | -1;
}

export type EnrichedTelcoRecord = TelcoRecord & TelcoSimulated;

export const TELCO_SIMULATED_COLUMNS = [
  "persona",
  "subscription_type",
  "plan_duration_months",
  "usage_frequency",
  "payment_delay_days",
  "support_calls",
  "churn_history",
  "ab_variant",
  "true_retain_prob",
  "churn_if_control",
  "churn_if_treated",
  "churn_observed",
  "true_effect",
] as const satisfies readonly (keyof TelcoSimulated)[];

export interface EnrichOptions {
  seed?: number;
}

/**
 * Adds the seeded simulation to every customer: persona, behaviour, A/B variant and both potential outcomes.
 * Behaviour and assignment are computed from the features without `churn`; only the potential outcomes read it.
 */
export function enrichTelco(rows: readonly TelcoRecord[], { seed = 42 }: EnrichOptions = {}): EnrichedTelcoRecord[] {
  const behaviour = simulateBehaviour(rows.map(withoutChurn), seed);
  return rows.map((row, i) => {
    const b = behaviour[i];
    const control = row.churn;
    const treated = control === 1 && !b.retained ? 1 : 0;
    const { retained: _, ...simulated } = b;
    return {
      ...row,
      ...simulated,
      churn_if_control: control,
      churn_if_treated: treated,
      churn_observed: b.ab_variant === "B" ? treated : control,
      true_effect: treated - control === -1 ? -1 : 0,
    };
  });
}

type Behaviour = Omit<TelcoSimulated, "churn_if_control" | "churn_if_treated" | "churn_observed" | "true_effect"> & {
  retained: boolean;
};

// Typed on TelcoFeatures (no `churn` field): the compiler guarantees that nothing here can read the outcome.
function simulateBehaviour(customers: TelcoFeatures[], seed: number): Behaviour[] {
  const personas = customers.map(personaOf);
  const variants = assignVariants(
    customers.map((c, i) => ({ customer_id: c.customer_id, stratum: stratumOf(c.contract, personas[i]) })),
    seed,
  );
  return customers.map((c, i) => {
    const r = trueRetainProbability(c, personas[i]);
    return {
      persona: personas[i],
      subscription_type: subscriptionTypeOf(c),
      plan_duration_months: planDurationOf(c),
      usage_frequency: drawUsageFrequency(c, variants[i] === "B", seed),
      payment_delay_days: drawPaymentDelayDays(c, seed),
      support_calls: drawSupportCalls(c, seed),
      churn_history: drawChurnHistory(c, seed),
      ab_variant: variants[i],
      true_retain_prob: r,
      retained: drawRetained(c.customer_id, r, seed),
    };
  });
}

function withoutChurn({ churn: _, ...features }: TelcoRecord): TelcoFeatures {
  return features;
}

export interface EffectSummary {
  n: number;
  /** Churn rate if nobody were treated (the real IBM churn). */
  churn_if_control: number;
  /** Churn rate if everybody were treated. */
  churn_if_treated: number;
  /** Realised average treatment effect: mean(churn_if_treated − churn_if_control), a negative share. */
  ate: number;
  /** Its expectation given the real outcomes: −mean(churn × true_retain_prob). */
  expected_ate: number;
}

export interface TelcoGroundTruth {
  overall: EffectSummary;
  by_persona: Record<Persona, EffectSummary>;
  by_contract: Record<TelcoRecord["contract"], EffectSummary>;
  /** What the experiment shows: observed churn per arm and B − A. */
  observed: { A: { n: number; churn_rate: number }; B: { n: number; churn_rate: number }; difference: number };
}

/** The simulation's ground truth: true ATE overall, per persona and per contract, and the experiment's observed result. */
export function telcoGroundTruth(rows: readonly EnrichedTelcoRecord[]): TelcoGroundTruth {
  const arm = (v: Variant) => {
    const members = rows.filter((r) => r.ab_variant === v);
    return { n: members.length, churn_rate: mean(members, (r) => r.churn_observed) };
  };
  const A = arm("A");
  const B = arm("B");
  return {
    overall: summarise(rows),
    by_persona: Object.fromEntries(
      PERSONAS.map((p) => [p, summarise(rows.filter((r) => r.persona === p))]),
    ) as TelcoGroundTruth["by_persona"],
    by_contract: Object.fromEntries(
      (["Month-to-month", "One year", "Two year"] as const).map((c) => [
        c,
        summarise(rows.filter((r) => r.contract === c)),
      ]),
    ) as TelcoGroundTruth["by_contract"],
    observed: { A, B, difference: B.churn_rate - A.churn_rate },
  };
}

function summarise(rows: readonly EnrichedTelcoRecord[]): EffectSummary {
  return {
    n: rows.length,
    churn_if_control: mean(rows, (r) => r.churn_if_control),
    churn_if_treated: mean(rows, (r) => r.churn_if_treated),
    ate: mean(rows, (r) => r.true_effect),
    expected_ate: -mean(rows, (r) => r.churn_if_control * r.true_retain_prob),
  };
}

function mean<T>(rows: readonly T[], value: (row: T) => number): number {
  let sum = 0;
  for (const row of rows) sum += value(row);
  return rows.length === 0 ? NaN : sum / rows.length;
}
