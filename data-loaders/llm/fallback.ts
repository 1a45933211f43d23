import { OFFER_AMOUNT_TOKEN } from "../../src/lib/offer-text.js";
import { hashUnit } from "./hash.js";
import { labelOf } from "../../src/lib/columns.js";
import { formatValue } from "../../src/lib/whatif.js";
import { MAX_LENGTH } from "./prompts.js";
import { actionFact, nudgeFactList, type NudgeFact } from "./nudge-facts.js";
import type { Driver, MessageKind, NudgeFacts, OfferFacts, RiskTier } from "./types.js";

/** A rule-based message and the id of the template that wrote it. */
export interface FallbackText {
  text: string;
  template: string;
}

/** Driver names grouped into the themes a message can speak to. Unknown drivers fall to "general". */
const THEMES: Record<string, string[]> = {
  contract: ["contract", "plan_duration_months", "subscription_type"],
  tenure: ["tenure", "tenure_months", "churn_history"],
  support: [
    "support_calls",
    "tech_support",
    "online_security",
    "device_protection",
    "online_backup",
    "support_tickets",
  ],
  payment: ["payment_delay_days", "payment_method", "paperless_billing"],
  price: ["monthly_charges", "total_charges", "avg_order_value", "coupon_usage_rate"],
  service: ["internet_service", "streaming_tv", "streaming_movies", "multiple_lines", "phone_service"],
  usage: ["usage_frequency", "order_frequency", "recency_days"],
  delivery: ["delivery_delay_min", "city_tier"],
};

/** The theme of the first driver that raises risk (the one worth addressing), else "general". */
export function topTheme(drivers: Driver[]): string {
  const top = drivers.find((d) => d.direction === "raises");
  if (!top) return "general";
  const name = top.name.toLowerCase();
  for (const [theme, names] of Object.entries(THEMES)) if (names.includes(name)) return theme;
  return "general";
}

/** A rule-based nudge with the facts it names (each true of its customer) and the reason shown beside it. */
export interface FallbackNudge extends FallbackText {
  facts: NudgeFact[];
  because: string;
}

