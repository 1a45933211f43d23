import { shuffler } from "d3";
import { seededRandom } from "../util/seed.js";
import type { Persona, TelcoFeatures } from "./personas.js";

// The simulated retention experiment: a stratified, balanced A/B assignment and a known heterogeneous effect.

export type Variant = "A" | "B";

/** Stratum of the A/B assignment: contract × persona. */
export function stratumOf(contract: string, persona: Persona): string {
  return `${contract} × ${persona}`;
}

/**
 * Assigns "A" (control) or "B" (treatment). Within each stratum the members, sorted by customer_id, are shuffled
 * with the stratum's own seeded stream and then alternate; each stratum starts with the arm that is behind overall.
 * So every stratum is balanced within 1, the whole test within 1, and the result does not depend on row order.
 */
export function assignVariants(customers: { customer_id: string; stratum: string }[], seed: number): Variant[] {
  const strata = new Map<string, number[]>();
  customers.forEach(({ stratum }, i) => {
    if (!strata.has(stratum)) strata.set(stratum, []);
    strata.get(stratum)!.push(i);
  });
  const variants = new Array<Variant>(customers.length);
  let balance = 0; // #A − #B so far
  for (const stratum of [...strata.keys()].sort()) {
    const members = strata.get(stratum)!.sort((i, j) => compare(customers[i].customer_id, customers[j].customer_id));
    shuffler(seededRandom(seed, `ab_variant:${stratum}`))(members);
    const first: Variant = balance > 0 ? "B" : "A";
    members.forEach((i, k) => {
      variants[i] = k % 2 === 0 ? first : first === "A" ? "B" : "A";
      balance += variants[i] === "A" ? 1 : -1;
    });
  }
  return variants;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Probability that the retention offer keeps a would-be churner, before the bill factor, by contract. */
export const RETAIN_CONTRACT_BASE = { "Month-to-month": 0.16, "One year": 0.06, "Two year": 0.015 } as const;

/** How strongly each persona responds, relative to the contract's base. */
export const RETAIN_PERSONA_FACTOR: Readonly<Record<Persona, number>> = {
  "Price-sensitive newcomer": 1.6,
  "Streaming enthusiast": 1.2,
  "Digital professional": 1.0,
  "Loyal family": 0.8,
  "Senior traditionalist": 0.7,
  "Phone-only basic": 0.5,
};

/**
 * r_i, the probability that the treatment retains customer i if i would churn under control:
 * base[contract] × factor[persona] × (0.75 + 0.5 · clamp((monthly_charges − 20) / 100, 0, 1)), clamped to [0, 1].
 * The bill term: a retention offer is worth more to a customer with a bigger bill.
 */
export function trueRetainProbability(c: TelcoFeatures, persona: Persona): number {
  const bill = 0.75 + 0.5 * Math.min(1, Math.max(0, (c.monthly_charges - 20) / 100));
  return Math.min(1, Math.max(0, RETAIN_CONTRACT_BASE[c.contract] * RETAIN_PERSONA_FACTOR[persona] * bill));
}

/**
 * Whether the treatment would retain customer i: Bernoulli(r_i) from the customer's own stream. It is drawn for every
 * customer, whatever the variant and whatever the real outcome, so both potential outcomes are always known.
 */
export function drawRetained(customerId: string, retainProbability: number, seed: number): boolean {
  return seededRandom(seed, `retained:${customerId}`)() < retainProbability;
}
