/**
 * The campaign's profit curve: expected profit against the number of customers targeted, for customers ranked by
 * expected profit (the policy) and by churn probability alone (the comparison), with target-nobody, target-everybody,
 * the optimum, the budget's limit and the chosen policy. The chosen policy can be set on the chart: click or drag,
 * or, focused, the arrow keys (1% of the base; Shift 10%), Page Up/Down (10%), Home and End.
 *
 * Drawn with d3 and updated in place: a slider drag redraws it on every frame, and a new figure per update would not
 * fit in one. The chart is built once per width; update() moves the lines, the markers and the y axis.
 */
import * as d3 from "npm:d3";
import type { CampaignState } from "../lib/campaign.js";
import type { Policy } from "../lib/targeting.js";
import { formatCountIn, formatMoney, percent, type Currency } from "../lib/format.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { ExportMeta } from "../lib/export-meta.js";

const ACCENT = "var(--rl-accent, #0b6e4f)";
const CHURN = "var(--theme-foreground-muted, #6b6b6b)";
const CHOSEN = "#b35806";
const SVG_NS = "http://www.w3.org/2000/svg";

export interface CampaignCurveOptions {
  width: number;
  height?: number;
  currency: Currency;
  /** what the customers are worth, for the caption ("their own lifetime value") */
  title?: string;
  /** called with a number of customers when the user sets the policy on the chart (omit: read-only chart) */
  onChoose?: (customers: number) => void;
  /** the caption under the chart: economics and policy, so an exported file states them */
  caption?: (state: CampaignState) => string;
  onDownload?: (format: DownloadFormat, name: string) => void;
  name?: string;
}

export type CampaignCurveView = HTMLDivElement & { update(state: CampaignState): void };

export function campaignCurveTitle(currency: Currency): string {
  return `Expected campaign profit by customers targeted (${currency === "INR" ? "₹" : "$"})`;
}