/** "a, b and c" */
function joined(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

// The closing sentence rises in effort with the risk tier (variant B without an action, and variant A).
const CLOSE: Record<RiskTier, string[]> = {
  high: [
    "A member of our care team will reach out this week; reply to this message to choose a time.",
    "Reply to this message and our care team will call you at a time that suits you.",
  ],
  medium: [
    "Reply to this message if you would like a quick review of your options.",
    "Our team is happy to help whenever you need us; just reply to this message.",
  ],
  low: ["Let us know if anything could be better; just reply to this message.", "We are here whenever you need us."],
};

/**
 * A nudge composed from the customer's own facts (nudge-facts.ts). Variant B (personalised): "We noticed that" the
 * customer's strongest risk drivers and behaviour (up to three facts), then the suggested action if the build found
 * one, else a closing that rises with the risk tier. Variant A (control): the standard check-in the A/B test compares
 * against — it names the customer's plan (tenure, contract, internet) and nothing about their risk, by design.
 */
export function fallbackNudge(id: string, facts: NudgeFacts): FallbackNudge {
  const tier = checkTier(facts.riskTier);
  const list = nudgeFactList(facts);
  const action = actionFact(facts);
  const close = CLOSE[tier][pick(id, "nudge-close", CLOSE[tier].length)];
  if (facts.abVariant === "A") {
    const named = list.slice(0, 3);
    const text = `Thank you for choosing us: ${joined(named.map((f) => f.phrase))}. ${close}`;
    return {
      text,
      template: `nudge/A/${named.map((f) => f.key).join("+")}`,
      facts: named,
      because: `Control group (A): the standard check-in, naming ${joined(named.map((f) => factName(f)))} only.`,
    };
  }
  // Three facts when the message stays within the length cap, else two.
  const compose = (named: NudgeFact[]) => {
    const opening = `We noticed that ${joined(named.map((f) => f.phrase))}.`;
    return action
      ? `${opening} We would like to help by ${action.phrase}; reply to this message and we will arrange it.`
      : `${opening} ${close}`;
  };
  let named = list.slice(0, 3);
  if (compose(named).length > MAX_LENGTH.nudge) named = list.slice(0, 2);
  const text = compose(named);
  const all = action ? [...named, action] : named;
  return {
    text,
    template: `nudge/B/${all.map((f) => f.key).join("+")}`,
    facts: all,
    because: `Because ${joined(named.map((f) => factName(f)))}${action ? `; suggested: ${action.phrase}` : ""}.`,
  };
}

/** A fact as the "because" line says it: "Support calls: 4 calls", "Contract: Month-to-month". */
function factName(f: NudgeFact): string {
  return `${labelOf("telco", f.key)}: ${formatValue(f.key, f.value)}`;
}

/**
 * Offers by the theme of the customer's top raising driver: what went wrong (late deliveries, support trouble),
 * what changed (not ordering lately, price), each with two phrasings. The amount is the token the page fills with the
 * campaign's offer cost (src/lib/offer-text.ts), so no text ever disagrees with the economics shown beside it.
 */
const OFFERS: Record<string, string[]> = {
  delivery: [
    `We are sorry your recent orders arrived late. Here is ${OFFER_AMOUNT_TOKEN} off your next order, and we will keep a closer eye on its delivery.`,
    `Late deliveries are not what you signed up for: enjoy ${OFFER_AMOUNT_TOKEN} off when you order again this week.`,
  ],
  support: [
    `We are sorry about the trouble you had with your recent orders. Please take ${OFFER_AMOUNT_TOKEN} off your next one, on us.`,
    `Thank you for your patience with our support team lately. Here is ${OFFER_AMOUNT_TOKEN} off your next order.`,
  ],
  usage: [
    `We miss you! Your favourite restaurants are still here, and your next order is ${OFFER_AMOUNT_TOKEN} cheaper this week.`,
    `It has been a while since your last order. Come back to ${OFFER_AMOUNT_TOKEN} off, valid for the next 7 days.`,
  ],
  price: [
    `Your favourite meals just got easier on the wallet: ${OFFER_AMOUNT_TOKEN} off your next order.`,
    `Good food should not cost the earth. Here is ${OFFER_AMOUNT_TOKEN} off your next order, valid this week.`,
  ],
  general: [
    `Thanks for ordering with us. Here is ${OFFER_AMOUNT_TOKEN} off your next order, valid for the next 7 days.`,
    `A small thank-you from us: enjoy ${OFFER_AMOUNT_TOKEN} off when you order again this week.`,
  ],
};

/** A deterministic offer: the theme of the customer's top raising driver, phrasing by hash of the id. */
export function fallbackOffer(id: string, facts: OfferFacts): FallbackText {
  const tier = checkTier(facts.riskTier);
  const theme = topTheme(facts.drivers);
  const texts = OFFERS[theme] ?? OFFERS.general;
  const i = pick(id, "offer-coupon", texts.length);
  return { text: texts[i], template: `offer/${tier}/${theme in OFFERS ? theme : "general"}/coupon#${i}` };
}

/** The fallback for either kind. */
export function fallbackMessage(
  kind: MessageKind,
  id: string,
  facts: NudgeFacts | OfferFacts,
): FallbackText | FallbackNudge {
  return kind === "nudge" ? fallbackNudge(id, facts as NudgeFacts) : fallbackOffer(id, facts as OfferFacts);
}

/** Reproducible choice among n phrasings: a hash of the customer id, never Math.random. */
function pick(id: string, salt: string, n: number): number {
  return Math.floor(hashUnit(salt, id) * n);
}

function checkTier(tier: RiskTier): RiskTier {
  if (tier !== "low" && tier !== "medium" && tier !== "high") throw new Error(`invalid riskTier: ${tier}`);
  return tier;
}
