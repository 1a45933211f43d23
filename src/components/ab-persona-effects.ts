import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

/** One group's effect (a fraction, shown in pp) with its own and its simultaneous 95% interval. */
export interface SimultaneousRow {
  group: string;
  value: number;
  /** the group's own 95% interval */
  lo: number;
  hi: number;
  /** the interval that holds for all groups together (Bonferroni) */
  simultaneousLo: number;
  simultaneousHi: number;
  /** the simulation's true effect */
  truth: number;
  n?: number;
  p?: number;
  /** Holm-adjusted p-value */
  pHolm: number;
}

const ESTIMATE_COLOR = "var(--rl-accent, #0b6e4f)";
const TRUTH_COLOR = "var(--rl-risk-high, #b2182b)";
/** A fraction as signed percentage points, e.g. −3.7 (the unit left to the caller: the table's caption says it). */
const signed = (v: number, digits = 1) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(100 * v).toFixed(digits)}`;
const pp = (v: number) => `${signed(v)} pp`;

/**
 * Effects per group as dots with two whiskers: a thick one for the group's own 95% interval and a thin, longer one
 * for the simultaneous interval (all groups at once), so a reader comparing groups sees the interval that allows for
 * the comparison; the true effect as a red tick.
 */
export function simultaneousDots(
  rows: readonly SimultaneousRow[],
  { width = 640, title = "" }: { width?: number; title?: string } = {},
): SVGSVGElement | HTMLElement {
  const data = [...rows];
  const xs = data.flatMap((d) => [d.simultaneousLo, d.simultaneousHi, d.truth]).map((v) => 100 * v);
  // Room for the longest persona name ("Price-sensitive newcomer") even at phone width.
  const marginLeft = Math.min(width < 500 ? 150 : 180, 8 + 6.5 * Math.max(...data.map((d) => d.group.length), 4));
  return Plot.plot({
    title,
    // Never narrower than its margins (a settling layout can report a few dozen pixels).
    width: Math.max(width, marginLeft + 120),
    height: 60 + 34 * data.length,
    marginLeft,
    marginRight: 20,
    x: {
      label: "Effect on churn (percentage points) →",
      grid: true,
      domain: [Math.min(0, ...xs), Math.max(0, ...xs)],
      nice: true,
    },
    y: { label: null, domain: data.map((d) => d.group) },
    color: {
      legend: true,
      domain: ["estimate (95% CI, thick)", "simultaneous 95% CI (thin)", "true effect"],
      range: [ESTIMATE_COLOR, "#7f7f7f", TRUTH_COLOR],
    },
    marks: [
      Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.5 }),
      Plot.ruleY(data, {
        y: "group",
        x1: (d) => 100 * d.simultaneousLo,
        x2: (d) => 100 * d.simultaneousHi,
        stroke: "#7f7f7f",
        strokeWidth: 1,
      }),
      Plot.ruleY(data, {
        y: "group",
        x1: (d) => 100 * d.lo,
        x2: (d) => 100 * d.hi,
        stroke: ESTIMATE_COLOR,
        strokeWidth: 3,
      }),
      Plot.dot(data, { y: "group", x: (d) => 100 * d.value, fill: ESTIMATE_COLOR, r: 4.5 }),
      Plot.tickX(data, { y: "group", x: (d) => 100 * d.truth, stroke: TRUTH_COLOR, strokeWidth: 2.5 }),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "group",
          x: (d) => 100 * d.value,
          title: (d) =>
            [
              d.group,
              `estimate ${pp(d.value)}`,
              `95% CI ${pp(d.lo)} to ${pp(d.hi)}`,
              `simultaneous 95% CI ${pp(d.simultaneousLo)} to ${pp(d.simultaneousHi)}`,
              `Holm p ${d.pHolm.toFixed(3)}`,
              `true effect ${pp(d.truth)}`,
              d.n !== undefined ? `${d.n.toLocaleString("en-US")} customers` : null,
            ]
              .filter(Boolean)
              .join("\n"),
        }),
      ),
    ],
  });
}

/** The data behind simultaneousDots for its CSV, in pp, one record per group in the chart's order. */
export function simultaneousRows(
  rows: readonly SimultaneousRow[],
  groupColumn = "group",
): Record<string, string | number | null>[] {
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : +(100 * v).toFixed(6));
  return rows.map((d) => ({
    [groupColumn]: d.group,
    estimate_pp: num(d.value),
    ci95_low_pp: num(d.lo),
    ci95_high_pp: num(d.hi),
    simultaneous_low_pp: num(d.simultaneousLo),
    simultaneous_high_pp: num(d.simultaneousHi),
    true_effect_pp: num(d.truth),
    customers: d.n ?? null,
    p_value: d.p ?? null,
    p_holm: d.pHolm,
  }));
}

/** The same rows as a table with row and column headers (the numbers behind the chart, for screen readers too). */
export function personaEffectsTable(rows: readonly SimultaneousRow[]): HTMLTableElement {
  const table = document.createElement("table");
  table.dataset.testid = "persona-effects";
  // Framework caps tables at 640 px, which wraps every interval over two lines; the card scrolls on a phone instead.
  table.style.maxWidth = "none";
  const caption = table.createCaption();
  caption.textContent =
    "Adjusted effect of the offer on churn by persona (percentage points), ordered by the true effect";
  const head = table.createTHead().insertRow();
  for (const label of ["Persona", "Customers", "Effect", "95% CI", "Simultaneous 95% CI", "Holm p", "True effect"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const d of rows) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = d.group;
    tr.append(th);
    const cells = [
      d.n?.toLocaleString("en-US") ?? "—",
      signed(d.value, 2),
      `${signed(d.lo, 2)} to ${signed(d.hi, 2)}`,
      `${signed(d.simultaneousLo, 2)} to ${signed(d.simultaneousHi, 2)}`,
      d.pHolm.toFixed(3),
      signed(d.truth, 2),
    ];
    for (const text of cells) {
      const td = tr.insertCell();
      td.textContent = text;
      td.style.whiteSpace = "nowrap";
    }
  }
  return table;
}

/** simultaneousDots with SVG/PNG/CSV downloads (CSV: simultaneousRows). */
export function simultaneousDotsView(
  rows: readonly SimultaneousRow[],
  {
    name,
    groupColumn,
    onDownload,
    ...options
  }: {
    width?: number;
    title?: string;
    name: string;
    groupColumn?: string;
    onDownload?: (format: DownloadFormat, name: string) => void;
  },
): HTMLDivElement {
  return withDownloads(simultaneousDots(rows, options), {
    name,
    data: () => simultaneousRows(rows, groupColumn),
    onDownload,
  });
}
