import * as Plot from "npm:@observablehq/plot";
import { wilson } from "../lib/stats.js";

export interface RateRow {
  /** the category on the axis */
  group: string;
  /** members of the category */
  n: number;
  /** members with the outcome (e.g. churned) */
  k: number;
}

/** Horizontal bars of a rate per category with 95% Wilson intervals, a title, a unit and tooltips. */
export function rateBars(
  rows: Iterable<RateRow>,
  {
    width = 640,
    title = "",
    label = "Churn rate",
    noun = "customers",
    order = undefined as string[] | undefined,
    color = "var(--rl-accent, #0b6e4f)",
  } = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows, (r) => ({ ...r, n: Number(r.n), k: Number(r.k), ...wilson(Number(r.k), Number(r.n)) }));
  return Plot.plot({
    title,
    width,
    marginLeft: Math.min(180, 8 + 7 * Math.max(...data.map((d) => d.group.length), 4)),
    height: 40 + 28 * data.length,
    x: {
      label: `${label} →`,
      tickFormat: "%",
      domain: [0, Math.min(1, Math.max(...data.map((d) => d.hi)) * 1.15)],
      grid: true,
    },
    y: { label: null, domain: order ?? data.map((d) => d.group) },
    marks: [
      Plot.barX(data, { x: "rate", y: "group", fill: color, fillOpacity: 0.8 }),
      Plot.ruleY(data, { x1: "lo", x2: "hi", y: "group", stroke: "currentColor", strokeWidth: 1.5 }),
      Plot.text(data, {
        x: "hi",
        y: "group",
        text: (d) => `${(100 * d.rate).toFixed(1)}%`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.tip(
        data,
        Plot.pointerY({
          x: "rate",
          y: "group",
          channels: {
            [noun]: "n",
            churned: "k",
            "95% CI": (d) => `${(100 * d.lo).toFixed(1)}–${(100 * d.hi).toFixed(1)}%`,
          },
          format: { x: (v: number) => `${(100 * v).toFixed(1)}%` },
        }),
      ),
    ],
  });
}
