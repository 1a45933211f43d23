import type { NudgeFacts, OfferFacts } from "../../data-loaders/llm/types.js";

/** A Telco customer's facts, varied by index so prompts (and cache keys) differ. */
export function nudgeFacts(i: number, overrides: Partial<NudgeFacts> = {}): NudgeFacts {
  return {
    riskTier: i % 3 === 0 ? "high" : i % 3 === 1 ? "medium" : "low",
    churnProbability: Math.round((0.9 - i * 0.03) * 100) / 100,
    persona: ["Streamer", "Family", "Budget"][i % 3],
    tenureMonths: 2 + i,
    contract: i % 2 ? "One year" : "Month-to-month",
    supportCalls: i % 5,
    paymentDelayDays: (i * 3) % 20,
    abVariant: i % 2 ? "A" : "B",
    drivers: [
      { name: "contract", value: "Month-to-month", direction: "raises", impact: 0.12 },
      { name: "tenure", value: 2 + i, direction: "raises", impact: 0.08 },
      { name: "online_security", value: "No", direction: "lowers", impact: -0.02 },
    ],
    profile: { internet_service: "Fiber optic", payment_method: "Electronic check", monthly_charges: 70.35 },
    ...overrides,
  };
}

/** A food-delivery customer's facts (top driver: late deliveries). */
export function offerFacts(i: number, overrides: Partial<OfferFacts> = {}): OfferFacts {
  return {
    riskTier: i % 2 ? "medium" : "high",
    churnProbability: Math.round((0.8 - i * 0.02) * 100) / 100,
    ltv: 500 + 10 * i,
    drivers: [{ name: "delivery_delay_min", value: 35, direction: "raises", impact: 0.1 }],
    profile: { membership: "none", city_tier: 1 },
    ...overrides,
  };
}

/** n Telco items with ids C0000, C0001, ... in descending churn probability. */
export function nudgeItems(n: number, overrides: Partial<NudgeFacts> = {}) {
  return Array.from({ length: n }, (_, i) => ({
    id: `C${String(i).padStart(4, "0")}`,
    facts: nudgeFacts(i, overrides),
  }));
}
