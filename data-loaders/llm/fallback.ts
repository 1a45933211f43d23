import { OFFER_AMOUNT_TOKEN } from "../../src/lib/offer-text.js";
import { hashUnit } from "./hash.js";
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

// Variant B (personalised): one opening per theme, two phrasings each.
const NUDGE_B: Record<string, string[]> = {
  contract: [
    "A longer plan could give you more stability than month-to-month billing.",
    "You could lock in your current plan for longer and stop worrying about changes.",
  ],
  tenure: [
    "Thanks for choosing us; we want your first months with us to go smoothly.",
    "Welcome aboard, and thank you for joining us recently.",
  ],
  support: [
    "We noticed you have needed our support lately and want to make sure everything is resolved.",
    "Sorry for the recent trouble; a dedicated specialist can help sort it out for good.",
  ],
  payment: [
    "Automatic payments could make your monthly bill one less thing to think about.",
    "We can help set up a billing date and payment method that suits you better.",
  ],
  price: [
    "We would be glad to review your plan so you only pay for what you use.",
    "A quick plan review could find a better fit for how you use our services.",
  ],
  service: [
    "We want your connection to work well for everything you do online.",
    "A short check of your service setup could improve your experience.",
  ],
  usage: [
    "We would love to help you get more out of your plan.",
    "There may be features in your plan you have not tried yet.",
  ],
  general: ["Thank you for being with us.", "We appreciate having you as a customer."],
};

// Variant A (control): a general check-in, deliberately not personalised.
const NUDGE_A = ["Thank you for being with us.", "We appreciate having you as a customer."];

// The closing sentence rises in effort with the risk tier.
const NUDGE_CLOSE: Record<RiskTier, string[]> = {
  high: [
    "A member of our care team will reach out this week; reply to this message to choose a time.",
    "Reply to this message and our care team will call you at a time that suits you.",
  ],
  medium: [
    "Reply to this message if you would like a quick review of your options.",
    "Our team is happy to help whenever you need us; just reply to this message.",
  ],
  low: ["Enjoy your service, and let us know if anything could be better.", "We are here whenever you need us."],
};

/** A deterministic nudge for one customer: tier × top driver theme × A/B variant, phrasing by hash of the id. */
export function fallbackNudge(id: string, facts: NudgeFacts): FallbackText {
  const tier = checkTier(facts.riskTier);
  const theme = facts.abVariant === "B" ? topTheme(facts.drivers) : "general";
  const openings = facts.abVariant === "B" ? (NUDGE_B[theme] ?? NUDGE_B.general) : NUDGE_A;
  const i = pick(id, "nudge-open", openings.length);
  const j = pick(id, "nudge-close", NUDGE_CLOSE[tier].length);
  return {
    text: `${openings[i]} ${NUDGE_CLOSE[tier][j]}`,
    template: `nudge/${facts.abVariant}/${theme}/${tier}#${i}${j}`,
  };
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
export function fallbackMessage(kind: MessageKind, id: string, facts: NudgeFacts | OfferFacts): FallbackText {
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
