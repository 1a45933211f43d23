import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface IntervalRow {
  /** the row label (a persona, a variant, "All customers") */
  group: string;
  /** the estimate */
  value: number;
  /** its interval */
  lo: number;
  hi: number;
  /** the simulation's true value, if known */
  truth?: number;
  /** customers behind the estimate (for the tooltip) */
  n?: number;
  /** the test's p-value, if any (CSV only) */
  p?: number;
}

export interface IntervalDotsOptions {
  width?: number;
  title?: string;
  label?: string;
  /** values are fractions shown in percentage points (default), else plain numbers in `unit` */
  points?: boolean;
  unit?: string;
  digits?: number;
  /** include 0 on the axis and draw its rule */
  zero?: boolean;
  truthLabel?: string;
  color?: string;
}

const TRUTH_COLOR = "var(--rl-risk-high, #b2182b)";

/**
 * Estimates as dots with interval whiskers, one row per group, optionally with the true value as a red tick.
 * Values are fractions shown in percentage points when `points` is true, else in the unit given.
 */
export function intervalDots(
  rows: Iterable<IntervalRow>,
  {
    width = 640,
    title = "",
    label = "Effect on churn (percentage points)",
    points = true,
    unit = "pp",
    digits = 1,
    zero = true,
    truthLabel = "true effect",
    color = "var(--rl-accent, #0b6e4f)",
  }: IntervalDotsOptions = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows);
  const k = points ? 100 : 1;
  const fmt = (v: number | undefined) =>
    v === undefined || !Number.isFinite(v) ? "—" : `${(k * v).toFixed(digits)} ${unit}`;
  const xs = data.flatMap((d) => [d.lo, d.hi, d.truth ?? d.value]).map((v) => k * v);
  const hasTruth = data.some((d) => d.truth !== undefined);
  const marginLeft = Math.min(width < 500 ? 120 : 180, 8 + 7 * Math.max(...data.map((d) => d.group.length), 4));
  return Plot.plot({
    title,
    // Never narrower than its margins (a settling layout can report a few dozen pixels).
    width: Math.max(width, marginLeft + 120),
    height: 50 + 32 * data.length,
    marginLeft,
    marginRight: 20,
    x: {
      label: `${label} →`,
      grid: true,
      domain: zero ? [Math.min(0, ...xs), Math.max(0, ...xs)] : undefined,
      nice: true,
    },
    y: { label: null, domain: data.map((d) => d.group) },
    color: hasTruth
      ? { legend: true, domain: ["estimate (95% CI)", truthLabel], range: [color, TRUTH_COLOR] }
      : undefined,
    marks: [
      zero ? Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.5 }) : null,
      Plot.ruleY(data, { y: "group", x1: (d) => k * d.lo, x2: (d) => k * d.hi, stroke: color, strokeWidth: 2 }),
      Plot.dot(data, { y: "group", x: (d) => k * d.value, fill: color, r: 4.5 }),
      hasTruth
        ? Plot.tickX(
            data.filter((d) => d.truth !== undefined),
            { y: "group", x: (d) => k * d.truth!, stroke: TRUTH_COLOR, strokeWidth: 2.5 },
          )
        : null,
      Plot.tip(
        data,
        Plot.pointerY({
          y: "group",
          x: (d) => k * d.value,
          title: (d) =>
            [
              d.group,
              `estimate ${fmt(d.value)}`,
              `95% CI ${fmt(d.lo)} to ${fmt(d.hi)}`,
              d.truth !== undefined ? `${truthLabel} ${fmt(d.truth)}` : null,
              d.n !== undefined ? `${d.n.toLocaleString("en-US")} customers` : null,
            ]
              .filter(Boolean)
              .join("\n"),
        }),
      ),
    ],
  });
}

/**
 * The data behind intervalDots, for its CSV: one record per row in the chart's order. With `points` (fractions
 * shown in percentage points) the numbers are in pp and the columns say so (estimate_pp, …). Columns for the true
 * value (named after truthLabel, e.g. true_effect_pp), the customers and the p-value appear when any row has them.
 */
export function intervalRows(
  rows: Iterable<IntervalRow>,
  {
    points = true,
    groupColumn = "group",
    truthLabel = "true effect",
  }: { points?: boolean; groupColumn?: string; truthLabel?: string } = {},
): Record<string, string | number | null>[] {
  const data = Array.from(rows);
  const truthColumn =
    truthLabel
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "") || "true_value";
  const k = points ? 100 : 1;
  const unit = points ? "_pp" : "";
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : +(k * v).toFixed(6));
  const hasTruth = data.some((d) => d.truth !== undefined);
  const hasN = data.some((d) => d.n !== undefined);
  const hasP = data.some((d) => d.p !== undefined);
  return data.map((d) => ({
    [groupColumn]: d.group,
    [`estimate${unit}`]: num(d.value),
    [`ci95_low${unit}`]: num(d.lo),
    [`ci95_high${unit}`]: num(d.hi),
    ...(hasTruth ? { [`${truthColumn}${unit}`]: num(d.truth) } : {}),
    ...(hasN ? { customers: d.n ?? null } : {}),
    ...(hasP ? { p_value: d.p ?? null } : {}),
  }));
}

/** intervalDots with SVG/PNG/CSV downloads (CSV: intervalRows). */
export function intervalDotsView(
  rows: Iterable<IntervalRow>,
  {
    name,
    groupColumn,
    onDownload,
    ...options
  }: IntervalDotsOptions & {
    name: string;
    groupColumn?: string;
    onDownload?: (format: DownloadFormat, name: string) => void;
  },
): HTMLDivElement {
  const data = Array.from(rows);
  return withDownloads(intervalDots(data, options), {
    name,
    data: () => intervalRows(data, { points: options.points, groupColumn, truthLabel: options.truthLabel }),
    onDownload,
  });
}
