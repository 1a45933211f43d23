import { MAX_LENGTH } from "./prompts.js";
import type { MessageKind, NudgeFacts, OfferFacts, RejectionKind } from "./types.js";

/** What a message may contain: its length and the largest discount it may promise. */
export interface ValidationRules {
  maxLength: number;
  maxDiscountPercent: number;
  /** Largest money amount (any currency sign: ₹, Rs, INR, $, USD) the text may quote. */
  maxDiscountAmount: number;
}

export type Validation = { ok: true; text: string } | { ok: false; reason: RejectionKind };

/** The rules for one customer's message, from the same facts the prompt was built from. */
export function rulesFor(kind: MessageKind, facts: NudgeFacts | OfferFacts): ValidationRules {
  if (kind === "offer") {
    const { couponCostCap, maxDiscountPercent } = (facts as OfferFacts).economics;
    return { maxLength: MAX_LENGTH.offer, maxDiscountPercent, maxDiscountAmount: couponCostCap };
  }
  const nudge = facts as NudgeFacts;
  return {
    maxLength: MAX_LENGTH.nudge,
    maxDiscountPercent: nudge.maxDiscountPercent ?? 0,
    maxDiscountAmount: nudge.maxDiscountAmount ?? 0,
  };
}

// C0/C1 controls except tab and newlines, zero-width characters, and bidi overrides ("trojan source").
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const HTML = [
  /<\/?[a-z!][^<>]*>/i,
  /<\s*\/?\s*(script|style|iframe|img|a)\b/i,
  /&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,6});/i,
];
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/i;
const LINK = [
  /\b[a-z][a-z0-9+.-]*:\/\//i,
  /\bwww\./i,
  /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|in|co|ai|app|ly|me|info|biz|xyz|link|page|dev)\b/i,
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

const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)`;
const PERCENT = new RegExp(String.raw`${NUMBER}\s*(?:%|percent\b|per\s*cent\b)`, "gi");
const MONEY_BEFORE = new RegExp(String.raw`(?:₹|\$|\bRs\.?|\bINR\b|\bUSD\b)\s*${NUMBER}`, "gi");
const MONEY_AFTER = new RegExp(String.raw`${NUMBER}\s*(?:₹|\brupees?\b|\brs\b|\binr\b|\bdollars?\b|\busd\b)`, "gi");

/**
 * Checks and normalises a model's text. Plain text only; any percentage or money amount above the caps
 * is refused, because the validator cannot tell a promised discount from a quoted price and a wrong
 * promise costs more than a fallback message.
 */
export function validateMessage(raw: string, rules: ValidationRules): Validation {
  const text = unquote(raw.trim());
  const reason = rejection(text, rules);
  if (reason) return { ok: false, reason };
  const normalised = text.replace(/\s+/g, " ");
  if ([...normalised].length > rules.maxLength) return { ok: false, reason: "too-long" };
  return { ok: true, text: normalised };
}

function rejection(text: string, rules: ValidationRules): RejectionKind | null {
  if (text === "") return "empty";
  if (CONTROL.test(text)) return "control-chars";
  if (HTML.some((re) => re.test(text))) return "html";
  if (EMAIL.test(text)) return "email";
  if (LINK.some((re) => re.test(text))) return "link";
  if (MARKDOWN.some((re) => re.test(text))) return "markdown";
  if (PLACEHOLDER.test(text)) return "placeholder";
  if (amounts(text, PERCENT).some((x) => x > rules.maxDiscountPercent)) return "over-cap";
  const money = [...amounts(text, MONEY_BEFORE), ...amounts(text, MONEY_AFTER)];
  if (money.some((x) => x > rules.maxDiscountAmount)) return "over-cap";
  return null;
}

function amounts(text: string, re: RegExp): number[] {
  return [...text.matchAll(re)].map((m) => Number(m[1].replace(/,/g, "")));
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
