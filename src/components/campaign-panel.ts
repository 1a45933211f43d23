/**
 * One screen for one decision (docs/profit.md): the economics and the policy on the left (sticky at desktop), the
 * answer, the profit curve and the honest matrix on the right, and at phone width a compact summary bar that stays
 * on screen while the sliders move. The Retention pages of both data sets use it; only the data, the currency and
 * the defaults differ.
 *
 * Every input recomputes the decision (src/lib/campaign.ts) and moves the curve, the matrix and the summary in place
 * within the same frame. Costlier views (the targeting list, the offers, the bootstrap) subscribe to settled states:
 * `settled()` yields the state once the controls have been still for `settleMs`.
 */
import {
  campaign,
  campaignEmp,
  customersIn,
  type CampaignData,
  type CampaignSettings,
  type CampaignState,
  type PolicyMode,
} from "../lib/campaign.js";
import type { CostModel } from "../lib/cost-model.js";
import { describeCampaign, type CampaignSetup } from "../lib/campaign-data.js";
import { formatCountIn, formatMoney, percent, type Currency } from "../lib/format.js";
import { settler } from "../lib/settle.js";
import { campaignCurveView, campaignMeta } from "./campaign-curve.js";
import { campaignMatrixView } from "./campaign-matrix.js";
import { injectStyle, type DownloadFormat } from "./chart-export.js";

export interface CampaignPanelOptions {
  data: CampaignData;
  currency: Currency;
  /** the starting settings (the page's defaults) */
  defaults: CampaignSettings;
  /** slider ranges in the data's currency */
  ranges: CampaignSetup["ranges"];
  /** what a customer's own value is, in words ("their lifetime value", "their expected remaining revenue") */
  valueName: string;
  /** extra controls under the value choice (e.g. Telco's horizon) */
  valueControls?: HTMLElement;
  /** the file-name stem of the downloads, e.g. "food" */
  dataset: string;
  settleMs?: number;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

export interface CampaignPanel {
  element: HTMLElement;
  /** the current state (after the last input) */
  readonly state: CampaignState;
  /** replace the customers (e.g. values recomputed under another horizon) and redraw */
  setData(data: CampaignData): void;
  /** settled states, for costly views */
  settled(): AsyncGenerator<CampaignState, void, undefined>;
  /** a one-line statement of the economics and the policy, for captions and exported files */
  describe(state?: CampaignState): string;
  dispose(): void;
}

let uid = 0;

/**
 * A labelled range input with its value shown as people read it (an <output>, also its aria-valuetext). The pages use
 * it for their own value controls so that they look and behave like the panel's.
 */
export function rangeControl(
  label: string,
  [min, max, step]: [number, number, number],
  value: number,
  show: (v: number) => string,
) {
  const wrap = document.createElement("div");
  wrap.className = "rl-slider";
  const inputId = `rl-range-${++uid}`;
  const l = document.createElement("label");
  l.htmlFor = inputId;
  l.textContent = label;
  const out = document.createElement("output");
  out.htmlFor.add(inputId);
  const input = document.createElement("input");
  input.type = "range";
  input.id = inputId;
  Object.assign(input, { min: String(min), max: String(max), step: String(step), value: String(value) });
  const sync = () => {
    out.textContent = show(Number(input.value));
    input.setAttribute("aria-valuetext", out.textContent);
  };
  sync();
  input.addEventListener("input", sync);
  wrap.append(l, out, input);
  return { wrap, input, sync };
}

/** Builds the panel and draws its first state. `width` is the width available to the right-hand column. */
export function campaignPanel(options: CampaignPanelOptions): CampaignPanel {
  const { currency, ranges } = options;
  let data = options.data;
  const settings: CampaignSettings = { ...options.defaults };
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const count = (x: number) => formatCountIn(x, currency);
  const id = (name: string) => `rl-campaign-${++uid}-${name}`;
  const settle = settler<CampaignState>(options.settleMs ?? 150);

  ensureCampaignStyles();
  const root = document.createElement("div");
  root.className = "rl-campaign";

  // ---- controls -------------------------------------------------------------------------------------------------
  const controls = document.createElement("form");
  controls.className = "rl-campaign-controls card";
  controls.setAttribute("aria-label", "Campaign economics and policy");
  controls.addEventListener("submit", (e) => e.preventDefault());

  const radios = <T extends string>(legend: string, name: string, values: Record<T, string>, value: T) => {
    const fieldset = document.createElement("fieldset");
    const l = document.createElement("legend");
    l.textContent = legend;
    fieldset.append(l);
    const group = id(name);
    for (const [v, text] of Object.entries(values) as [T, string][]) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = group;
      input.value = v;
      input.checked = v === value;
      label.append(input, ` ${text}`);
      fieldset.append(label);
    }
    return {
      fieldset,
      get value() {
        return (fieldset.querySelector<HTMLInputElement>("input:checked")?.value ?? value) as T;
      },
      set value(v: T) {
        for (const input of fieldset.querySelectorAll("input")) input.checked = input.value === v;
      },
    };
  };
  const numberBox = (label: string, value: number, step: number) => {
    const l = document.createElement("label");
    l.className = "rl-number";
    const input = document.createElement("input");
    input.type = "number";
    input.min = "0";
    input.step = String(step);
    input.value = String(value);
    input.inputMode = "numeric";
    l.append(`${label} `, input);
    return { label: l, input };
  };

