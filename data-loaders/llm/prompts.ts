import { sha256 } from "./hash.js";
import { OFFER_AMOUNT_TOKEN } from "../../src/lib/offer-text.js";
import { actionFact, nudgeFactList } from "./nudge-facts.js";
import type { Driver, MessageKind, NudgeFacts, OfferFacts } from "./types.js";

/** Bump a template's version whenever its wording changes: the version is part of the cache key. */
export const PROMPT_VERSION = { nudge: "nudge-v2", offer: "offer-v2" } as const satisfies Record<MessageKind, string>;

/** Longest message each kind may have (characters), enforced by validation and stated in the prompt. */
export const MAX_LENGTH = { nudge: 320, offer: 280 } as const satisfies Record<MessageKind, number>;

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

/** Sampling parameters; part of the cache key. max_tokens leaves room so the model is never cut mid-sentence. */
export interface PromptParams {
  temperature: number;
  max_tokens: number;
}

export const PARAMS = {
  nudge: { temperature: 0.4, max_tokens: 160 },
  offer: { temperature: 0.4, max_tokens: 140 },
} as const satisfies Record<MessageKind, PromptParams>;

export interface Prompt {
  kind: MessageKind;
  version: string;
  messages: ChatMessage[];
  params: PromptParams;
  /** sha256 of {version, messages, params}: provider-independent, so a keyless build can find cached text. */
  hash: string;
}

const MAX_DRIVERS = 3;

const SHARED_RULES = [
  "Reply with the message text only: plain text, one short paragraph, no greeting line, no sign-off.",
  "No Markdown, no HTML, no lists, no emoji, no links, no email addresses or phone numbers, no placeholders such as [Name].",
  "Never mention churn, risk, scores, probabilities, models or data: speak about the customer's experience.",
];

const VARIANT_STYLE = {
  A: "Variant A (control): a friendly, general check-in that names the plan facts above; no suggestion, no offer.",
  B: "Variant B (personalised): say why you are writing, from the first facts above, and suggest the action if one is given.",
} as const;

/**
 * The prompt for a Telco nudge: the facts it may name, word for word as the fallback would (nudge-facts.ts), and
 * the suggested action for the personalised variant. The validation refuses a reply that names anything else.
 * Customer ids are never part of it.
 */
export function nudgePrompt(facts: NudgeFacts): Prompt {
  const pct = facts.maxDiscountPercent ?? 0;
  const amount = facts.maxDiscountAmount ?? 0;
  const money =
    pct > 0 || amount > 0
      ? `You may offer at most ${pct}% or $${amount} off; never more.`
      : "Do not mention prices, amounts, discounts or percentages.";
  const system = [
    "You write one retention message from a telecom provider to one of its customers.",
    `At most 2 sentences and ${MAX_LENGTH.nudge} characters.`,
    ...SHARED_RULES,
    "Use only the facts you are given: name at least two of them, state no other fact about the customer, and no number that is not in them.",
    "Never mention age, gender, family or household.",
    money,
  ].join("\n");
  const action = actionFact(facts);
  const user = [
    "Facts about the customer you may use, most telling first:",
    ...nudgeFactList(facts).map((f) => `- ${f.phrase}`),
    ...(action ? [`Suggested action to offer: ${action.phrase}`] : []),
    VARIANT_STYLE[facts.abVariant],
  ].join("\n");
  return makePrompt("nudge", system, user);
}

/**
 * The prompt for a food-delivery offer. Its amount is not the model's to choose: the text carries the token that the
 * page fills with the campaign's offer cost (src/lib/offer-text.ts), and no other amount or percentage.
 */
export function offerPrompt(facts: OfferFacts): Prompt {
  const system = [
    "You write one retention offer from a food-delivery app to one of its customers.",
    `At most 2 sentences and ${MAX_LENGTH.offer} characters.`,
    ...SHARED_RULES,
    `The offer is a coupon worth ${OFFER_AMOUNT_TOKEN} off the next order: write ${OFFER_AMOUNT_TOKEN} exactly once, literally, where the amount goes (it is replaced by the amount).`,
    "Write no other amount, price, number of rupees or percentage.",
    "Address the customer's most important driver below (for example late deliveries, support trouble, not ordering lately, price).",
  ].join("\n");
  const user = [
    "Customer facts:",
    `- risk tier: ${facts.riskTier} (probability ${facts.churnProbability.toFixed(2)})`,
    `- lifetime value: ₹${fmt(facts.ltv)}`,
    ...profileLines(facts.profile),
    ...driverLines(facts.drivers),
  ].join("\n");
  return makePrompt("offer", system, user);
}

/** The prompt for either kind. */
export function buildPrompt(kind: MessageKind, facts: NudgeFacts | OfferFacts): Prompt {
  if (kind === "nudge") return nudgePrompt(facts as NudgeFacts);
  if (kind === "offer") return offerPrompt(facts as OfferFacts);
  throw new Error(`invalid kind: ${JSON.stringify(kind)}`);
}

function makePrompt(kind: MessageKind, system: string, user: string): Prompt {
  const version = PROMPT_VERSION[kind];
  const messages: ChatMessage[] = [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
  const params = { ...PARAMS[kind] };
  return { kind, version, messages, params, hash: sha256({ version, messages, params }) };
}

function driverLines(drivers: Driver[]): string[] {
  if (drivers.length === 0) return [];
  return [
    "- top drivers of the customer's risk, most important first:",
    ...drivers.slice(0, MAX_DRIVERS).map((d, i) => {
      const impact = d.impact === undefined ? "" : `, ${d.impact >= 0 ? "+" : ""}${d.impact.toFixed(2)}`;
      return `  ${i + 1}. ${d.name} = ${d.value} (${d.direction} risk${impact})`;
    }),
  ];
}

function profileLines(profile: Record<string, string | number> | undefined): string[] {
  if (!profile) return [];
  const keys = Object.keys(profile).sort(); // key order must not change the prompt hash
  return keys.length ? [`- profile: ${keys.map((k) => `${k}=${profile[k]}`).join("; ")}`] : [];
}

/** Whole numbers stay whole; others get at most 2 decimals, so prompts do not depend on float noise. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}
