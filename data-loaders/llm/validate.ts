import { groundingProblem } from "./grounding.js";
import { NUMBER_WORDS as UNITS } from "./number-words.js";
import { actionFact, nudgeFactList, type NudgeFact } from "./nudge-facts.js";
import { MAX_LENGTH } from "./prompts.js";
import { OFFER_AMOUNT_TOKEN } from "../../src/lib/offer-text.js";
import type { MessageKind, NudgeFacts, OfferFacts, RejectionKind } from "./types.js";

/** The currency a message may quote: rupees for food-delivery offers, dollars for Telco nudges. */
export type Currency = "INR" | "USD";

/** What a message may contain: its length, its currency and the largest discount it may promise. */
export interface ValidationRules {
  maxLength: number;
  maxDiscountPercent: number;
  /** Largest money amount, in `currency`, the text may quote (₹/Rs/INR/rupees or $/USD/dollars). */
  maxDiscountAmount: number;
  /** Any amount in another currency (€, £, EUR, yen, bitcoin…) is refused: it cannot be held to the cap. */
  currency: Currency;
  /**
   * A token that must appear exactly once and stands for the offer's amount, filled in when the offer is shown
   * (src/lib/offer-text.ts); the rest of the text may then quote no amount at all.
   */
  amountToken?: string;
  /** For a nudge: the only facts it may name (grounding.ts); anything else is refused as "ungrounded". */
  facts?: readonly NudgeFact[];
}

export type Validation = { ok: true; text: string } | { ok: false; reason: RejectionKind };

/**
 * How much longer than the length cap a raw answer may be (UTF-16 units) before it is refused unread. Trimming,
 * unquoting and collapsing whitespace never shrink a real answer by 4×; a 50 MB reply is refused in O(1).
 */
export const RAW_LENGTH_FACTOR = 4;

/** The rules for one customer's message, from the same facts the prompt was built from. */
export function rulesFor(kind: MessageKind, facts: NudgeFacts | OfferFacts): ValidationRules {
  if (kind === "offer") return offerRules();
  const nudge = facts as NudgeFacts;
  const action = actionFact(nudge);
  return {
    maxLength: MAX_LENGTH.nudge,
    maxDiscountPercent: nudge.maxDiscountPercent ?? 0,
    maxDiscountAmount: nudge.maxDiscountAmount ?? 0,
    currency: "USD",
    facts: action ? [...nudgeFactList(nudge), action] : nudgeFactList(nudge),
  };
}

/**
 * The rules every cached text of a kind must pass whatever customer it was written for: everything but the
 * discount caps (those depend on the prompt, and are checked again when an entry is used).
 */
export function contentRulesFor(kind: MessageKind): ValidationRules {
  if (kind === "offer") return offerRules();
  return { maxLength: MAX_LENGTH[kind], maxDiscountPercent: Infinity, maxDiscountAmount: Infinity, currency: "USD" };
}

/** An offer names its amount only through the token, so the page's offer cost fills it; no other amount passes. */
function offerRules(): ValidationRules {
  return {
    maxLength: MAX_LENGTH.offer,
    maxDiscountPercent: 0,
    maxDiscountAmount: 0,
    currency: "INR",
    amountToken: OFFER_AMOUNT_TOKEN,
  };
}

// Every pattern below runs on at most RAW_LENGTH_FACTOR × maxLength characters (checked first), and none nests
// unbounded quantifiers, so the whole validation is bounded work whatever the server sent.

// C0/C1 controls except tab and newlines, zero-width characters, and bidi overrides ("trojan source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const HTML = [
  /<\/?[a-z!][^<>]*>/i,
  /<\s*\/?\s*(script|style|iframe|img|a)\b/i,
  /&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,6});/i,
];
// The look-behind starts a match only at the start of a run of address characters (one attempt per run, not n).
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/i;
const TLD =
  "com|net|org|io|in|co|ai|app|ly|me|info|biz|xyz|link|page|dev|uk|us|de|eu|ru|cn|tk|ml|ga|cf|gq|pw|su|cc|tv|gg|to|ws" +
  "|gov|edu|shop|store|online|site|top|club|live|click|icu|vip|win|bid|loan|work|zip|mov";