  const symbol = currency === "INR" ? "₹" : "$";
  const valueMode = radios(
    "What a kept customer is worth",
    "value",
    {
      customer: `Each customer's own value (${options.valueName})`,
      flat: "One flat value for everyone (for comparison)",
    },
    settings.valueMode,
  );
  const flat = rangeControl(`Flat value (${symbol})`, ranges.flatValue, settings.flatValue, (v) =>
    formatMoney(v, currency),
  );
  const costModel = radios(
    "Who pays for the offer",
    "cost",
    { coupon: "Coupon: paid only when redeemed", gift: "Upfront gift: every offer costs" } as Record<CostModel, string>,
    settings.costModel,
  );
  const coupon = rangeControl(`Offer cost (${symbol})`, ranges.couponCost, settings.couponCost, (v) =>
    formatMoney(v, currency),
  );
  const contact = rangeControl(
    `Contact cost (${symbol})`,
    ranges.contactCost,
    settings.contactCost,
    (v) => `${symbol}${v.toFixed(v % 1 ? 1 : 0)}`,
  );
  const acceptance = rangeControl(
    "Acceptance: churners who take the offer and stay",
    [0.01, 1, 0.01],
    settings.acceptance,
    (v) => percent(v, 0),
  );
  const policy = radios(
    "How many to target",
    "policy",
    {
      optimum: "The profit optimum",
      budget: "Within a money budget",
      contacts: "Within a number of contacts",
      manual: "By hand (or click the curve)",
    } as Record<PolicyMode, string>,
    settings.policy,
  );
  const budget = numberBox(`Budget (${symbol})`, settings.budget, 100);
  const contacts = numberBox("Contacts", settings.contacts, 100);
  const manual = rangeControl("Customers targeted", [0, customersIn(data), 1], settings.customers, (v) => count(v));
  const valueBlock = document.createElement("div");
  valueBlock.append(valueMode.fieldset, flat.wrap, ...(options.valueControls ? [options.valueControls] : []));
  const policyBlock = document.createElement("div");
  policyBlock.append(policy.fieldset, budget.label, contacts.label, manual.wrap);
  controls.append(valueBlock, costModel.fieldset, coupon.wrap, contact.wrap, acceptance.wrap, policyBlock);

  // ---- the answer, the curve, the matrix ------------------------------------------------------------------------
  const main = document.createElement("div");
  main.className = "rl-campaign-main";
  const answer = document.createElement("div");
  answer.className = "rl-campaign-answer card";
  answer.setAttribute("role", "status");
  answer.id = "campaign-answer";
  const bar = document.createElement("div");
  bar.className = "rl-campaign-bar";
  bar.setAttribute("aria-hidden", "true"); // the answer above says the same to assistive technology
  const curveHost = document.createElement("div");
  curveHost.className = "card rl-campaign-curve-card";
  curveHost.id = "profit-curve";
  const matrix = campaignMatrixView({
    currency,
    caption: () => describe(),
    meta: () => campaignMeta(state, currency),
    onDownload: options.onDownload,
    name: `${options.dataset}-business-matrix`,
  });
  const matrixCard = document.createElement("div");
  matrixCard.className = "card rl-campaign-matrix-card";
  matrixCard.id = "matrix";
  matrixCard.append(matrix);
  main.append(curveHost, matrixCard);
  const side = document.createElement("div");
  side.className = "rl-campaign-side";
  side.append(controls, answer);
  root.append(bar, side, main);

  let curve: ReturnType<typeof campaignCurveView> | null = null;
  let curveWidth = 0;
  let state: CampaignState;

  const describe = (s: CampaignState = state) => describeCampaign(s, currency, options.valueName);

