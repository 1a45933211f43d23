/**
 * The profit curve: expected campaign profit (₹) at every targeting threshold, with the empirical and theoretical
 * optima, the naive policies and the chosen threshold.
 *
 * Drawn with d3 and updated in place, not re-plotted: the Retention page redraws it on every frame of a slider drag,
 * and a new Plot figure per update (about 3 ms of script, then a fresh SVG to lay out) was the largest part of an
 * update that must fit in one 16 ms frame. The chart is built once per width; update() moves the line, the rules,
 * the labels and the y axis (a d3 join: only the ticks that change are touched).
 */
import { percent as pct } from "../lib/format.js";
import { formatRupees, formatCount } from "../lib/format.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { ProfitScenario } from "../lib/profit-scenario.js";
import * as d3 from "npm:d3";
import type { CurveSample } from "../lib/profit.js";

export interface ProfitCurveData {
  samples: readonly CurveSample[];
  /** the empirical optimum: the most profitable threshold on these scores */
  optimum: { threshold: number; profit: number };
  /** (coupon + contact) / (acceptance · LTV) */
  theoretical: number;
  /** profit of targeting nobody and everybody (reference lines) */
  nobody: number;
  everybody: number;
  /** the threshold chosen on the page (an orange rule) */
  threshold?: number;
}

export interface ProfitCurveChart {
  /** <figure> with the title (h2) and the svg */
  node: HTMLElement;
  update(data: ProfitCurveData): void;
}

export const PROFIT_CURVE_TITLE = "Expected campaign profit by targeting threshold (₹)";
const ACCENT = "var(--rl-accent, #0b6e4f)";
const CHOSEN = "#d95f02";
const FAINT = "var(--theme-foreground-faint, #999)";
const SVG_NS = "http://www.w3.org/2000/svg";

