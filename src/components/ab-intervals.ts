import * as Plot from "npm:@observablehq/plot";

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
}

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
  } = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows);
  const k = points ? 100 : 1;
  const fmt = (v: number | undefined) =>
    v === undefined || !Number.isFinite(v) ? "—" : `${(k * v).toFixed(digits)} ${unit}`;
  const xs = data.flatMap((d) => [d.lo, d.hi, d.truth ?? d.value]).map((v) => k * v);
  const hasTruth = data.some((d) => d.truth !== undefined);
  return Plot.plot({
    title,
    width,
    height: 50 + 32 * data.length,
    marginLeft: Math.min(width < 500 ? 120 : 180, 8 + 7 * Math.max(...data.map((d) => d.group.length), 4)),
    marginRight: 20,
    x: {
      label: `${label} →`,
      grid: true,
      domain: zero ? [Math.min(0, ...xs), Math.max(0, ...xs)] : undefined,
      nice: true,
    },
    y: { label: null, domain: data.map((d) => d.group) },
    color: hasTruth
      ? { legend: true, domain: ["estimate (95% CI)", truthLabel], range: [color, "#b2182b"] }
      : undefined,
    marks: [
      zero ? Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.5 }) : null,
      Plot.ruleY(data, { y: "group", x1: (d) => k * d.lo, x2: (d) => k * d.hi, stroke: color, strokeWidth: 2 }),
      Plot.dot(data, { y: "group", x: (d) => k * d.value, fill: color, r: 4.5 }),
      hasTruth
        ? Plot.tickX(
            data.filter((d) => d.truth !== undefined),
            { y: "group", x: (d) => k * d.truth!, stroke: "#b2182b", strokeWidth: 2.5 },
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
