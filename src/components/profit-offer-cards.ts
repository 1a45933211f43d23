export interface OfferCard {
  customerId: string;
  probability: number;
  expectedProfit: string;
  drivers: string[];
  /** the offer as generated: untrusted text, never parsed as HTML */
  text: string;
  /** llm | cache | fallback */
  source: string;
  provider: string;
  model: string;
  promptVersion: string;
  template: string;
}

const SOURCE_LABEL: Record<string, string> = {
  llm: "LLM (generated for this build)",
  cache: "LLM (from the committed cache)",
  fallback: "Fallback library (rule-based)",
};

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One card per customer: churn risk, drivers, the offer text (as text) and where it came from. */
export function offerCards(cards: OfferCard[], { title = "Top churn risks and their offers" } = {}): HTMLElement {
  const section = el("section", "rl-offer-cards");
  section.setAttribute("aria-label", title);
  for (const c of cards) {
    const card = el("article", "card rl-offer-card");
    card.dataset.customer = c.customerId;
    card.append(
      el("h3", "rl-offer-id", c.customerId),
      el(
        "div",
        "rl-kpi-label",
        `churn probability ${(100 * c.probability).toFixed(1)}% · expected profit ${c.expectedProfit}`,
      ),
      el("div", "rl-kpi-label", `drivers: ${c.drivers.filter(Boolean).join(", ") || "–"}`),
    );
    const quote = el("blockquote", "rl-offer-text", c.text);
    card.append(quote);
    const provenance = el("div", "rl-offer-provenance");
    provenance.append(el("span", `rl-badge rl-badge-${c.source}`, SOURCE_LABEL[c.source] ?? c.source));
    const detail = [c.provider && `${c.provider}`, c.model, c.promptVersion, c.template].filter(Boolean).join(" · ");
    provenance.append(el("span", "rl-kpi-label", ` ${detail}`));
    card.append(provenance);
    section.append(card);
  }
  return section;
}