  function draw() {
    state = campaign(data, settings);
    const s = state;
    const gain = s.chosen.profit - s.churnAtChosen.profit;
    const emp = campaignEmp(s);
    const unspent =
      s.settings.policy === "budget"
        ? `; ${money(s.settings.budget - s.chosen.spend)} of the budget stays unspent`
        : "";
    const budgetNote =
      s.budgetLimit && s.budgetLimit.customers > s.chosen.customers
        ? ` The budget would allow ${count(s.budgetLimit.customers)} offers, but past the optimum each further offer loses money, so the policy stops at ${count(s.chosen.customers)}${unspent}.`
        : "";
    answer.innerHTML = "";
    const headline = document.createElement("p");
    headline.className = "rl-campaign-headline";
    headline.innerHTML = `Target <b data-field="customers">${count(s.chosen.customers)}</b> customers (${percent(s.chosen.fraction)}) for an expected profit of <b data-field="profit">${money(s.chosen.profit)}</b>, spending ${money(s.chosen.spend)}.`;
    const detail = document.createElement("p");
    detail.className = "rl-kpi-label";
    detail.textContent =
      `Ranked by churn probability alone, the same ${count(s.chosen.customers)} offers earn ${money(s.churnAtChosen.profit)}: ` +
      `ranking by expected profit adds ${gain >= 0 ? "" : "−"}${money(Math.abs(gain))}` +
      (s.churnAtChosen.profit > 0
        ? ` (${gain >= 0 ? "+" : "−"}${percent(Math.abs(gain / s.churnAtChosen.profit))})`
        : "") +
      `. On these customers' actual outcomes the policy earned ${money(s.realised.profit)}.` +
      budgetNote;
    const empLine = document.createElement("p");
    empLine.className = "rl-kpi-label";
    empLine.textContent =
      `EMP (Verbraken et al. 2013; acceptance uncertain, Beta(6, 14)): ${formatMoney(emp.emp, currency)} per customer, targeting ${percent(emp.empFraction)} by churn probability` +
      ` (${s.settings.costModel === "coupon" ? "their coupon cost model" : "under the upfront-gift model instead of theirs"}${s.settings.valueMode === "customer" ? ", with each customer's value" : ""}).`;
    answer.append(headline, detail, empLine);
    bar.textContent = `Target ${count(s.chosen.customers)} · ${money(s.chosen.profit)} expected`;
    const width = curveHost.clientWidth - 2 * 16;
    if (!curve || (width > 0 && Math.abs(width - curveWidth) > 1)) {
      curveWidth = width > 0 ? width : 640;
      curve = campaignCurveView({
        width: curveWidth,
        height: curveWidth < 520 ? 260 : 236,
        currency,
        onChoose: (k) => {
          settings.policy = "manual";
          settings.customers = k;
          policy.value = "manual";
          manual.input.value = String(k);
          manual.sync();
          update();
        },
        caption: (st) => describe(st),
        onDownload: options.onDownload,
        name: `${options.dataset}-profit-curve`,
      });
      curveHost.replaceChildren(curve);
    }
    curve.update(s);
    matrix.update(s.matrix);
    root.dataset.summary = JSON.stringify({
      customers: s.chosen.customers,
      profit: s.chosen.profit,
      spend: s.chosen.spend,
      optimum: s.optimum.customers,
      churnAtChosen: s.churnAtChosen.profit,
      realised: s.realised.profit,
      emp: emp.emp,
      empFraction: emp.empFraction,
      settings: s.settings,
    });
    for (const el of [budget.label, contacts.label, manual.wrap]) el.hidden = true;
    if (s.settings.policy === "budget") budget.label.hidden = false;
    if (s.settings.policy === "contacts") contacts.label.hidden = false;
    if (s.settings.policy === "manual") manual.wrap.hidden = false;
    flat.wrap.hidden = s.settings.valueMode !== "flat";
    // the manual slider shows the chosen k in every mode, so switching to "by hand" starts from it
    if (s.settings.policy !== "manual") {
      manual.input.value = String(s.chosen.customers);
      manual.sync();
    }
  }

  function read() {
    settings.valueMode = valueMode.value;
    settings.flatValue = Number(flat.input.value);
    settings.costModel = costModel.value;
    settings.couponCost = Number(coupon.input.value);
    settings.contactCost = Number(contact.input.value);
    settings.acceptance = Number(acceptance.input.value);
    settings.policy = policy.value;
    const b = Number(budget.input.value);
    const c = Number(contacts.input.value);
    budget.input.setCustomValidity(Number.isFinite(b) && b >= 0 ? "" : "Enter an amount of 0 or more");
    contacts.input.setCustomValidity(Number.isFinite(c) && c >= 0 ? "" : "Enter a number of customers, 0 or more");
    if (Number.isFinite(b) && b >= 0) settings.budget = b;
    if (Number.isFinite(c) && c >= 0) settings.contacts = Math.floor(c);
    settings.customers = Math.min(customersIn(data), Math.max(0, Math.round(Number(manual.input.value))));
  }

