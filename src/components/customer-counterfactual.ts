/**
 * "What would keep this customer?": the counterfactual search's answer (src/lib/counterfactual.ts) as a list of
 * offers, each with its new churn probability, its cost to the company, its waterfall (on request) and a button that
 * applies it in the what-if form. Plain DOM; text only.
 */
import { describeChanges, rankOptions, type Counterfactual, type Option } from "../lib/counterfactual.js";
import { percent, signedPoints } from "../lib/format.js";
import { el } from "./customer-profile.js";

export interface CounterfactualViewOptions {
  /** Puts an option's row in the what-if form. */
  onApply: (option: Option) => void;
  /** Draws an option's waterfall (called when the reader opens it). */
  waterfall: (option: Option) => Node;
  /** How many options to list at most. */
  limit?: number;
}

const money = (x: number) => `$${x.toLocaleString("en-US")}`;

/** The answer: nothing needed, the options (rankable by cost or effect), or the best that falls short. */
export function counterfactualView(result: Counterfactual, options: CounterfactualViewOptions): HTMLElement {
  const { probability, threshold } = result;
  const root = el("div", { class: "rl-keep", "data-status": result.status });
  if (result.status === "already-below") {
    root.append(
      el(
        "p",
        {},
        `The model the what-if uses already scores this customer at ${percent(probability)}, below the ` +
          `${percent(threshold, 0)} threshold: no offer is needed to bring them under it.`,
      ),
    );
    return root;
  }
  if (result.status === "none") {
    root.append(
      el(
        "p",
        {},
        `No combination of the offers below brings ${percent(probability)} under ${percent(threshold, 0)} ` +
          `(${result.tried} combinations tried).`,
      ),
    );
    if (result.best) {
      root.append(el("p", {}, "The one that lowers the risk most:"));
      root.append(optionList([result.best], probability, options));
    }
    return root;
  }
  const sizeWords = result.size === 1 ? "one change" : `${result.size} changes`;
  const count = result.options.length;
  root.append(
    el(
      "p",
      {},
      `The smallest offer that brings this customer from ${percent(probability)} below the ` +
        `${percent(threshold, 0)} threshold takes ${sizeWords}; ${count} ${count === 1 ? "way does" : "ways do"} ` +
        `(${result.tried} combinations scored).`,
    ),
  );
  const select = el(
    "select",
    { id: "keep-rank" },
    el("option", { value: "cost" }, "lowest cost to the company"),
    el("option", { value: "effect" }, "lowest churn probability"),
  );
  const list = el("div", {});
  const render = () =>
    list.replaceChildren(
      optionList(rankOptions(result.options, select.value as "cost" | "effect"), probability, options),
    );
  select.addEventListener("change", render);
  root.append(el("p", { class: "rl-keep-rank" }, el("label", { for: "keep-rank" }, "Rank by "), select), list);
  render();
  if (result.cheaper.length) {
    root.append(
      el("h4", {}, `Cheaper for the company, with one more change`),
      optionList(result.cheaper, probability, { ...options, limit: 3 }),
    );
  }
  return root;
}

function optionList(
  list: readonly Option[],
  from: number,
  { onApply, waterfall, limit = 5 }: CounterfactualViewOptions,
) {
  const ol = el("ol", { class: "rl-keep-options" });
  for (const option of list.slice(0, limit)) {
    const apply = el("button", { type: "button", class: "rl-button" }, "Apply in the what-if");
    apply.addEventListener("click", () => onApply(option));
    const details = el("details", {}, el("summary", {}, "Why, with this offer? (waterfall)"));
    details.addEventListener("toggle", () => {
      if (details.open && details.childElementCount === 1) details.append(waterfall(option));
    });
    const offers = option.changes.map((c) => c.offer).join("; ");
    ol.append(
      el(
        "li",
        { "data-probability": String(option.probability), "data-changes": JSON.stringify(option.changes) },
        el("strong", {}, describeChanges(option.changes)),
        el("div", { class: "rl-kpi-label" }, `Offer: ${offers}.`),
        el(
          "div",
          { class: "rl-keep-numbers" },
          `Churn probability ${percent(from)} → ${percent(option.probability)} (${signedPoints(option.probability - from)})`,
        ),
        el("div", {}, `Cost to the company: ${money(option.cost)} over the first year`),
        el("div", { class: "rl-actions" }, apply),
        details,
      ),
    );
  }
  return ol;
}
