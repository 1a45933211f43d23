/**
 * The customer page's cards: profile (subscription and behaviour), score with tier, and the retention nudge.
 * Every value from the data goes in as text (textContent), never as HTML: nudges can be LLM output.
 */
import type { Decision } from "../lib/decision.js";
import { TIERS, riskTier, type RiskTier } from "../lib/tiers.js";
import { formatValue, percent } from "../lib/whatif.js";

type Record_ = Record<string, unknown>;

/** An element with attributes and children (text children become text nodes, never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** Subscription and lifecycle fields of a Telco customer: [label, value] pairs (report and card). */
export function subscriptionFields(c: Record_): [string, string][] {
  const blank = c.total_charges_blank === true;
  return [
    ["Contract", String(c.contract)],
    ["Tenure", formatValue("tenure", c.tenure as number)],
    ["Monthly charges", formatValue("monthly_charges", c.monthly_charges as number)],
    [
      "Total charges",
      blank ? "not billed yet (blank in source)" : formatValue("total_charges", c.total_charges as number),
    ],
    ["Payment method", String(c.payment_method)],
    ["Paperless billing", String(c.paperless_billing)],
    ["Phone service", `${c.phone_service}${c.multiple_lines === "Yes" ? " (multiple lines)" : ""}`],
    ["Internet service", String(c.internet_service)],
    [
      "Add-ons",
      ["online_security", "online_backup", "device_protection", "tech_support", "streaming_tv", "streaming_movies"]
        .filter((a) => c[a] === "Yes")
        .map((a) => a.replace(/_/g, " "))
        .join(", ") || "none",
    ],
    ["Subscription type", String(c.subscription_type)],
    ["Plan duration", formatValue("plan_duration_months", c.plan_duration_months as number)],
    ["Household", `${c.gender}, senior ${c.senior_citizen}, partner ${c.partner}, dependants ${c.dependents}`],
  ];
}

/** Behaviour metrics (simulated layer): [label, value] pairs. */
export function behaviourFields(c: Record_): [string, string][] {
  return [
    ["Persona", String(c.persona)],
    ["Usage frequency", `${c.usage_frequency} sessions / month`],
    ["Payment delay", `${c.payment_delay_days} days`],
    ["Support calls", String(c.support_calls)],
    ["Earlier churn episodes", String(c.churn_history)],
    ["A/B variant", c.ab_variant === "B" ? "B (treatment)" : "A (control)"],
  ];
}

function list(rows: [string, string][]): HTMLDListElement {
  const dl = el("dl", { class: "rl-fields" });
  for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
  return dl;
}

/** The profile card: who the customer is, what they pay for, how they behave. */
export function profileCard(customer: object): HTMLElement {
  const c = customer as Record_;
  return el(
    "div",
    { class: "rl-profile", "data-customer": String(c.customer_id) },
    el("h3", {}, "Subscription & lifecycle"),
    list(subscriptionFields(c)),
    el("h3", {}, "Behaviour (simulated)"),
    list(behaviourFields(c)),
  );
}

/** The tier's label ("High risk"). */
export function tierLabel(tier: RiskTier): string {
  return TIERS.find((t) => t.tier === tier)?.label ?? tier;
}

/** The score card: calibrated probability, risk tier, and (after a what-if edit) the change. */
export function scoreCard(
  probability: number,
  tier: RiskTier,
  {
    before = undefined as number | undefined,
    beforeTier = undefined as RiskTier | undefined,
    label = "Churn probability (calibrated)",
  } = {},
): HTMLElement {
  const value = el("div", { class: "rl-kpi rl-score", "data-probability": String(probability) }, percent(probability));
  const card = el(
    "div",
    { class: "rl-scorecard", "data-tier": tier },
    el("div", { class: "rl-kpi-label" }, label),
    value,
    el("span", { class: `rl-tier rl-tier-${tier}` }, tierLabel(tier)),
    el("div", { class: "rl-kpi-label" }, TIERS.find((t) => t.tier === tier)?.description ?? ""),
  );
  if (before !== undefined) {
    const delta = probability - before;
    card.append(
      el(
        "div",
        { class: "rl-change", "data-before": String(before), "data-after": String(probability) },
        Math.abs(delta) < 5e-4
          ? `No change from ${percent(before)}`
          : `${percent(before)}${beforeTier ? ` (${tierLabel(beforeTier)})` : ""} → ${percent(probability)}: ${delta >= 0 ? "+" : "−"}${(100 * Math.abs(delta)).toFixed(1)} pp`,
      ),
    );
  }
  return card;
}

const VERDICTS: Record<Decision["verdict"], string> = {
  "targeted, left": "The contact would have gone to a customer who did leave.",
  "targeted, stayed": "The contact would have gone to a customer who stayed anyway (a wasted offer, in hindsight).",
  "not targeted, left": "This customer left without being contacted (a missed churner, in hindsight).",
  "not targeted, stayed": "Not contacted, and stayed.",
};

