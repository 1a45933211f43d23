import * as Plot from "npm:@observablehq/plot";

export interface OutcomeCount {
  /** the bucket on the x axis (a number of days, calls, …, or a label) */
  bucket: string;
  /** "Stayed" or "Churned" */
  outcome: string;
  /** customers in the bucket with the outcome */
  n: number;
}

/** Stacked bars of customers per bucket split by outcome, with the bucket's churn rate in the tooltip. */
export function outcomeHistogram(
  rows: Iterable<OutcomeCount>,
  { width = 640, title = "", xLabel = "", order = undefined as string[] | undefined, height = 260 } = {},
): SVGSVGElement | HTMLElement {
  const data = Array.from(rows, (r) => ({ ...r, n: Number(r.n) }));
  const totals = new Map<string, { all: number; churned: number }>();
  for (const d of data) {
    const t = totals.get(d.bucket) ?? { all: 0, churned: 0 };
    t.all += d.n;
    if (d.outcome === "Churned") t.churned += d.n;
    totals.set(d.bucket, t);
  }
  const rate = (b: string) => {
    const t = totals.get(b)!;
    return t.all ? `${((100 * t.churned) / t.all).toFixed(1)}%` : "—";
  };
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: {
      label: xLabel,
      domain: order ?? [...totals.keys()],
      tickRotate: width < 500 && (order?.length ?? 0) > 8 ? -45 : 0,
    },
    y: { label: "↑ Customers", grid: true },
    color: { legend: true, domain: ["Stayed", "Churned"], range: ["#67a9cf", "#b2182b"] },
    marks: [
      Plot.barY(data, { x: "bucket", y: "n", fill: "outcome", order: ["Stayed", "Churned"] }),
      Plot.ruleY([0]),
      Plot.tip(
        data,
        Plot.pointerX(
          Plot.stackY({
            x: "bucket",
            y: "n",
            order: ["Stayed", "Churned"],
            fill: "outcome",
            title: (d) =>
              `${xLabel}: ${d.bucket}\n${d.outcome}: ${d.n.toLocaleString("en-US")} customers\nchurn rate in bucket: ${rate(d.bucket)}`,
          }),
        ),
      ),
    ],
  });
}