const LINK = [
  /\b[a-z][a-z0-9+.-]*:\/\//i,
  // Schemes that need no "//" (javascript:alert(1), mailto:, tel:, data:), even written with a space before the colon.
  /\b(?:javascript|vbscript|livescript|mailto|callto|whatsapp|intent)\s*:/i,
  // Any other "scheme:target" written without a space (data:…, tel:…, ms-settings:…, web+x:…).
  /\b[a-z][a-z0-9+.-]{1,30}:(?=[a-z/%?#\\+])/i,
  /\bwww\./i,
  new RegExp(String.raw`\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:${TLD})\b`, "i"),
  new RegExp(String.raw`\b(?:dot|\(dot\)|\[dot\])\s*(?:${TLD})\b`, "i"), // "example dot com"
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/, // an IP address
];
const MARKDOWN = [
  /^\s{0,3}#{1,6}(?:\s|$)/m, // heading
  /^\s*(?:[-*+•]|\d+[.)])\s+/m, // list item
  /^\s*>/m, // block quote
  /`/, // code
  /\*\*|__|~~/, // strong, strikethrough
  /(?:^|[\s(])[*_][^\s*_][^*_\n]*[*_](?=[\s).,!?:;]|$)/m, // *emphasis* or _emphasis_
  /\]\(/, // [link](target)
  /^\s*\|.*\|\s*$/m, // table row
];
// "Dear [Customer Name]", "{first_name}", "{{offer}}": template leftovers.
const PLACEHOLDER = /\[[^\]\n]{1,40}\]|\{\{?[^}\n]{1,40}\}\}?/;
// Text aimed at a model rather than a customer: injected instructions, role labels, chat-template tokens, and a model
// talking about itself (a refusal, "as an AI"), which the prompt forbids.
const INJECTION = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules|guidelines|directions|directives|context)\b/i,
  /\b(?:system|developer|hidden|original|initial)\s+(?:prompt|message|instructions?)\b/i,
  /\b(?:new|updated|additional|secret)\s+instructions?\b/i,
  /\b(?:jailbreak|jailbroken|developer\s+mode|do\s+anything\s+now|prompt\s+injection|pretend\s+(?:to\s+be|you\s+are))\b/i,
  /\b(?:as\s+an?\s+(?:ai|language\s+model|assistant)|language\s+model|ai\s+assistant|i\s+(?:cannot|can't|am\s+unable\s+to)\s+(?:help|assist|comply|fulfil|fulfill))\b/i,
  /^\s*(?:system|assistant|user|human|ai)\s*:/im,
  /<\|[^|\n]{0,30}\|>|\[\/?INST\]|<<\/?SYS>>/i,
];
// A phone number: 7 digits or more with at most two separators between digits, or a toll-free prefix.
const PHONE = [/(?<![\d])\+?\d(?:[\s().-]{0,2}\d){6,}/, /\b1[\s.-]?8(?:00|33|44|55|66|77|88)[\s.-]?[a-z0-9]/i];
// Asking for something a retention message never needs (credentials, card or bank data), or moving the talk to a
// channel the provider does not run.
const CONTACT = [
  /\b(?:password|passcode|passphrase|otp|one[\s-]?time\s+(?:pass(?:word|code)?|code|pin)|pin(?:\s*(?:code|number))?|cvv2?|cvc|security\s+code|verification\s+code|card\s+(?:number|details|info(?:rmation)?|expiry)|account\s+(?:number|details|credentials|login)|bank\s+(?:details|login|account\s+number)|login\s+(?:details|credentials)|credentials|sort\s+code|routing\s+number|iban|ssn|social\s+security|date\s+of\s+birth|maiden\s+name)\b/i,
  /\b(?:reply|respond|text|send|share|provide|confirm|enter|give|tell|submit|verify|update|email|e-mail)\b[^.!?\n]{0,30}\byour\s+(?:full\s+)?(?:card|bank|account|address|details|information|info|identity|id|login|credentials|code|pin|birthday)\b/i,
  /\b(?:whatsapp|telegram|viber|wechat|signal\s+app|dm\s+us|direct\s+message|text\s+us|sms\s+us|call\s+us\s+(?:at|on)|call\s+(?:this|the\s+following)\s+number)\b/i,
];

/**
 * Checks and normalises a model's text. Plain text only; any percentage or money amount above the caps is refused,
 * because the validator cannot tell a promised discount from a quoted price and a wrong promise costs more than a
 * fallback message. Bounded work: an answer far over the length cap is refused before any pattern runs.
 */
export function validateMessage(raw: string, rules: ValidationRules): Validation {
  if (typeof raw !== "string") return { ok: false, reason: "empty" };
  if (raw.length > RAW_LENGTH_FACTOR * rules.maxLength) return { ok: false, reason: "too-long" };
  const text = unquote(raw.trim());
  if (text === "") return { ok: false, reason: "empty" };
  const normalised = text.replace(/\s+/g, " ");
  if ([...normalised].length > rules.maxLength) return { ok: false, reason: "too-long" };
  let checked = text;
  if (rules.amountToken) {
    // exactly one token, then checked as if it were a plain noun: any other amount is refused by the rules
    if (text.split(rules.amountToken).length !== 2) return { ok: false, reason: "amount-token" };
    checked = text.replace(rules.amountToken, "a treat");
  }
  const reason = rejection(checked, rules);
  return reason ? { ok: false, reason } : { ok: true, text: normalised };
}

function rejection(text: string, rules: ValidationRules): RejectionKind | null {
  if (CONTROL.test(text)) return "control-chars";
  // Compatibility forms fold onto plain ones, so ｊａｖａｓｃｒｉｐｔ：, ５０％ and ＄ are caught like their ASCII twins.
  const folded = text.normalize("NFKC");
  if (HTML.some((re) => re.test(folded))) return "html";
  if (INJECTION.some((re) => re.test(folded))) return "injection";
  if (EMAIL.test(folded)) return "email";
  if (LINK.some((re) => re.test(folded))) return "link";
  if (PHONE.some((re) => re.test(folded))) return "phone";
  if (CONTACT.some((re) => re.test(folded))) return "contact";
  if (MARKDOWN.some((re) => re.test(text))) return "markdown";
  if (PLACEHOLDER.test(folded)) return "placeholder";
  const amount = amountRejection(folded, rules);
  if (amount) return amount;
  if (rules.facts && groundingProblem(folded, rules.facts)) return "ungrounded";
  return null;
}

// ---- Amounts: every number with a unit, in digits or in words, and the discount phrases without one. ----

/** A number followed or preceded by a unit: a percentage, or money in a currency ("foreign" = any other). */
type Amount = { unit: "percent"; value: number } | { unit: Currency | "foreign"; value: number };
/** A unit as read next to a number; `cents` marks hundredths of a dollar. */
type Unit = { unit: Amount["unit"]; cents?: boolean };

const PERCENT_WORDS = new Set(["percent", "pct", "percentage", "pc"]);
const CURRENCY_WORDS: Record<string, Currency | "foreign"> = {
  rs: "INR",
  inr: "INR",
  rupee: "INR",
  rupees: "INR",
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  buck: "USD",
  bucks: "USD",
};
const FOREIGN_WORDS =
  "eur euro euros gbp pound pounds quid sterling jpy yen cny rmb yuan aud cad chf franc francs sgd aed dirham dirhams" +
  " hkd nzd sek nok dkk zar brl reais mxn peso pesos rub ruble rubles rouble roubles krw lira pkr bdt lkr" +
  " btc bitcoin bitcoins eth ether usdt usdc crypto";
for (const word of FOREIGN_WORDS.split(" ")) CURRENCY_WORDS[word] = "foreign";
// Cents are hundredths of the dollar; "per cent" is handled before this table is read.
const CENTS = new Set(["cent", "cents"]);

const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, lakh: 100_000, million: 1_000_000 };

// Digits (with thousands commas and decimals), words, currency signs, percent signs (per mille counts as percent:
// stricter than its value). Each token is matched once.
const TOKEN = /\d[\d,]*(?:\.\d+)?|\p{L}+|\p{Sc}|[%٪‰]/gu;

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

// Discounts stated without a number: each counts as the percentage it promises.
const PHRASES: Array<[RegExp, number]> = [
  [
    /\b(?:for\s+free|free\s+of\s+charge|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)|no\s+charge|complimentary|on\s+the\s+house|waive[ds]?|waiving|bogo|buy\s+one,?\s+get\s+one|two\s+for\s+one|2\s*for\s*1)\b/i,
    100,
  ],
  [
    /(?<![\w-])free\s+(?:month|week|year|upgrade|deliver(?:y|ies)|order|meal|service|trial|subscription|plan|add-on|line|data|streaming|installation|router|device)s?\b/i,
    100,
  ],
  [/\b(?:month|week|year)s?\s+(?:for\s+)?free\b/i, 100],
  [/\bhalf[\s-]*(?:price|priced|off|the\s+(?:price|cost|bill))\b|½/i, 50],
  [/\b(?:a\s+)?third\s+off\b/i, 33],
  [/\b(?:a\s+)?quarter\s+off\b/i, 25],
];
// A monetary promise without any amount: allowed only when the caps allow some discount.
const DISCOUNT_WORDS =
  /\b(?:discount(?:s|ed)?|coupons?|vouchers?|cash\s*back|rebates?|promo(?:tion(?:al)?)?\s+codes?|refunds?|bill\s+credits?|account\s+credits?|price\s+cut)\b/i;

function amountRejection(text: string, rules: ValidationRules): RejectionKind | null {
  for (const { unit, value } of amounts(text, rules.currency)) {
    if (unit === "percent") {
      if (value > rules.maxDiscountPercent) return "over-cap";
    } else if (unit !== rules.currency) return "currency";
    else if (value > rules.maxDiscountAmount) return "over-cap";
  }
  for (const [re, percent] of PHRASES) if (re.test(text) && percent > rules.maxDiscountPercent) return "over-cap";
  if (rules.maxDiscountPercent <= 0 && rules.maxDiscountAmount <= 0 && DISCOUNT_WORDS.test(text)) return "over-cap";
  return null;
}

/** Every number in `text` that carries a unit. A bare "N off" is money in the message's own currency. */
function amounts(text: string, own: Currency): Amount[] {
  const tokens: Token[] = [...text.matchAll(TOKEN)].map((m) => ({
    text: m[0],
    lower: m[0].toLowerCase(),
    start: m.index!,
    end: m.index! + m[0].length,
  }));
  const found: Amount[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const number = readNumber(tokens, i);
    if (!number) continue;
    const { value, next } = number;
    const before = tokens[i - 1];
    const after = tokens[next];
    const unit = unitAfter(tokens, next) ?? (before && currencyOf(before, tokens[i - 2]));
    if (unit) found.push({ unit: unit.unit, value: unit.unit === "USD" && unit.cents ? value / 100 : value });
    // "a one-off check-in" is not a discount of 1; "150 off" and "fifty off" are.
    else if (after?.lower === "off" && !(tokens[i].lower === "one" && next === i + 1)) found.push({ unit: own, value });
    i = next - 1;
  }
  return found;
}

/** A number in digits ("1,000.50") or words ("fifty", "twenty-five", "one hundred"), and the index after it. */
function readNumber(tokens: Token[], i: number): { value: number; next: number } | null {
  const t = tokens[i];
  if (/^\d/.test(t.text)) return { value: Number(t.text.replace(/,/g, "")), next: i + 1 };
  if (!(t.lower in UNITS) && !(t.lower in SCALES)) return null;
  let total = 0;
  let current = 0;
  let j = i;
  for (; j < tokens.length; j++) {
    const w = tokens[j].lower;
    if (w in UNITS) current += UNITS[w];
    else if (w in SCALES) {
      current = Math.max(current, 1) * SCALES[w];
      if (SCALES[w] >= 1000) {
        total += current;
        current = 0;
      }
    } else if (w !== "and" || j === i) break;
  }
  return { value: total + current, next: j };
}

/** The unit right after a number: %, percent, pct, per cent, or a currency sign, code or word. */
function unitAfter(tokens: Token[], j: number): Unit | null {
  const t = tokens[j];
  if (!t) return null;
  if (/^[%٪‰]$/.test(t.text) || PERCENT_WORDS.has(t.lower)) return { unit: "percent" };
  if (t.lower === "per" && tokens[j + 1]?.lower === "cent") return { unit: "percent" };
  if (CENTS.has(t.lower)) return { unit: "USD", cents: true };
  return currencyOf(t, tokens[j - 1]);
}

/** The currency a sign, code or word names; a "$" glued to letters other than "US" (A$, C$, HK$) is foreign. */
function currencyOf(t: Token, previous: Token | undefined): Unit | null {
  if (t.text === "₹") return { unit: "INR" };
  if (t.text === "$") {
    const glued = previous && previous.end === t.start && /^\p{L}+$/u.test(previous.text) ? previous.lower : null;
    return { unit: glued === null || glued === "us" ? "USD" : "foreign" };
  }
  if (/^\p{Sc}$/u.test(t.text)) return { unit: "foreign" };
  // The Turkish lira's code is also an English word ("try 2 months"): only its upper-case form counts.
  const unit = t.text === "TRY" ? "foreign" : CURRENCY_WORDS[t.lower];
  return unit ? { unit } : null;
}

/** Models often wrap the whole answer in quotes; that is presentation, not content. */
function unquote(text: string): string {
  const pairs: Array<[string, string]> = [
    ['"', '"'],
    ["“", "”"],
    ["'", "'"],
  ];
  for (const [open, close] of pairs) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return text.slice(1, -1).trim();
  }
  return text;
}
