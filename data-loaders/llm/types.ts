/** The two kinds of message the build writes: Telco nudges and food-delivery offers. */
export type MessageKind = "nudge" | "offer";

/** Risk tiers as the pipeline labels them (the lead maps the shared tiering in src/lib onto these). */
export type RiskTier = "low" | "medium" | "high";

/** One SHAP driver of a customer's risk, in probability terms. */
export interface Driver {
  /** Source feature name, e.g. "contract". */
  name: string;
  /** The customer's value of that feature, e.g. "Month-to-month" or 4. */
  value: string | number;
  /** Whether it pushes churn risk up or down for this customer. */
  direction: "raises" | "lowers";
  /** Optional SHAP contribution in probability points (0.12 = +12 pp); shown rounded in the prompt. */
  impact?: number;
}

/** What a Telco nudge is written from. Plain data: the lead fills it from the pipeline tables. */
export interface NudgeFacts {
  riskTier: RiskTier;
  /** Calibrated churn probability in [0, 1]. Also ranks customers for the LLM budget. */
  churnProbability: number;
  persona: string;
  tenureMonths: number;
  contract: string;
  supportCalls: number;
  paymentDelayDays: number;
  /** A/B split: "A" control (plain service reminder), "B" treatment (personalised to the top driver). */
  abVariant: "A" | "B";
  /** Top drivers, most important first; the prompt uses at most three. */
  drivers: Driver[];
  /** App sessions in the last month (simulated behaviour). */
  usageFrequency?: number;
  /** The smallest actionable change that would bring the churn probability below the operating threshold. */
  action?: NudgeAction;
  /** Further non-identifying profile fields (internet_service, payment_method, monthly_charges, ...). */
  profile?: Record<string, string | number>;
  /** Largest discount a nudge may promise, in percent. Default 0: nudges promise no discount. */
  maxDiscountPercent?: number;
  /** Largest money amount ($) a nudge may promise. Default 0. */
  maxDiscountAmount?: number;
}

/** A suggested retention action: the changes (feature → value) and the words the message uses for them. */
export interface NudgeAction {
  /** The first change's feature (e.g. "contract"); `changes` lists them all. */
  feature: string;
  to: string;
  changes: { feature: string; to: string }[];
  /** "moving you to a one-year contract and adding tech support to your plan" */
  phrase: string;
}

/** What a food-delivery offer is written from. */
export interface OfferFacts {
  riskTier: RiskTier;
  churnProbability: number;
  /** Customer lifetime value (₹). */
  ltv: number;
  drivers: Driver[];
  /** Non-identifying profile fields (membership, city_tier, avg_order_value, ...). */
  profile?: Record<string, string | number>;
}

export type Facts = NudgeFacts | OfferFacts;

/** Why validation refused a model's text. */
export type RejectionKind =
  | "empty"
  | "too-long"
  | "control-chars"
  | "html"
  | "markdown"
  | "link"
  | "email"
  | "phone"
  | "contact"
  | "injection"
  | "placeholder"
  | "amount-token"
  | "over-cap"
  | "currency"
  | "ungrounded";

/** Why a message came from the fallback library (`http-429`, `http-503`, `rejected:html`, ...). */
export type FallbackReason =
  | "no-provider"
  | "budget"
  | "breaker-open"
  | "timeout"
  | "network"
  | "malformed-response"
  | "too-large"
  | "deadline"
  | `http-${number}`
  | `rejected:${RejectionKind}`;

/** Where a message came from, carried by every message. */
export interface Provenance {
  source: "llm" | "cache" | "fallback";
  /** Provider and model that wrote the text (the model the server reported, if it did); null for fallback messages. */
  provider: string | null;
  model: string | null;
  /** The model the build asked for (part of the cache key); differs from `model` when the server substituted one. */
  requestedModel: string | null;
  /** sha256 of {template version, full prompt, parameters}: the same for every provider. */
  promptHash: string;
  promptVersion: string;
  /** ISO time of the original LLM call; null for fallback (no clock in outputs otherwise). */
  generatedAt: string | null;
  /** Set for fallback messages only. */
  reason: FallbackReason | null;
  /** Fallback template id (e.g. "nudge/high/contract/B#1"), null otherwise. */
  template: string | null;
}

export interface Message {
  text: string;
  provenance: Provenance;
  /** Nudges only: the facts about the customer the text names (each true of them), and the reason shown with it. */
  facts?: { key: string; value: string | number; phrase: string }[];
  because?: string;
}