/** An empty chart of the given size; call update() to draw (and redraw) it. */
export function profitCurveChart({
  width = 640,
  height = 320,
  title = PROFIT_CURVE_TITLE,
}: { width?: number; height?: number; title?: string } = {}): ProfitCurveChart {
  const narrow = width < 520;
  const margin = { top: 24, right: narrow ? 10 : 110, bottom: 36, left: 70 };
  const x = d3.scaleLinear([0, 1], [margin.left, width - margin.right]);
  const y = d3.scaleLinear().range([height - margin.bottom, margin.top]);

  const figure = document.createElement("figure");
  figure.className = "rl-figure";
  figure.style.margin = "0";
  figure.style.maxWidth = "none";
  const h2 = document.createElement("h2");
  h2.textContent = title;
  const svg = d3
    .select(document.createElementNS(SVG_NS, "svg"))
    .attr("class", "rl-profit-curve")
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("tabindex", 0)
    .attr("font-family", "system-ui, sans-serif")
    .attr("font-size", 10)
    .attr("fill", "currentColor")
    .style("max-width", "100%")
    .style("height", "auto")
    .style("overflow", "visible");
  figure.append(h2, svg.node()!);

  // Axes: x is fixed (0–100%); y follows the data.
  svg
    .append("g")
    .attr("aria-hidden", "true")
    .attr("transform", `translate(0,${height - margin.bottom})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(narrow ? 5 : 10, "%")
        .tickSizeOuter(0),
    )
    // d3's axis strokes and fills with currentColor; drop its font so the svg's applies.
    .call((g) => g.attr("font-size", null).attr("font-family", null))
    .append("text")
    .attr("x", width - margin.right)
    .attr("y", 30)
    .attr("fill", "currentColor")
    .attr("text-anchor", "end")
    .text(
      narrow ? "Threshold t (target p ≥ t) →" : "Targeting threshold: target customers with churn probability ≥ t →",
    );
  const yAxis = svg.append("g").attr("aria-hidden", "true").attr("transform", `translate(${margin.left},0)`);
  svg
    .append("text")
    .attr("x", margin.left - 64)
    .attr("y", margin.top - 12)
    .attr("fill", "currentColor")
    .text("↑ Expected profit (₹)");

  const refs = svg.append("g").attr("aria-hidden", "true");
  const refLines = refs
    .selectAll("line")
    .data(["target nobody", "target everybody"])
    .join("line")
    .attr("x1", margin.left)
    .attr("x2", width - margin.right)
    .attr("stroke", FAINT)
    .attr("stroke-dasharray", "2,3");
  const refLabels = narrow
    ? null
    : refs
        .selectAll("text")
        .data(["target nobody", "target everybody"])
        .join("text")
        .attr("x", width - margin.right + 6)
        .attr("dy", "0.32em")
        .attr("fill", "currentColor")
        .text((d) => d);

  const vRule = (stroke: string, dash: string | null, strokeWidth = 1) =>
    svg
      .append("line")
      .attr("y1", margin.top)
      .attr("y2", height - margin.bottom)
      .attr("stroke", stroke)
      .attr("stroke-width", strokeWidth)
      .attr("stroke-dasharray", dash);
  const optimumRule = vRule(ACCENT, null);
  const theoryRule = vRule(ACCENT, "4,3");
  const chosenRule = vRule(CHOSEN, null, 1.5);
  const theoryLabel = svg
    .append("text")
    .attr("y", height - margin.bottom - 14)
    .attr("fill", "currentColor");
  const path = svg.append("path").attr("fill", "none").attr("stroke", ACCENT).attr("stroke-width", 2);
  const bestDot = svg.append("circle").attr("r", 5).attr("fill", ACCENT);
  const bestLabel = svg.append("text").attr("font-weight", "bold").attr("fill", "currentColor").attr("dy", -12);
  const line = d3
    .line<CurveSample>()
    .x((d) => x(d.threshold))
    .y((d) => y(d.profit));

  // The tooltip (pointer or arrow keys): the sample nearest the pointer's threshold.
  const tip = svg.append("g").attr("aria-label", "tip").attr("pointer-events", "none").attr("display", "none");
  const tipDot = tip.append("circle").attr("r", 3.5).attr("fill", ACCENT);
  const tipBox = tip
    .append("rect")
    .attr("rx", 3)
    .attr("fill", "var(--theme-background, #fff)")
    .attr("stroke", "currentColor")
    .attr("stroke-opacity", 0.35);
  const tipText = tip.append("text");

  let data: ProfitCurveData | null = null;
  let tipIndex = -1;

  function showTip(index: number) {
    if (!data?.samples.length) return;
    tipIndex = Math.max(0, Math.min(data.samples.length - 1, index));
    const d = data.samples[tipIndex];
    const lines = [
      `threshold  ${d.threshold.toFixed(3)}`,
      `expected profit  ${formatRupees(d.profit)}`,
      `customers targeted  ${formatCount(d.targeted)}`,
      `share targeted  ${pct(d.fraction)}`,
    ];
    const px = x(d.threshold);
    const py = y(d.profit);
    const boxWidth = 12 + 5.8 * Math.max(...lines.map((l) => l.length));
    const boxHeight = 8 + 14 * lines.length;
    // Right of the point if it fits, else left of it, and never outside the chart (narrow screens).
    const left = Math.max(0, Math.min(width - boxWidth, px + 10 + boxWidth > width ? px - 10 - boxWidth : px + 10));
    const top = Math.max(0, Math.min(height - boxHeight, py - boxHeight / 2));
    tipDot.attr("cx", px).attr("cy", py);
    tipBox.attr("x", left).attr("y", top).attr("width", boxWidth).attr("height", boxHeight);
    tipText
      .selectAll("tspan")
      .data(lines)
      .join("tspan")
      .attr("x", left + 6)
      .attr("y", (_, i) => top + 16 + 14 * i)
      .text((l) => l);
    tip.attr("display", null);
  }
  const hideTip = () => {
    tipIndex = -1;
    tip.attr("display", "none");
  };
  const indexAt = (threshold: number) =>
    data ? Math.round(Math.max(0, Math.min(1, threshold)) * (data.samples.length - 1)) : -1;
  svg
    .on("pointermove", (event: PointerEvent) => {
      const [px, py] = d3.pointer(event);
      if (px < margin.left || px > width - margin.right || py < margin.top || py > height - margin.bottom) hideTip();
      else showTip(indexAt(x.invert(px)));
    })
    .on("pointerleave", hideTip)
    .on("focus", () => data && showTip(indexAt(data.optimum.threshold)))
    .on("blur", hideTip)
    .on("keydown", (event: KeyboardEvent) => {
      const step = event.shiftKey ? 10 : 1;
      const moves: Record<string, number> = { ArrowLeft: -step, ArrowRight: step, ArrowDown: -step, ArrowUp: step };
      if (event.key === "Escape") hideTip();
      else if (event.key in moves && data) {
        event.preventDefault();
        showTip((tipIndex < 0 ? indexAt(data.optimum.threshold) : tipIndex) + moves[event.key]);
      }
    });

  let drawnDomain = "";
  const yTicks = Math.max(3, Math.round((height - margin.top - margin.bottom) / 36));
  function drawYAxis() {
    yAxis
      .call(
        d3
          .axisLeft(y)
          .ticks(yTicks)
          .tickFormat((v) => formatRupees(+v))
          .tickSizeInner(-(width - margin.left - margin.right))
          .tickSizeOuter(0)
          .tickPadding(6),
      )
      .call((g) => g.attr("font-size", null).attr("font-family", null).select(".domain").remove())
      .call((g) => g.selectAll(".tick line").attr("stroke-opacity", 0.1));
  }

  function update(next: ProfitCurveData) {
    data = next;
    const { samples, optimum, theoretical, nobody, everybody, threshold } = next;
    let lo = Math.min(optimum.profit, nobody, everybody);
    let hi = Math.max(optimum.profit, nobody, everybody);
    for (const d of samples) {
      if (d.profit < lo) lo = d.profit;
      if (d.profit > hi) hi = d.profit;
    }
    y.domain([lo, hi === lo ? lo + 1 : hi]).nice();
    // A drag changes the data on every frame but the rounded domain only now and then: redraw the axis only then.
    const domain = y.domain().join();
    if (domain !== drawnDomain) {
      drawnDomain = domain;
      drawYAxis();
    }
    const refValues = [nobody, everybody];
    refLines.attr("y1", (_, i) => y(refValues[i])).attr("y2", (_, i) => y(refValues[i]));
    refLabels?.attr("y", (_, i) => y(refValues[i]));
    optimumRule.attr("x1", x(optimum.threshold)).attr("x2", x(optimum.threshold));
    theoryRule
      .attr("x1", x(theoretical))
      .attr("x2", x(theoretical))
      .attr("display", theoretical >= 0 && theoretical <= 1 ? null : "none");
    theoryLabel
      .attr("x", x(Math.min(1, theoretical)) + (theoretical > 0.6 ? -4 : 4))
      .attr("text-anchor", theoretical > 0.6 ? "end" : "start")
      .text(`theory ${theoretical.toFixed(3)} (dashed)`);
    chosenRule
      .attr("display", threshold === undefined ? "none" : null)
      .attr("x1", x(threshold ?? 0))
      .attr("x2", x(threshold ?? 0));
    path.attr("d", line(samples as CurveSample[]));
    bestDot.attr("cx", x(optimum.threshold)).attr("cy", y(optimum.profit));
    bestLabel
      .attr("x", x(optimum.threshold))
      .attr("y", y(optimum.profit))
      .attr("text-anchor", optimum.threshold > 0.7 ? "end" : "start")
      .text(`best ${formatRupees(optimum.profit)} at ${optimum.threshold.toFixed(3)}`);
    svg.attr(
      "aria-label",
      `${title}. Best threshold ${optimum.threshold.toFixed(3)} earns ${formatRupees(optimum.profit)}; ` +
        `theory ${theoretical.toFixed(3)}; target nobody ${formatRupees(nobody)}, everybody ${formatRupees(everybody)}` +
        (threshold === undefined ? "." : `; chosen threshold ${threshold.toFixed(3)}.`) +
        " Arrow keys move a tooltip along the curve.",
    );
    if (tipIndex >= 0) showTip(tipIndex);
  }

  return { node: figure, update };
}

export interface ProfitCurveViewOptions {
  width: number;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** The profit curve with SVG/PNG/CSV downloads; update() redraws it in place and refreshes its data attributes. */
export type ProfitCurveView = HTMLDivElement & {
  update(scenario: ProfitScenario, threshold?: number): void;
};

/**
 * An empty profit-curve view at a width; call update() with a scenario (and the threshold chosen on the page, an
 * orange rule) to draw it, and again on every change: the chart is moved in place, not rebuilt.
 */
export function profitCurveView({ width, onDownload }: ProfitCurveViewOptions): ProfitCurveView {
  const chart = profitCurveChart({ width });
  let current: ProfitScenario | null = null;
  const view = withDownloads(chart.node, {
    name: "profit-curve",
    data: () =>
      (current?.samples ?? []).map((d) => ({
        threshold: d.threshold,
        customers_targeted: d.targeted,
        share_targeted: +d.fraction.toFixed(6),
        expected_profit_inr: +d.profit.toFixed(2),
      })),
    onDownload,
  }) as ProfitCurveView;
  view.update = (s, threshold) => {
    current = s;
    chart.update({
      samples: s.samples,
      optimum: { threshold: s.best.threshold, profit: s.best.profit },
      theoretical: s.theory,
      nobody: s.nobody.profit,
      everybody: s.everybody.profit,
      threshold,
    });
    view.dataset.summary = JSON.stringify({
      optimum: s.best.threshold,
      optimumProfit: s.best.profit,
      optimumTargeted: s.best.targeted,
      theoretical: s.theory,
      nobody: s.nobody.profit,
      everybody: s.everybody.profit,
      ...(threshold === undefined ? {} : { threshold }),
    });
  };
  return view;
}
