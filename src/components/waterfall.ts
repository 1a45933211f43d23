import { percent as pct } from "../lib/format.js";
import * as Plot from "npm:@observablehq/plot";
import type { Waterfall } from "../lib/whatif.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

interface Bar {
  key: string;
  label: string;
  detail: string;
  x1: number;
  x2: number;
  value: number;
  kind: "total" | "up" | "down";
}

const pp = (v: number) => `${v >= 0 ? "+" : "−"}${(100 * Math.abs(v)).toFixed(1)} pp`;

export interface WaterfallOptions {
  width?: number;
  title?: string;
  subtitle?: string;
  /** the first bar (the expected score) */
  baseLabel?: string;
  /** the last bar (the customer's score) */
  totalLabel?: string;
}

/**
 * A horizontal SHAP waterfall in probability terms: the average customer's score, one bar per driver moving it
 * (red towards churn, blue away), and the customer's score. The wrapper carries the exact numbers as data
 * attributes (data-base, data-probability, data-values) so tests can check that base + Σ values = probability.
 */
export function waterfallChart(
  waterfall: Waterfall,
  {
    width = 640,
    title = "Why this prediction?",
    subtitle = "Each bar: how the customer's value of a feature moves the churn probability (SHAP), largest first, in percentage points",
    baseLabel = "Average customer",
    totalLabel = "This customer",
  }: WaterfallOptions = {},
): HTMLElement {
  const { base, probability, steps } = waterfall;
  const bars: Bar[] = [
    { key: "base", label: baseLabel, detail: "expected score", x1: 0, x2: base, value: base, kind: "total" },
    ...steps.map(
      (s): Bar => ({
        key: s.feature,
        label: s.label,
        detail: s.detail,
        x1: s.start,
        x2: s.end,
        value: s.value,
        kind: s.value >= 0 ? "up" : "down",
      }),
    ),
    {
      key: "total",
      label: totalLabel,
      detail: "churn probability",
      x1: 0,
      x2: probability,
      value: probability,
      kind: "total",
    },
  ];
  // Labels are never cut: they wrap onto as many lines as they need (lineWidth in ems), and rows grow to fit.
  const narrow = width < 520;
  const lineWidth = narrow ? 11 : 22;
  const longest = Math.max(...bars.map((b) => b.label.length));
  const lines = Math.max(1, ...bars.map((b) => Math.ceil(b.label.length / (1.7 * lineWidth))));
  const maxX = Math.max(...bars.map((b) => Math.max(b.x1, b.x2)));
  const chart = Plot.plot({
    title,
    subtitle,
    width,
    height: 40 + (narrow ? 16 + 11 * lines : 30) * bars.length,
    marginLeft: Math.min(narrow ? 122 : 230, 16 + 6.2 * longest),
    marginRight: 56,
    x: { label: "Churn probability →", tickFormat: "%", domain: [0, Math.min(1, maxX * 1.08 + 0.02)], grid: true },
    y: { label: null, domain: bars.map((b) => b.label), axis: null },
    color: { domain: ["total", "up", "down"], range: ["#6b7280", "var(--rl-risk-high, #b2182b)", "#2166ac"] },
    marks: [
      Plot.axisY({ lineWidth, tickSize: 0, textOverflow: null }),
      Plot.barX(bars, { x1: "x1", x2: "x2", y: "label", fill: "kind", insetTop: 4, insetBottom: 4 }),
      Plot.ruleX([0]),
      Plot.text(bars, {
        x: (b: Bar) => Math.max(b.x1, b.x2),
        y: "label",
        text: (b: Bar) => (b.kind === "total" ? pct(b.value) : pp(b.value)),
        textAnchor: "start",
        dx: 4,
        fill: "currentColor",
      }),
      Plot.tip(
        bars,
        Plot.pointerY({
          x: "x2",
          y: "label",
          title: (b: Bar) =>
            b.kind === "total"
              ? `${b.label}: ${pct(b.value)} ${b.detail}`
              : `${b.label}${b.detail ? ` = ${b.detail}` : ""}\n${pp(b.value)} ${b.value >= 0 ? "towards" : "away from"} churn\n${pct(b.x1)} → ${pct(b.x2)}`,
        }),
      ),
    ],
  });
  // Plot labels its mark groups ("bar", "rule") with aria-label on plain <g> elements, which ARIA prohibits; the
  // figure's own label below says what the chart shows.
  for (const g of chart.querySelectorAll("g[aria-label]")) g.removeAttribute("aria-label");
  const wrapper = document.createElement("div");
  wrapper.className = "rl-waterfall";
  wrapper.dataset.base = String(base);
  wrapper.dataset.probability = String(probability);
  wrapper.dataset.values = JSON.stringify(steps.map((s) => s.value));
  wrapper.dataset.features = JSON.stringify(steps.map((s) => s.feature));
  wrapper.setAttribute("role", "figure");
  wrapper.setAttribute("aria-label", `${title}: from ${pct(base)} on average to ${pct(probability)} for this customer`);
  wrapper.append(chart);
  return wrapper;
}

/**
 * The data behind a waterfall, for its CSV: the base, one record per bar (feature, the customer's value, its
 * contribution in pp, and where the bar starts and ends as probabilities), and the total. The same columns as the
 * embedded customer waterfall's CSV.
 */
export function waterfallRows(
  waterfall: Waterfall,
  { baseLabel = "Average customer", totalLabel = "This customer" }: { baseLabel?: string; totalLabel?: string } = {},
): Record<string, string | number>[] {
  const { base, probability, steps } = waterfall;
  const total = (step: string, label: string, to: number) => ({
    step,
    feature: "",
    label,
    value: "",
    contribution_pp: "",
    from: "",
    to: +to.toFixed(6),
  });
  return [
    total("base", baseLabel, base),
    ...steps.map((s) => ({
      step: "feature",
      feature: s.feature,
      label: s.label,
      value: s.detail,
      contribution_pp: +(100 * s.value).toFixed(4),
      from: +s.start.toFixed(6),
      to: +s.end.toFixed(6),
    })),
    total("total", totalLabel, probability),
  ];
}

/** waterfallChart with SVG/PNG/CSV downloads (CSV: waterfallRows). */
export function waterfallView(
  waterfall: Waterfall,
  {
    name,
    onDownload,
    ...options
  }: WaterfallOptions & { name: string; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLDivElement {
  return withDownloads(waterfallChart(waterfall, options), {
    name,
    data: () => waterfallRows(waterfall, options),
    onDownload,
  });
}