/** The curve view; call update() with a campaign state to draw it, and on every change. */
export function campaignCurveView(options: CampaignCurveOptions): CampaignCurveView {
  const { width, currency, onChoose } = options;
  const height = options.height ?? Math.round(Math.min(320, Math.max(240, width * 0.42)));
  const title = options.title ?? campaignCurveTitle(currency);
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const count = (x: number) => formatCountIn(x, currency);
  const narrow = width < 520;
  // on a phone the chosen policy's label gets a line of its own under the axis title (they overlapped at 375 px)
  const margin = { top: narrow ? 46 : 30, right: narrow ? 14 : 24, bottom: 40, left: narrow ? 62 : 78 };
  const x = d3.scaleLinear().range([margin.left, width - margin.right]);
  const y = d3.scaleLinear().range([height - margin.bottom, margin.top]);

  const figure = document.createElement("figure");
  figure.className = "rl-figure rl-campaign-curve";
  figure.style.margin = "0";
  figure.style.maxWidth = "none";
  const h2 = document.createElement("h2");
  h2.textContent = title;
  const legend = document.createElement("div");
  legend.className = "rl-legend";
  legend.innerHTML =
    '<span><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="var(--rl-accent, #0b6e4f)" stroke-width="3"/></svg> ranked by expected profit (the policy)</span>' +
    '<span><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="var(--theme-foreground-muted, #6b6b6b)" stroke-width="2" stroke-dasharray="5,3"/></svg> ranked by churn probability</span>' +
    `<span><svg width="14" height="12" aria-hidden="true"><line x1="7" x2="7" y1="0" y2="12" stroke="${CHOSEN}" stroke-width="3"/></svg> chosen policy</span>`;
  const svg = d3
    .select(document.createElementNS(SVG_NS, "svg"))
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("font-family", "system-ui, sans-serif")
    .attr("font-size", 11)
    .attr("fill", "currentColor")
    .style("max-width", "100%")
    .style("height", "auto");
  if (onChoose) svg.style("touch-action", "none").style("cursor", "ew-resize");
  if (onChoose) svg.attr("tabindex", 0).attr("role", "slider").attr("aria-orientation", "horizontal");
  else svg.attr("role", "img");
  const caption = document.createElement("figcaption");
  caption.className = "rl-view-note";
  figure.append(h2, legend, svg.node()!, caption);

  const xAxis = svg
    .append("g")
    .attr("aria-hidden", "true")
    .attr("transform", `translate(0,${height - margin.bottom})`);
  svg
    .append("text")
    .attr("x", width - margin.right)
    .attr("y", height - 6)
    .attr("text-anchor", "end")
    .text(narrow ? "Customers targeted →" : "Customers targeted (the top of the ranking) →");
  const yAxis = svg.append("g").attr("aria-hidden", "true").attr("transform", `translate(${margin.left},0)`);
  svg
    .append("text")
    .attr("x", 4)
    .attr("y", 12)
    .text(`↑ Expected profit (${currency === "INR" ? "₹" : "$"})`);
  const zero = svg.append("line").attr("stroke", "currentColor").attr("stroke-opacity", 0.45);
  const budgetRule = svg
    .append("line")
    .attr("y1", margin.top)
    .attr("y2", height - margin.bottom)
    .attr("stroke", "currentColor")
    .attr("stroke-dasharray", "6,4");
  const budgetLabel = svg
    .append("text")
    .attr("y", margin.top - 4)
    .attr("font-size", 11);
  const churnPath = svg
    .append("path")
    .attr("fill", "none")
    .attr("stroke", CHURN)
    .attr("stroke-width", 1.6)
    .attr("stroke-dasharray", "5,3");
  const path = svg.append("path").attr("fill", "none").attr("stroke", ACCENT).attr("stroke-width", 2.5);
  const ends = svg
    .append("g")
    .selectAll("g")
    .data(["nobody", "everybody"])
    .join("g")
    .call((g) => g.append("circle").attr("r", 3.5).attr("fill", "currentColor"))
    .call((g) =>
      g
        .append("text")
        .attr("dy", -8)
        .attr("text-anchor", (d) => (d === "nobody" ? "start" : "end"))
        .text((d) => `target ${d}`),
    );
  const optimumDot = svg
    .append("circle")
    .attr("r", 5.5)
    .attr("fill", "none")
    .attr("stroke", ACCENT)
    .attr("stroke-width", 2.5);
  const chosenRule = svg
    .append("line")
    .attr("y1", margin.top)
    .attr("y2", height - margin.bottom)
    .attr("stroke", CHOSEN)
    .attr("stroke-width", 3);
  const chosenDot = svg.append("circle").attr("r", 5).attr("fill", CHOSEN);
  const chosenLabel = svg
    .append("text")
    .attr("font-weight", 600)
    .attr("fill", CHOSEN)
    .attr("y", margin.top - 16);

  // The tooltip: both rankings' profit at the customers under the pointer.
  const tip = svg.append("g").attr("aria-label", "tip").attr("pointer-events", "none").attr("display", "none");
  const tipRule = tip.append("line").attr("stroke", "currentColor").attr("stroke-opacity", 0.3);
  const tipBox = tip
    .append("rect")
    .attr("rx", 3)
    .attr("fill", "var(--theme-background, #fff)")
    .attr("stroke", "currentColor")
    .attr("stroke-opacity", 0.35);
  const tipText = tip.append("text");

  let state: CampaignState | null = null;
  let drawnDomain = "";
  const line = d3
    .line<Policy>()
    .x((d) => x(d.customers))
    .y((d) => y(d.profit));

  /** The curve point nearest k customers (the curves are evenly spaced in customers). */
  const near = (curve: Policy[], k: number) => {
    let lo = 0;
    let hi = curve.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (curve[mid].customers < k) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && k - curve[lo - 1].customers < curve[lo].customers - k ? curve[lo - 1] : curve[lo];
  };

  function showTip(k: number) {
    if (!state) return;
    const a = near(state.curve, k);
    const b = near(state.churnCurve, k);
    const lines = [
      `${count(a.customers)} customers (${percent(a.fraction)})`,
      `by expected profit: ${money(a.profit)}`,
      `by churn probability: ${money(b.profit)}`,
    ];
    const px = x(a.customers);
    const boxWidth = 12 + 6 * Math.max(...lines.map((l) => l.length));
    const boxHeight = 8 + 15 * lines.length;
    const left = Math.max(0, Math.min(width - boxWidth, px + 12 + boxWidth > width ? px - 12 - boxWidth : px + 12));
    const top = margin.top + 4;
    tipRule
      .attr("x1", px)
      .attr("x2", px)
      .attr("y1", margin.top)
      .attr("y2", height - margin.bottom);
    tipBox.attr("x", left).attr("y", top).attr("width", boxWidth).attr("height", boxHeight);
    tipText
      .selectAll("tspan")
      .data(lines)
      .join("tspan")
      .attr("x", left + 6)
      .attr("y", (_, i) => top + 16 + 15 * i)
      .text((l) => l);
    tip.attr("display", null);
  }
  const hideTip = () => tip.attr("display", "none");
  const customersAt = (px: number) => Math.round(Math.max(0, Math.min(state?.n ?? 0, x.invert(px))));

  let dragging = false;
  svg
    .on("pointermove", (event: PointerEvent) => {
      const [px, py] = d3.pointer(event);
      if (dragging && onChoose) return onChoose(customersAt(px));
      if (px < margin.left || px > width - margin.right || py < margin.top || py > height - margin.bottom) hideTip();
      else showTip(x.invert(px));
    })
    .on("pointerleave", () => {
      if (!dragging) hideTip();
    })
    .on("pointerdown", (event: PointerEvent) => {
      if (!onChoose || !state) return;
      const [px] = d3.pointer(event);
      if (px < margin.left - 10 || px > width - margin.right + 10) return;
      dragging = true;
      (svg.node() as SVGSVGElement).setPointerCapture?.(event.pointerId);
      hideTip();
      onChoose(customersAt(px));
    })
    .on("pointerup pointercancel", () => {
      dragging = false;
    })
    .on("keydown", (event: KeyboardEvent) => {
      if (!onChoose || !state) return;
      const n = state.n;
      const k = state.chosen.customers;
      const step = Math.max(1, Math.round(n / 100)) * (event.shiftKey ? 10 : 1);
      const big = Math.max(1, Math.round(n / 10));
      const next: Record<string, number> = {
        ArrowLeft: k - step,
        ArrowDown: k - step,
        ArrowRight: k + step,
        ArrowUp: k + step,
        PageDown: k - big,
        PageUp: k + big,
        Home: 0,
        End: n,
      };
      if (event.key in next) {
        event.preventDefault();
        onChoose(Math.max(0, Math.min(n, next[event.key])));
      }
    });

  function drawAxes(n: number) {
    const domain = `${n}|${y.domain().join()}`;
    if (domain === drawnDomain) return;
    drawnDomain = domain;
    const fmt = (v: d3.NumberValue) => (n >= 1e4 ? d3.format("~s")(+v) : count(+v));
    xAxis
      .call(
        d3
          .axisBottom(x)
          .ticks(narrow ? 4 : 8)
          .tickFormat(fmt)
          .tickSizeOuter(0),
      )
      .call((g) => g.attr("font-size", null).attr("font-family", null));
    yAxis
      .call(
        d3
          .axisLeft(y)
          .ticks(Math.max(3, Math.round((height - margin.top - margin.bottom) / 40)))
          .tickFormat((v) => money(+v))
          .tickSizeInner(-(width - margin.left - margin.right))
          .tickSizeOuter(0)
          .tickPadding(6),
      )
      .call((g) => g.attr("font-size", null).attr("font-family", null).select(".domain").remove())
      .call((g) => g.selectAll(".tick line").attr("stroke-opacity", 0.1));
  }

  function update(next: CampaignState) {
    state = next;
    const { n, curve, churnCurve, optimum, chosen, nobody, everybody, budgetLimit } = next;
    x.domain([0, Math.max(1, n)]);
    let lo = 0;
    let hi = 0;
    for (const c of [curve, churnCurve]) {
      for (const d of c) {
        if (d.profit < lo) lo = d.profit;
        if (d.profit > hi) hi = d.profit;
      }
    }
    y.domain([lo, hi === lo ? lo + 1 : hi]).nice();
    drawAxes(n);
    zero
      .attr("x1", margin.left)
      .attr("x2", width - margin.right)
      .attr("y1", y(0))
      .attr("y2", y(0));
    path.attr("d", line(curve));
    churnPath.attr("d", line(churnCurve));
    const endPolicies = [nobody, everybody];
    ends.attr("transform", (_, i) => `translate(${x(endPolicies[i].customers)},${y(endPolicies[i].profit)})`);
    // an end's label gives way to the chosen policy's when they would overlap
    ends
      .select("text")
      .attr("display", (_, i) =>
        Math.abs(x(endPolicies[i].customers) - x(next.chosen.customers)) < 110 ? "none" : null,
      );
    optimumDot.attr("cx", x(optimum.customers)).attr("cy", y(optimum.profit));
    const cx = x(chosen.customers);
    chosenRule.attr("x1", cx).attr("x2", cx);
    chosenDot.attr("cx", cx).attr("cy", y(chosen.profit));
    const atOptimum = chosen.customers === optimum.customers;
    chosenLabel
      .attr("x", cx)
      .attr("text-anchor", cx > width * 0.75 ? "end" : cx < width * 0.25 ? "start" : "middle")
      .text(`${atOptimum ? "chosen = optimum" : "chosen"}: ${count(chosen.customers)}, ${money(chosen.profit)}`);
    budgetRule
      .attr("display", budgetLimit ? null : "none")
      .attr("x1", x(budgetLimit?.customers ?? 0))
      .attr("x2", x(budgetLimit?.customers ?? 0));
    budgetLabel
      .attr("display", budgetLimit && budgetLimit.customers !== chosen.customers ? null : "none")
      .attr("x", x(budgetLimit?.customers ?? 0) + 4)
      .text(budgetLimit ? `budget limit: ${count(budgetLimit.customers)}` : "");
    const valueText =
      `${count(chosen.customers)} customers (${percent(chosen.fraction)}), expected profit ${money(chosen.profit)}; ` +
      `the optimum targets ${count(optimum.customers)} for ${money(optimum.profit)}`;
    if (onChoose) {
      svg
        .attr("aria-label", `${title}: set the number of customers targeted`)
        .attr("aria-valuemin", 0)
        .attr("aria-valuemax", n)
        .attr("aria-valuenow", chosen.customers)
        .attr("aria-valuetext", valueText);
    } else svg.attr("aria-label", `${title}. ${valueText}.`);
    caption.textContent = options.caption?.(next) ?? "";
  }

  const view = withDownloads(figure, {
    name: options.name ?? "profit-curve",
    data: () => curveRows(state, currency),
    meta: () => campaignMeta(state, currency),
    onDownload: options.onDownload,
  }) as CampaignCurveView;
  view.update = (s) => {
    update(s);
    view.dataset.summary = JSON.stringify({
      chosen: s.chosen.customers,
      chosenProfit: s.chosen.profit,
      optimum: s.optimum.customers,
      optimumProfit: s.optimum.profit,
      churnOptimum: s.churnOptimum.customers,
    });
  };
  return view;
}

