/**
 * The share of each contract's subscribers still there at each tenure (the Kaplan–Meier curves behind Telco's
 * remaining value, src/lib/remaining-value.ts), with SVG/PNG/CSV downloads.
 */
import * as Plot from "npm:@observablehq/plot";
import { percent } from "../lib/format.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";

export interface SurvivalPoint {
  contract: string;
  /** months with the company */
  tenure: number;
  /** share still subscribed */
  share: number;
}

export function survivalView(
  points: readonly SurvivalPoint[],
  { width, onDownload }: { width: number; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLDivElement {
  const chart = Plot.plot({
    width,
    height: 280,
    title: "Share of a contract's subscribers still there, by tenure (Kaplan–Meier)",
    x: { label: "Tenure (months) →" },
    y: { label: "↑ Still subscribed", tickFormat: "%", domain: [0, 1], grid: true },
    color: { legend: true, label: "Contract" },
    marks: [
      Plot.line(points, {
        x: "tenure",
        y: "share",
        stroke: "contract",
        tip: { format: { y: (v: number) => percent(v), stroke: true } },
      }),
      Plot.ruleY([0]),
    ],
  });
  return withDownloads(chart, {
    name: "telco-survival-by-contract",
    data: () =>
      points.map((p) => ({
        contract: p.contract,
        tenure_months: p.tenure,
        share_still_subscribed: +p.share.toFixed(6),
      })),
    onDownload,
  });
}
