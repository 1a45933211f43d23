import { TELCO_ADDONS } from "../../src/lib/features.js";
import type { TelcoRecord } from "./schema.js";

/** A Telco customer without the outcome: everything simulated from it provably cannot read `churn`. */
export type TelcoFeatures = Omit<TelcoRecord, "churn">;

export const PERSONAS = [
  "Phone-only basic",
  "Senior traditionalist",
  "Price-sensitive newcomer",
  "Streaming enthusiast",
  "Loyal family",
  "Digital professional",
] as const;

export type Persona = (typeof PERSONAS)[number];

/** Number of internet add-on services (0–6) a customer has. */
export function addOnCount(c: TelcoFeatures): number {
  return TELCO_ADDONS.reduce((n, name) => n + (c[name] === "Yes" ? 1 : 0), 0);
}

/**
 * The persona: the first rule that matches, in this order (rules read real columns only):
 * 1. Phone-only basic: no internet service.
 * 2. Senior traditionalist: senior citizen paying by mailed or electronic check (not automatic payment).
 * 3. Price-sensitive newcomer: month-to-month contract and tenure ≤ 12 months.
 * 4. Streaming enthusiast: both streaming TV and streaming movies.
 * 5. Loyal family: partner or dependents, and tenure ≥ 24 months.
 * 6. Digital professional: everyone else (internet customers, mostly paperless, established or on contract).
 */
export function personaOf(c: TelcoFeatures): Persona {
  if (c.internet_service === "No") return "Phone-only basic";
  if (c.senior_citizen === "Yes" && c.payment_method.endsWith("check")) return "Senior traditionalist";
  if (c.contract === "Month-to-month" && c.tenure <= 12) return "Price-sensitive newcomer";
  if (c.streaming_tv === "Yes" && c.streaming_movies === "Yes") return "Streaming enthusiast";
  if ((c.partner === "Yes" || c.dependents === "Yes") && c.tenure >= 24) return "Loyal family";
  return "Digital professional";
}
