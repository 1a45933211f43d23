/**
 * One chart of a cross-filtered dashboard (src/lib/crossfilter.ts): customers per bucket, stacked by outcome, with the
 * count written on every bar. Selecting filters the other charts: drag across a histogram (a brush) or click bars;
 * the buttons under the chart do the same from the keyboard (each shows its bucket's count and whether it is chosen).
 * Drawn once with d3 and moved in place on every change, so a selection redraws all charts within a frame.
 */
import * as d3 from "npm:d3";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import { live } from "./live.js";
import type { BucketCounts } from "../lib/crossfilter.js";
import type { ExportParameters } from "../lib/export-meta.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const STAYED = "var(--rl-risk-low, #67a9cf)";
const CHURNED = "var(--rl-risk-high, #b2182b)";

/** What a chart reads from and writes to: the dashboard's state. */
export interface LinkedSource {
  /** the dimension's name and buckets */
  dimension(id: string): { label: string; buckets: readonly { key: string; label: string }[] };
  counts(id: string): BucketCounts;
  selected(id: string): readonly number[];
  select(id: string, buckets: readonly number[]): void;
  /** calls `listener` after every change; returns the unsubscribe */
  subscribe(listener: () => void): () => void;
}

export interface LinkedChartOptions {
  id: string;
  title: string;
  /** "columns": a histogram with a brush; "bars": horizontal bars for categories */
  orientation: "columns" | "bars";
  width?: number;
  /** what the outcome is called: "churned" (default) or "churned in the test" */
  outcome?: string;
  /** the download file name and CSV column of the bucket */
  name: string;
  bucketColumn: string;
  onDownload?: (format: DownloadFormat, name: string) => void;
  /** the parameters its exports state (read at download time), e.g. the dashboard's current filter */
  parameters?: () => ExportParameters;
}

// One formatter: toLocaleString builds a new one on every call, which cost most of a redraw.
const NUMBER = new Intl.NumberFormat("en-US");
const fmt = (v: number) => NUMBER.format(v);
const short = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(v));
const rate = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)}%` : "—");

/** The chart inside its downloads wrapper; it follows `source` until it is removed from the page. */
export function linkedChart(source: LinkedSource, options: LinkedChartOptions): HTMLElement {
  const { id, title, orientation, width = 640, outcome = "churned" } = options;
  const { label: axisLabel, buckets } = source.dimension(id);
  const columns = orientation === "columns";
  const labels = buckets.map((b) => b.label);
  // On a narrow screen the histogram's labels turn and its counts shorten (the buttons below keep the exact counts).
  const narrow = columns && (width - 68) / buckets.length < 44;
  // Bars: the labels get what they need, at most 190 px and, on a phone, at most 42% of the width (longer ones are
  // cut with an ellipsis; the button below each chart and the tooltip keep the whole label).
  const labelRoom = Math.min(190, 12 + 7 * Math.max(...labels.map((l) => l.length)), Math.round(0.42 * width));
  const margin = columns
    ? { top: 20, right: 12, bottom: narrow ? 56 : 40, left: 56 }
    : { top: 8, right: width < 420 ? 44 : 70, bottom: 36, left: labelRoom };
  const maxChars = Math.max(6, Math.floor((labelRoom - 12) / 7));
  const clip = (label: string) => (label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label);
  const w = Math.max(width, margin.left + margin.right + (width < 420 ? 80 : 120));
  const h = columns ? 250 : margin.top + margin.bottom + 30 * buckets.length;
  const band = d3
    .scaleBand<string>()
    .domain(labels)
    .range(columns ? [margin.left, w - margin.right] : [margin.top, h - margin.bottom])
    .padding(0.15);
  const value = d3.scaleLinear().range(columns ? [h - margin.bottom, margin.top] : [margin.left, w - margin.right]);

  const figure = document.createElement("figure");
  figure.className = "rl-figure rl-linked";
  const h2 = document.createElement("h2");
  h2.textContent = title;
  const legend = document.createElement("h3");
  legend.innerHTML = `<span class="rl-swatch" style="background:${STAYED}"></span> Stayed <span class="rl-swatch" style="background:${CHURNED}"></span> ${outcome[0]!.toUpperCase()}${outcome.slice(1)} · ${columns ? "drag across or click bars" : "click bars"} to filter the other charts`;
  const svg = d3
    .select(document.createElementNS(SVG_NS, "svg") as SVGSVGElement)
    .attr("width", w)
    .attr("height", h)
    .attr("viewBox", `0 0 ${w} ${h}`)
    .attr("font-family", "system-ui, sans-serif")
    .attr("font-size", 11)
    .attr("fill", "currentColor");
  const valueAxis = svg.append("g");
  const bandAxis = svg
    .append("g")
    .attr("transform", columns ? `translate(0,${h - margin.bottom})` : `translate(${margin.left},0)`)
    .call(columns ? d3.axisBottom(band).tickSizeOuter(0) : d3.axisLeft(band).tickSizeOuter(0).tickFormat(clip));
  bandAxis.selectAll("text").attr("font-size", 11);
  if (narrow)
    bandAxis
      .selectAll("text")
      .attr("text-anchor", "end")
      .attr("transform", "rotate(-45)")
      .attr("dx", "-0.4em")
      .attr("dy", "0.3em");
  svg
    .append("text")
    .attr("x", columns ? w - margin.right : w - margin.right)
    .attr("y", h - 6)
    .attr("text-anchor", "end")
    .text(columns ? `${axisLabel} →` : "Customers →");
  if (columns) svg.append("text").attr("x", 4).attr("y", 12).text("↑ Customers");

  const groups = svg
    .append("g")
    .selectAll<SVGGElement, number>("g")
    .data(buckets.map((_, i) => i))
    .join("g")
    .attr("class", "rl-bucket")
    .style("cursor", "pointer");
  const tip = groups.append("title");
  const stayedRect = groups.append("rect").attr("fill", STAYED);
  const churnedRect = groups.append("rect").attr("fill", CHURNED);
  const countText = groups
    .append("text")
    .attr("font-size", 11)
    .attr("font-variant-numeric", "tabular-nums")
    .attr("text-anchor", columns ? "middle" : "start");

  const buttons = document.createElement("div");
  buttons.className = "rl-linked-buttons";
  buttons.setAttribute("role", "group");
  buttons.setAttribute("aria-label", `Filter by ${axisLabel.toLowerCase()}`);
  const bucketButtons = buckets.map((b, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.bucket = b.key;
    button.addEventListener("click", () => toggle(i));
    return button;
  });
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "rl-linked-clear";
  clear.textContent = "Clear";
  clear.setAttribute("aria-label", `Clear the ${axisLabel.toLowerCase()} filter`);
  clear.addEventListener("click", () => source.select(id, []));
  buttons.append(...bucketButtons, clear);

  const toggle = (i: number) => {
    const chosen = new Set(source.selected(id));
    if (chosen.has(i)) chosen.delete(i);
    else chosen.add(i);
    source.select(id, [...chosen]);
  };
  const bucketAt = (pixel: number) => {
    const step = band.step();
    const i = Math.floor((pixel - band.range()[0]! - band.paddingOuter() * step) / step);
    return i >= 0 && i < buckets.length ? i : -1;
  };

  if (columns) {
    // The brush covers the plot; a click without a drag toggles the bar under the pointer.
    const brush = d3
      .brushX()
      .extent([
        [margin.left, margin.top],
        [w - margin.right, h - margin.bottom],
      ])
      .on("end", (event: d3.D3BrushEvent<unknown>) => {
        if (!event.sourceEvent) return; // our own brush.move(null) below
        const extent = event.selection as [number, number] | null;
        if (extent) {
          const chosen = buckets
            .map((_, i) => i)
            .filter((i) => {
              const centre = band(labels[i]!)! + band.bandwidth() / 2;
              return centre >= extent[0] && centre <= extent[1];
            });
          source.select(id, chosen);
        } else {
          const [x] = d3.pointer(event.sourceEvent, svg.node());
          const i = bucketAt(x);
          if (i >= 0) toggle(i);
        }
        svg.select<SVGGElement>(".rl-brush").call(brush.move, null);
      });
    svg.append("g").attr("class", "rl-brush").call(brush).select(".overlay").attr("aria-hidden", "true");
  } else groups.on("click", (_event, i) => toggle(i));

  const update = () => {
    const { n, k } = source.counts(id);
    const chosen = new Set(source.selected(id));
    value.domain([0, Math.max(1, d3.max(n) ?? 1)]).nice();
    const axis = (columns ? d3.axisLeft(value).ticks(5) : d3.axisBottom(value).ticks(Math.max(2, w / 120))).tickFormat(
      (v) => fmt(+v),
    );
    valueAxis
      .attr("transform", columns ? `translate(${margin.left},0)` : `translate(0,${h - margin.bottom})`)
      .call(axis)
      .call((g) => g.select(".domain").remove());
    const base = value(0);
    const opacity = (i: number) => (chosen.size && !chosen.has(i) ? 0.3 : 1);
    const pos = (i: number) => band(labels[i]!)!;
    if (columns) {
      stayedRect
        .attr("x", pos)
        .attr("width", band.bandwidth())
        .attr("y", (i) => value(n[i]! - k[i]!))
        .attr("height", (i) => base - value(n[i]! - k[i]!));
      churnedRect
        .attr("x", pos)
        .attr("width", band.bandwidth())
        .attr("y", (i) => value(n[i]!))
        .attr("height", (i) => value(n[i]! - k[i]!) - value(n[i]!));
      countText
        .attr("x", (i) => pos(i) + band.bandwidth() / 2)
        .attr("y", (i) => value(n[i]!) - 4)
        .text((i) => (narrow ? short(n[i]!) : fmt(n[i]!)));
    } else {
      stayedRect
        .attr("y", pos)
        .attr("height", band.bandwidth())
        .attr("x", base)
        .attr("width", (i) => value(n[i]! - k[i]!) - base);
      churnedRect
        .attr("y", pos)
        .attr("height", band.bandwidth())
        .attr("x", (i) => value(n[i]! - k[i]!))
        .attr("width", (i) => value(n[i]!) - value(n[i]! - k[i]!));
      countText
        .attr("y", (i) => pos(i) + band.bandwidth() / 2 + 4)
        .attr("x", (i) => value(n[i]!) + 4)
        .text((i) => fmt(n[i]!));
    }
    groups.attr("opacity", opacity);
    tip.text(
      (i) => `${axisLabel}: ${labels[i]}\n${fmt(n[i]!)} customers, ${fmt(k[i]!)} ${outcome} (${rate(k[i]!, n[i]!)})`,
    );
    bucketButtons.forEach((button, i) => {
      button.textContent = `${labels[i]} · ${fmt(n[i]!)}`;
      button.setAttribute("aria-pressed", String(chosen.has(i)));
      button.title = `${fmt(n[i]!)} customers, ${rate(k[i]!, n[i]!)} ${outcome}`;
    });
    clear.disabled = chosen.size === 0;
    figure.dataset.selected = [...chosen].map((i) => buckets[i]!.key).join(",");
    figure.dataset.total = String(n.reduce((s, v) => s + v, 0));
  };

  figure.append(h2, legend, svg.node()!);
  const wrapper = withDownloads(figure, {
    name: options.name,
    data: () => {
      const { n, k } = source.counts(id);
      const chosen = new Set(source.selected(id));
      return buckets.map((b, i) => ({
        [options.bucketColumn]: b.label,
        customers: n[i]!,
        stayed: n[i]! - k[i]!,
        churned: k[i]!,
        churn_rate: n[i] ? +(k[i]! / n[i]!).toFixed(6) : "",
        selected: chosen.has(i) ? "yes" : "no",
      }));
    },
    onDownload: options.onDownload,
    meta: () => ({
      dataset: "telco",
      model: "none: counts of customers (the risk tier comes from the calibrated XGBoost model)",
      parameters: options.parameters?.() ?? {},
    }),
  });
  wrapper.insertBefore(buttons, figure.nextSibling);
  // Follow the dashboard until the chart leaves the page (a resize draws a new one).
  const holder = live(source, () => update(), { tag: "div" });
  holder.append(wrapper);
  return holder;
}
