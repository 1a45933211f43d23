/**
 * Does a nudge name only facts it was given? Each topic a message can speak about (support calls, a late payment,
 * app use, the contract, the internet service, the payment method, billing, an add-on, streaming, phone lines) is
 * recognised by its words; naming a topic needs a fact about it (or the suggested action) among those given, with
 * the same value where the words say one (a "one-year contract" is not a month-to-month one), and every number in
 * the text must be one of the given facts' numbers. Who the customer is (age, gender, family) and the model's view
 * (churn, risk, scores) are never allowed. Bounded work: a fixed list of patterns over text already capped in length.
 */
import type { NudgeFact } from "./nudge-facts.js";
import { NUMBER_WORDS } from "./number-words.js";

interface Topic {
  /** The fact keys that allow this topic (the action's changed features count too). */
  keys: string[];
  pattern: RegExp;
  /** When the words name a value, the value a fact must have (e.g. "fiber" → "Fiber optic"). */
  value?: string;
}

const TOPICS: Topic[] = [
  { keys: ["support_calls"], pattern: /\b(?:called|calls?\s+to|support\s+(?:team|calls?|line))\b/i },
  { keys: ["payment_delay_days"], pattern: /\b(?:late|overdue|delay(?:ed|s)?|behind\s+on)\b/i },
  { keys: ["usage_frequency"], pattern: /\b(?:app|sessions?|logged\s+in|used\s+our)\b/i },
  { keys: ["contract"], pattern: /\bmonth[\s-]*to[\s-]*month\b/i, value: "Month-to-month" },
  {
    keys: ["contract"],
    pattern: /\b(?:one|1|12)[\s-]*(?:year|month)s?[\s-]+(?:contract|plan|term)\b/i,
    value: "One year",
  },
  {
    keys: ["contract"],
    pattern: /\b(?:two|2|24)[\s-]*(?:year|month)s?[\s-]+(?:contract|plan|term)\b/i,
    value: "Two year",
  },
  { keys: ["contract"], pattern: /\bcontract\b/i },
  { keys: ["internet_service"], pattern: /\bfib(?:er|re)\b/i, value: "Fiber optic" },
  { keys: ["internet_service"], pattern: /\bDSL\b/i, value: "DSL" },
  { keys: ["internet_service"], pattern: /\binternet\b/i },
  { keys: ["payment_method"], pattern: /\belectronic\s+check\b/i, value: "Electronic check" },
  { keys: ["payment_method"], pattern: /\bmailed\s+check\b/i, value: "Mailed check" },
  { keys: ["payment_method"], pattern: /\bbank\s+transfer\b/i, value: "Bank transfer (automatic)" },
  { keys: ["payment_method"], pattern: /\bcredit\s+card\b/i, value: "Credit card (automatic)" },
  { keys: ["payment_method"], pattern: /\b(?:auto[\s-]?pay(?:ment)?|automatic\s+payments?|direct\s+debit)\b/i },
  { keys: ["paperless_billing"], pattern: /\b(?:paperless|paper\s+bills?|by\s+post|e-?bills?)\b/i },
  { keys: ["tech_support"], pattern: /\btech(?:nical)?\s+support\b/i },
  { keys: ["online_security"], pattern: /\bonline\s+security\b/i },
  { keys: ["online_backup"], pattern: /\b(?:online\s+)?back[\s-]?up\b/i },
  { keys: ["device_protection"], pattern: /\bdevice\s+protection\b/i },
  { keys: ["streaming_tv", "streaming_movies"], pattern: /\bstream(?:ing|s)?\b/i },
  { keys: ["multiple_lines", "phone_service"], pattern: /\bphone\s+lines?\b|\blines?\s+with\s+us\b/i },
];

/** Never in a nudge: who the customer is, and the model's view of them. */
const FORBIDDEN =
  /\b(?:senior|elderly|age[ds]?|old(?:er)?|gender|male|female|partner|spouse|wife|husband|dependants?|dependents?|children|kids|family|churn(?:ing)?|risk[sy]?|probabilit(?:y|ies)|scores?|predict(?:ed|ion)?s?|model)\b/i;

/** The numbers a text states, in digits or words ("4", "four"); "one-year" and "a month" are not counts. */
function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/\b\d+(?:\.\d+)?\b|\b[a-z]+\b/gi)) {
    const word = m[0].toLowerCase();
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 6);
    if (/^\d/.test(word)) out.push(Number(word));
    else if (word in NUMBER_WORDS && !/^[\s-]*year/i.test(after) && word !== "one") out.push(NUMBER_WORDS[word]);
  }
  return out;
}

/** Every value a fact (or the action's changes) gives for each key. */
function valuesByKey(facts: readonly NudgeFact[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const add = (key: string, value: string) => {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(value);
  };
  for (const f of facts) {
    if (f.key === "action") {
      for (const part of String(f.value).split("; ")) {
        const eq = part.indexOf("=");
        add(part.slice(0, eq), part.slice(eq + 1));
      }
    } else add(f.key, String(f.value));
  }
  return map;
}

/**
 * Why a text names something it was not given (a reason in words), or null when every fact it names is among
 * `facts`. Numbers allowed: the numeric facts' values and the numbers written in the given phrases ("90 days").
 */
export function groundingProblem(text: string, facts: readonly NudgeFact[]): string | null {
  const forbidden = text.match(FORBIDDEN);
  if (forbidden) return `names "${forbidden[0]}", which a nudge never mentions`;
  const given = valuesByKey(facts);
  // Words of the given phrases are grounded by definition: match topics on the text with them removed.
  let rest = text;
  for (const f of facts) rest = rest.split(f.phrase).join(" ");
  for (const topic of TOPICS) {
    const m = rest.match(topic.pattern);
    if (!m) continue;
    const values = topic.keys.flatMap((k) => [...(given.get(k) ?? [])]);
    if (values.length === 0) return `names "${m[0]}" without a fact about it`;
    if (topic.value && !values.includes(topic.value)) return `names "${m[0]}", but the fact says ${values.join(", ")}`;
  }
  const allowed = new Set<number>();
  for (const f of facts) {
    if (typeof f.value === "number") allowed.add(f.value);
    for (const n of numbersIn(f.phrase)) allowed.add(n);
  }
  for (const n of numbersIn(text)) if (!allowed.has(n)) return `states the number ${n}, which no fact gives`;
  return null;
}

/** The given facts a text names (its phrase, or a topic of its key), in the given order. */
export function mentionedFacts(text: string, facts: readonly NudgeFact[]): NudgeFact[] {
  const numbers = new Set(numbersIn(text));
  return facts.filter((f) => {
    if (text.includes(f.phrase)) return true;
    if (typeof f.value === "number" && numbers.has(f.value)) return true;
    const keys = f.key === "action" ? [...valuesByKey([f]).keys()] : [f.key];
    return TOPICS.some((t) => t.keys.some((k) => keys.includes(k)) && t.pattern.test(text));
  });
}