  function update() {
    draw();
    settle.push(state);
    root.setAttribute("aria-busy", "true");
  }

  controls.addEventListener("input", () => {
    read();
    update();
  });
  // the resize of the curve's card (a phone turned, a window resized) redraws at the new width
  const resize = new ResizeObserver(() => {
    const width = curveHost.clientWidth - 2 * 16;
    if (width > 0 && Math.abs(width - curveWidth) > 1) draw();
  });
  resize.observe(curveHost);

  draw();
  settle.push(state!);

  return {
    element: root,
    get state() {
      return state;
    },
    setData(next) {
      data = next;
      manual.input.max = String(customersIn(next));
      update();
    },
    async *settled() {
      for await (const s of settle.values()) {
        if (!settle.pending) root.removeAttribute("aria-busy");
        yield s;
      }
    },
    describe,
    dispose() {
      resize.disconnect();
      settle.dispose();
    },
  };
}

/** The panel's layout, injected once per document so the pages and the embeds get the same one. */
const ensureCampaignStyles = () => injectStyle("rl-campaign-style", CAMPAIGN_CSS);

const CAMPAIGN_CSS = `
.rl-campaign { display: grid; grid-template-columns: minmax(250px, 290px) minmax(0, 1fr); gap: 0.75rem; align-items: start; }
.rl-campaign .card { margin: 0; }
.rl-campaign-side { position: sticky; top: 0.75rem; display: grid; gap: 0.75rem; }
.rl-campaign-controls { display: grid; gap: 0.6rem; font-size: 14px; }
.rl-campaign-controls fieldset { border: none; margin: 0; padding: 0; display: grid; gap: 1px; }
.rl-campaign-controls legend { font-weight: 600; padding: 0; margin-bottom: 2px; }
.rl-campaign-controls label { cursor: pointer; }
.rl-slider { display: grid; grid-template-columns: 1fr auto; gap: 0 0.5rem; align-items: baseline; }
.rl-slider input[type="range"] { grid-column: 1 / -1; width: 100%; margin: 2px 0 0; }
.rl-slider output, .rl-campaign b { font-variant-numeric: tabular-nums; }
.rl-slider output { font-weight: 600; }
.rl-number { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.3rem; }
.rl-number input { width: 9em; font: inherit; }
.rl-number input:invalid { outline: 2px solid var(--rl-risk-high, #b2182b); }
.rl-campaign [hidden] { display: none !important; }
.rl-campaign-main { display: grid; gap: 0.75rem; min-width: 0; }
.rl-campaign-answer p { margin: 0 0 0.25rem; max-width: none; }
.rl-campaign-headline { font-size: 1.05rem; }
.rl-campaign-answer .rl-kpi-label { font-size: 13px; }
.rl-campaign-bar { display: none; }
.rl-campaign figure h2 { margin: 0 0 0.2rem; font-size: 15px; }
.rl-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; font: 12px/1.4 system-ui, sans-serif; margin-bottom: 0.2rem; }
.rl-legend span { display: inline-flex; gap: 0.3rem; align-items: center; }
.rl-campaign-curve svg:focus-visible { outline: 3px solid var(--rl-accent, #0b6e4f); outline-offset: 2px; }
.rl-campaign-matrix .rl-matrix { border-spacing: 4px; font-size: 13px; table-layout: fixed; }
.rl-campaign-matrix .rl-matrix caption { font-size: 15px; font-weight: 400; }
.rl-campaign-matrix .rl-matrix-head { width: 92px; }
.rl-campaign-matrix .rl-matrix th { text-align: left; padding: 0 4px; }
.rl-campaign-matrix .rl-matrix td { padding: 4px 8px; width: auto; }
.rl-campaign-matrix .rl-matrix-money { font-size: 1.05em; }
.rl-matrix-sum { font-weight: 600; padding: 4px 2px !important; }
@media (max-width: 760px) {
  .rl-campaign { grid-template-columns: minmax(0, 1fr); }
  .rl-campaign-side { position: static; }
  .rl-campaign-bar { display: block; position: sticky; top: 0; z-index: 5; padding: 0.5rem 0.75rem; font-weight: 600;
    background: var(--theme-background, #fff); border-bottom: 1px solid var(--theme-foreground-faint, #ccc); }
}
`;