/**
 * The decision card: the cross-fitted probability (the score the decision uses), targeted or not at the operating
 * threshold and why, the outcome the data recorded, and the final model's score labelled in-sample or held out.
 */
export function decisionCard(
  d: Decision,
  {
    thresholdReason,
    value,
  }: { thresholdReason: string; value?: { months: number; value: number; monthly: number; contract: string } },
): HTMLElement {
  const tier = riskTier(d.score);
  const finalNote = d.finalInSample
    ? "in-sample: the final model was trained on this customer, so this score is optimistic"
    : "held out: the final model never saw this customer";
  return el(
    "div",
    { class: "rl-scorecard rl-decision", "data-tier": tier, "data-targeted": String(d.targeted) },
    el("div", { class: "rl-kpi-label" }, "Churn probability (cross-fitted: scored by a model that never saw them)"),
    el("div", { class: "rl-kpi rl-score", "data-probability": String(d.score) }, percent(d.score)),
    el("span", { class: `rl-tier rl-tier-${tier}` }, tierLabel(tier)),
    el(
      "p",
      { class: "rl-decision-line" },
      el("strong", {}, d.targeted ? "Targeted" : "Not targeted"),
      ` at the ${percent(d.threshold).replace(".0%", "%")} operating threshold — ${thresholdReason}.`,
    ),
    el(
      "p",
      { class: "rl-outcome", "data-churned": String(d.churned) },
      el("strong", {}, `Actual outcome: ${d.churned ? "left" : "stayed"}`),
      ` (IBM label Churn = ${d.churned ? "Yes" : "No"}). ${VERDICTS[d.verdict]}`,
    ),
    ...(value
      ? [
          el(
            "p",
            { class: "rl-value", "data-value": String(value.value) },
            el("strong", {}, `Worth keeping: about $${Math.round(value.value).toLocaleString("en-US")}`),
            ` of revenue if they stay — $${value.monthly.toFixed(2)} a month × ${value.months.toFixed(1)} further ` +
              `months expected for a ${value.contract.toLowerCase()} customer at this tenure (per-contract tenure ` +
              `hazards fitted on the base; undiscounted, at most 72 months). Expected loss without action: ` +
              `$${Math.round(d.score * value.value).toLocaleString("en-US")} (churn probability × value).`,
          ),
        ]
      : []),
    el(
      "p",
      { class: "rl-kpi-label", "data-final-probability": String(d.finalScore) },
      `The final model's score, which the waterfall explains and the what-if re-scores: ${percent(d.finalScore)} (${finalNote}).`,
    ),
  );
}

export interface Nudge {
  text: string;
  source: string;
  provider?: string;
  model?: string;
  prompt_version?: string;
  prompt_hash?: string;
  reason?: string;
  template?: string;
  /** Why the message says what it says: the facts it names ("Because Support calls: 4 calls, …"). */
  because?: string;
}

const SOURCES: Record<string, string> = {
  llm: "Written by an LLM at build time",
  cache: "LLM message from the content-addressed cache",
  fallback: "Fallback library message (no LLM answer)",
};

/** The retention nudge as text, with its provenance. */
export function nudgeCard(nudge: Nudge | null): HTMLElement {
  if (!nudge) return el("p", { class: "rl-nudge rl-muted" }, "No nudge was generated for this customer.");
  const provenance = [
    SOURCES[nudge.source] ?? nudge.source,
    nudge.provider ? `provider ${nudge.provider}` : "",
    nudge.model ? `model ${nudge.model}` : "",
    nudge.prompt_version ? `prompt ${nudge.prompt_version}` : "",
    nudge.reason ? `reason: ${nudge.reason}` : "",
    nudge.template ? `template ${nudge.template}` : "",
  ].filter(Boolean);
  return el(
    "figure",
    { class: "rl-nudge", "data-source": nudge.source },
    el("blockquote", {}, String(nudge.text ?? "")),
    ...(nudge.because ? [el("p", { class: "rl-because" }, el("strong", {}, "Why this message: "), nudge.because)] : []),
    el(
      "figcaption",
      { class: "rl-kpi-label" },
      el("span", { class: `rl-badge rl-badge-${nudge.source}` }, nudge.source.toUpperCase()),
      " ",
      provenance.join(" · "),
    ),
  );
}

/** A clear message box (unknown customer, invalid input, loading). */
export function messageBox(text: string, { kind = "info" as "info" | "warning" | "loading" } = {}): HTMLElement {
  return el("div", { class: `rl-message rl-message-${kind}`, role: kind === "warning" ? "alert" : "status" }, text);
}