/** The CSV behind the chart: both curves at the chart's points, with the economics each row was priced with. */
export function curveRows(state: CampaignState | null, currency: Currency) {
  if (!state) return [];
  const unit = currency === "INR" ? "inr" : "usd";
  const s = state.settings;
  return state.curve.map((d, i) => ({
    customers_targeted: d.customers,
    share_targeted: +d.fraction.toFixed(6),
    [`expected_profit_by_expected_profit_${unit}`]: +d.profit.toFixed(2),
    [`expected_profit_by_churn_probability_${unit}`]: +(state.churnCurve[i]?.profit ?? Number.NaN).toFixed(2),
    cost_model: s.costModel,
    value: s.valueMode === "flat" ? `flat ${s.flatValue}` : "per customer",
    offer_cost: s.couponCost,
    contact_cost: s.contactCost,
    acceptance: s.acceptance,
  }));
}

/** What an exported curve or matrix states: the data set, and the economics and policy it was drawn with. */
export function campaignMeta(state: CampaignState | null, currency: Currency): ExportMeta {
  const unit = currency === "INR" ? "₹" : "$";
  if (!state) return { dataset: currency === "INR" ? "food" : "telco" };
  const s = state.settings;
  return {
    dataset: currency === "INR" ? "food" : "telco",
    parameters: {
      "cost model": s.costModel === "coupon" ? "coupon paid only when redeemed" : "upfront gift",
      value: s.valueMode === "flat" ? `flat ${unit}${s.flatValue}` : "each customer's own",
      [`offer cost (${unit})`]: s.couponCost,
      [`contact cost (${unit})`]: s.contactCost,
      acceptance: s.acceptance,
      policy: s.policy,
      "customers targeted": state.chosen.customers,
    },
  };
}
