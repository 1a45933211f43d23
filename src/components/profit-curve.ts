import * as Plot from "npm:@observablehq/plot";
import { formatRupees, type CurveSample } from "../lib/profit.js";

export interface ProfitCurveOptions {
  width?: number;
  height?: number;
  title?: string;
  /** the empirical optimum: the most profitable threshold on these scores */
  optimum: { threshold: number; profit: number };
  /** (coupon + contact) / (acceptance · LTV) */
  theoretical: number;
  /** profit of targeting nobody and everybody (reference lines) */
  nobody: number;
  everybody: number;
  /** the threshold currently chosen on the page */
  threshold?: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Expected campaign profit (₹) at every threshold, with the empirical and theoretical optima and the naive policies. */
export function profitCurvePlot(
  samples: CurveSample[],
  {
    width = 640,
    height = 320,
    title = "Expected campaign profit by targeting threshold (₹)",
    optimum,
    theoretical,
    nobody,
    everybody,
    threshold,
  }: ProfitCurveOptions,
): SVGSVGElement | HTMLElement {
  const narrow = width < 520;
  const refs = [
    { label: "target nobody", profit: nobody },
    { label: "target everybody", profit: everybody },
  ];
  const rules = [
    { x: optimum.threshold, dash: null },
    { x: theoretical, dash: "4,3" },
  ];
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 70,
    marginRight: narrow ? 10 : 110,
    x: {
      label: narrow
        ? "Threshold t (target p ≥ t) →"
        : "Targeting threshold: target customers with churn probability ≥ t →",
      domain: [0, 1],
      tickFormat: "%",
    },
    y: { label: "↑ Expected profit (₹)", grid: true, tickFormat: (v: number) => formatRupees(v) },
    marks: [
      Plot.ruleY(refs, { y: "profit", stroke: "var(--theme-foreground-faint, #999)", strokeDasharray: "2,3" }),
      narrow
        ? null
        : Plot.text(refs, { x: 1, y: "profit", text: "label", textAnchor: "start", dx: 6, fill: "currentColor" }),
      Plot.ruleX(rules, { x: "x", stroke: "var(--rl-accent, #0b6e4f)", strokeDasharray: "dash" }),
      Plot.text([theoretical], {
        x: (d: number) => d,
        frameAnchor: "bottom",
        text: () => `theory ${theoretical.toFixed(3)} (dashed)`,
        textAnchor: theoretical > 0.6 ? "end" : "start",
        dx: theoretical > 0.6 ? -4 : 4,
        dy: -14,
      }),
      threshold === undefined ? null : Plot.ruleX([threshold], { stroke: "#d95f02", strokeWidth: 1.5 }),
      Plot.line(samples, { x: "threshold", y: "profit", stroke: "var(--rl-accent, #0b6e4f)", strokeWidth: 2 }),
      Plot.dot([optimum], { x: "threshold", y: "profit", r: 5, fill: "var(--rl-accent, #0b6e4f)" }),
      Plot.text([optimum], {
        x: "threshold",
        y: "profit",
        text: (d: { threshold: number; profit: number }) =>
          `best ${formatRupees(d.profit)} at ${d.threshold.toFixed(3)}`,
        dy: -12,
        textAnchor: optimum.threshold > 0.7 ? "end" : "start",
        fontWeight: "bold",
      }),
      Plot.tip(
        samples,
        Plot.pointerX({
          x: "threshold",
          y: "profit",
          channels: {
            "customers targeted": "targeted",
            "share targeted": (d: CurveSample) => pct(d.fraction),
          },
          format: { x: (v: number) => v.toFixed(3), y: (v: number) => formatRupees(v) },
        }),
      ),
    ],
  });
}
