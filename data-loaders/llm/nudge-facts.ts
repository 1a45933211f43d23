/**
 * The facts a Telco nudge may name about its customer, each with the words that name it. One list serves the
 * fallback composer (fallback.ts builds every sentence from these phrases), the LLM prompt (prompts.ts lists them as
 * the only facts the model may use) and the validation (validate.ts refuses a text that names anything else).
 *
 * Only facts the customer would recognise and the company may speak about: their behaviour (support calls, payment
 * delay, app use), their plan (contract, tenure, internet, payment method, billing, add-ons, lines, streaming) and,
 * for the personalised variant, one suggested action. Never who they are (gender, age, household), never money
 * (a price in a nudge reads as an offer the validation cannot tell from a discount), never the model's scores.
 */
import type { Driver, NudgeAction, NudgeFacts } from "./types.js";

/** One fact about the customer: the column it comes from, its value there, and the words that name it. */
export interface NudgeFact {
  key: string;
  value: string | number;
  phrase: string;
}

const times = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Plan features a driver may name, with the customer-facing words for their values. */
const PLAN_PHRASES: Record<string, (value: string) => string | null> = {
  contract: (v) =>
    v === "Month-to-month"
      ? "you are on a month-to-month contract"
      : v === "One year"
        ? "you are on a one-year contract"
        : v === "Two year"
          ? "you are on a two-year contract"
          : null,
  internet_service: (v) =>
    v === "Fiber optic"
      ? "you have fiber optic internet with us"
      : v === "DSL"
        ? "you have DSL internet with us"
        : v === "No"
          ? "you do not have internet service with us"
          : null,
  payment_method: (v) => (v ? `you pay by ${v.replace(" (automatic)", "").toLowerCase()}` : null),
  paperless_billing: (v) => (v === "Yes" ? "you get paperless bills" : v === "No" ? "you get paper bills" : null),
  online_security: (v) => addon("online security", v),
  online_backup: (v) => addon("online backup", v),
  device_protection: (v) => addon("device protection", v),
  tech_support: (v) => addon("tech support", v),
  streaming_tv: (v) => (v === "Yes" ? "you stream TV with us" : null),
  streaming_movies: (v) => (v === "Yes" ? "you stream movies with us" : null),
  multiple_lines: (v) => (v === "Yes" ? "you have several phone lines with us" : null),
  phone_service: (v) => (v === "No" ? "you do not have a phone line with us" : null),
};

function addon(name: string, value: string): string | null {
  if (value === "Yes") return `you have ${name} on your plan`;
  if (value === "No") return `you do not have ${name} on your plan`;
  return null;
}

/** The customer's time with the company in words ("you joined us this month", "you have been with us 14 months"). */
export function tenurePhrase(months: number): string {
  if (months === 0) return "you joined us this month";
  if (months === 1) return "you joined us a month ago";
  return `you have been with us for ${months} months`;
}

/** A plan fact from a feature and its value, or null when the feature is not one a nudge may name. */
export function planFact(key: string, value: string | number): NudgeFact | null {
  if (key === "tenure") return { key, value: Number(value), phrase: tenurePhrase(Number(value)) };
  const phrase = PLAN_PHRASES[key]?.(String(value));
  return phrase ? { key, value: String(value), phrase } : null;
}

/** Behaviour facts worth naming: any support call, any payment delay, little use of the app (3 sessions or fewer). */
export function behaviourFacts(f: NudgeFacts): NudgeFact[] {
  const out: NudgeFact[] = [];
  if (f.supportCalls > 0)
    out.push({
      key: "support_calls",
      value: f.supportCalls,
      phrase: `you called our support team ${times(f.supportCalls, "time", "times")} in the last 90 days`,
    });
  if (f.paymentDelayDays > 0)
    out.push({
      key: "payment_delay_days",
      value: f.paymentDelayDays,
      phrase: `your last bill was paid ${times(f.paymentDelayDays, "day", "days")} late`,
    });
  if (f.usageFrequency !== undefined && f.usageFrequency <= 3)
    out.push({
      key: "usage_frequency",
      value: f.usageFrequency,
      phrase:
        f.usageFrequency === 0
          ? "you have not used our app in the last month"
          : `you used our app ${times(f.usageFrequency, "time", "times")} in the last month`,
    });
  return out;
}

/** The plan facts among the drivers that raise this customer's risk, strongest first. */
export function driverFacts(drivers: readonly Driver[]): NudgeFact[] {
  return drivers
    .filter((d) => d.direction === "raises")
    .map((d) => planFact(d.name, d.value))
    .filter((x): x is NudgeFact => x !== null);
}

/**
 * Every fact a nudge for this customer may name, most telling first: for the personalised variant (B) the risk
 * drivers and the behaviour, then the plan; for the control (A) the plan only (its check-in is deliberately not
 * personalised). Each key once.
 */
export function nudgeFactList(f: NudgeFacts): NudgeFact[] {
  const plan = [
    planFact("tenure", f.tenureMonths),
    planFact("contract", f.contract),
    f.profile?.internet_service !== undefined ? planFact("internet_service", f.profile.internet_service) : null,
    f.profile?.payment_method !== undefined ? planFact("payment_method", f.profile.payment_method) : null,
  ].filter((x): x is NudgeFact => x !== null);
  // Personalised: the strongest risk driver, then what the customer did (support calls, late payment, little use),
  // then the other drivers and the plan.
  const drivers = driverFacts(f.drivers);
  const all = f.abVariant === "B" ? [...drivers.slice(0, 1), ...behaviourFacts(f), ...drivers.slice(1), ...plan] : plan;
  const seen = new Set<string>();
  return all.filter((x) => !seen.has(x.key) && seen.add(x.key));
}

const ACTION_WORDS: Record<string, (to: string) => string> = {
  contract: (to) => `moving you to a ${to === "Two year" ? "two-year" : "one-year"} contract`,
  payment_method: (to) => `setting up automatic payment by ${to.replace(" (automatic)", "").toLowerCase()}`,
  paperless_billing: (to) => (to === "Yes" ? "switching you to paperless billing" : "sending your bills by post"),
  online_security: () => "adding online security to your plan",
  online_backup: () => "adding online backup to your plan",
  device_protection: () => "adding device protection to your plan",
  tech_support: () => "adding tech support to your plan",
};

/** A suggested action (one or more changes) in the words a nudge uses; throws on a feature no action covers. */
export function actionOf(changes: readonly { feature: string; to: string }[]): NudgeAction {
  if (changes.length === 0) throw new Error("invalid action: no changes");
  const words = changes.map((c) => {
    const say = ACTION_WORDS[c.feature];
    if (!say) throw new Error(`invalid action: ${c.feature} is not actionable`);
    return say(c.to);
  });
  return {
    feature: changes[0].feature,
    to: changes[0].to,
    changes: changes.map((c) => ({ feature: c.feature, to: c.to })),
    phrase: words.join(" and "),
  };
}

/** The suggested action as a fact (personalised variant only): what the company offers, in words. */
export function actionFact(f: NudgeFacts): NudgeFact | null {
  if (f.abVariant !== "B" || !f.action) return null;
  const value = f.action.changes.map((c) => `${c.feature}=${c.to}`).join("; ");
  return { key: "action", value, phrase: f.action.phrase };
}
