import { randomNormal, randomPoisson } from "d3";
import { seededRandom } from "../util/seed.js";
import { addOnCount, type TelcoFeatures } from "./personas.js";

// Simulated behaviour of one Telco customer. Every value is a function of the customer's real features, the seed and
// the customer's own random streams (keyed by customer_id), so it never depends on `churn`, on other customers or on
// row order. The formulas are documented in docs/data.md; keep the two in step.

export type SubscriptionType = "Basic" | "Standard" | "Premium";

/** Basic / Standard / Premium from the services bought and the monthly bill (deterministic). */
export function subscriptionTypeOf(c: TelcoFeatures): SubscriptionType {
  const addOns = addOnCount(c);
  if (c.monthly_charges >= 90 || (c.internet_service === "Fiber optic" && addOns >= 4)) return "Premium";
  if (c.internet_service === "No" || (addOns <= 1 && c.monthly_charges < 50)) return "Basic";
  return "Standard";
}

/** 1, 12 or 24 months, from the contract. */
export function planDurationOf(c: TelcoFeatures): 1 | 12 | 24 {
  return c.contract === "Month-to-month" ? 1 : c.contract === "One year" ? 12 : 24;
}

const USAGE_BASE = { No: 4, DSL: 12, "Fiber optic": 18 } as const;
/** Treatment (variant B) raises expected sessions by this factor: the nudge itself brings people back to the app. */
export const TREATMENT_USAGE_LIFT = 1.08;
const USAGE_SIGMA = 0.35; // customer-level log-normal heterogeneity, so sessions are over-dispersed like real usage

/** Expected app sessions per month before heterogeneity: base by internet + 5 per streaming service + 0.08 per tenure month. */
export function usageMean(c: TelcoFeatures): number {
  const streaming = (c.streaming_tv === "Yes" ? 1 : 0) + (c.streaming_movies === "Yes" ? 1 : 0);
  return USAGE_BASE[c.internet_service] + 5 * streaming + 0.08 * c.tenure;
}

/** Sessions per month: Poisson(usageMean × LogNormal(−σ²/2, σ) × lift), lift = 1.08 for variant B. */
export function drawUsageFrequency(c: TelcoFeatures, treated: boolean, seed: number): number {
  const rng = seededRandom(seed, `usage_frequency:${c.customer_id}`);
  const heterogeneity = Math.exp(randomNormal.source(rng)(-(USAGE_SIGMA ** 2) / 2, USAGE_SIGMA)());
  const lambda = usageMean(c) * heterogeneity * (treated ? TREATMENT_USAGE_LIFT : 1);
  return randomPoisson.source(rng)(lambda)();
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Probability that a customer pays late at all (the zero-inflation part of payment_delay_days). */
export function lateProbability(c: TelcoFeatures): number {
  const automatic = c.payment_method.endsWith("(automatic)");
  return sigmoid(
    -2 +
      1.2 * +(c.payment_method === "Electronic check") +
      0.3 * +(c.payment_method === "Mailed check") -
      0.8 * +automatic +
      0.4 * +(c.paperless_billing === "Yes") +
      0.015 * (c.monthly_charges - 65) -
      0.01 * Math.min(c.tenure, 72),
  );
}

/** Days late on the last bill: 0 with probability 1 − lateProbability, else 1 + Poisson(3 + 4·[electronic check]). */
export function drawPaymentDelayDays(c: TelcoFeatures, seed: number): number {
  const rng = seededRandom(seed, `payment_delay_days:${c.customer_id}`);
  const late = rng() < lateProbability(c);
  const days = 1 + randomPoisson.source(rng)(3 + 4 * +(c.payment_method === "Electronic check"))();
  return late ? days : 0; // both draws always happen, so the stream's use does not depend on the outcome
}

/** Expected support calls in 90 days: fibre without tech support and new customers call most. */
export function supportCallsMean(c: TelcoFeatures): number {
  return (
    0.3 +
    1.0 * +(c.internet_service === "Fiber optic" && c.tech_support === "No") +
    0.5 * +(c.online_security === "No") +
    0.8 * +(c.tenure <= 6) +
    0.2 * +(c.senior_citizen === "Yes")
  );
}

/** Support calls in the last 90 days: Poisson(supportCallsMean). */
export function drawSupportCalls(c: TelcoFeatures, seed: number): number {
  return randomPoisson.source(seededRandom(seed, `support_calls:${c.customer_id}`))(supportCallsMean(c))();
}

/** Expected earlier cancellations (win-backs): month-to-month and electronic-check payers switch more. */
export function churnHistoryMean(c: TelcoFeatures): number {
  return 0.08 + 0.3 * +(c.contract === "Month-to-month") + 0.15 * +(c.payment_method === "Electronic check");
}

/** Previous cancellations: Poisson(churnHistoryMean). */
export function drawChurnHistory(c: TelcoFeatures, seed: number): number {
  return randomPoisson.source(seededRandom(seed, `churn_history:${c.customer_id}`))(churnHistoryMean(c))();
}
