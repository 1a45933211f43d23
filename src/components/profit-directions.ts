import * as Plot from "npm:@observablehq/plot";

export interface DirectionRow {
  feature: string;
  /** the generator's true coefficient (log-odds per standard unit) */
  truth: number;
  /** the logistic baseline's estimate, log-odds per standard deviation */
  estimatePerSd: number;
  /** whether the estimate has the true sign */
  agrees: boolean;
}

/** Logistic-regression coefficients next to the generator's true ones, one row per feature, agreement marked. */
export function directionsPlot(
  rows: DirectionRow[],
  { width = 640, title = "Logistic directions against the true generator coefficients (log-odds)" } = {},
): SVGSVGElement | HTMLElement {
  const order = [...rows].sort((a, b) => Math.abs(b.truth) - Math.abs(a.truth)).map((d) => d.feature);
  const long = rows.flatMap((d) => [
    { feature: d.feature, kind: "truth (generator)", value: d.truth, agrees: d.agrees },
    { feature: d.feature, kind: "logistic estimate", value: d.estimatePerSd, agrees: d.agrees },
  ]);
  const recovered = (d: { agrees: boolean }) => (d.agrees ? "✓ direction recovered" : "✗ direction wrong");
  return Plot.plot({
    title,
    width,
    height: 40 + 30 * rows.length,
    marginLeft: Math.min(230, 8 + 7 * Math.max(...rows.map((d) => d.feature.length), 4)),
    marginRight: width < 520 ? 10 : 150,
    x: { label: "← lowers churn · coefficient (log-odds) · raises churn →", grid: true },
    y: { label: null, domain: order },
    color: { legend: true, domain: ["truth (generator)", "logistic estimate"], range: ["#999999", "#0b6e4f"] },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { y: "feature", x1: "truth", x2: "estimatePerSd", stroke: "#bbb" }),
      Plot.dot(long, { x: "value", y: "feature", fill: "kind", r: 5, symbol: "kind" }),
      width < 520
        ? null
        : Plot.text(rows, {
            y: "feature",
            frameAnchor: "right",
            text: recovered,
            textAnchor: "start",
            dx: 8,
            fill: (d: DirectionRow) => (d.agrees ? "#0b6e4f" : "#b2182b"),
          }),
      Plot.tip(
        long,
        Plot.pointer({
          x: "value",
          y: "feature",
          channels: { series: "kind", direction: recovered },
          format: { x: (v: number) => v.toFixed(3), fill: false, symbol: false },
        }),
      ),
    ],
  });
}
