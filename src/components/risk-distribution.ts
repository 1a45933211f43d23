/**
 * The risk distribution view: the chart with its downloads and the data shaping behind it; the pages and the
 * risk-distribution embed (src/embed/risk-distribution.ts) both draw it.
 */
import { percent as pct, count as int } from "../lib/format.js";
import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { Dataset } from "../lib/embed-views.js";
import { DEFAULT_CUTOFFS, TIERS, type RiskTier } from "../lib/tiers.js";
import { riskDistributionData, type RiskBin, type RiskDistributionData } from "../lib/summaries.js";

const TIER_COLORS: Record<RiskTier, string> = { low: "#67a9cf", medium: "#ef8a62", high: "#b2182b" };
const NAMES: Record<Dataset, string> = { telco: "Telco customers", food: "Food-delivery customers" };

export { riskDistributionData, type RiskBin, type RiskDistributionData };

/** The histogram with tier colours, the cut-offs, and an optional customer marker; with downloads. */
export function riskDistributionView(
  d: RiskDistributionData,
  { width, onDownload }: { width: number; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLElement {
  const label = (tier: RiskTier) => `${TIERS.find((t) => t.tier === tier)!.label} (${int(d.counts[tier])})`;
  const marker = d.marker;
  const chart = Plot.plot({
    title: `Churn risk distribution: ${NAMES[d.dataset]} (n = ${int(d.n)})`,
    subtitle: `Calibrated churn probability from the XGBoost model; mean ${pct(d.mean)}. Tiers: low under ${pct(DEFAULT_CUTOFFS.medium)}, high from ${pct(DEFAULT_CUTOFFS.high)}.`,
    width,
    height: 260,
    marginLeft: 56,
    x: { label: "Churn probability →", domain: [0, 1], tickFormat: "%" },
    y: { label: "↑ Customers", grid: true, nice: true },
    color: {
      legend: true,
      domain: TIERS.map((t) => label(t.tier)),
      range: TIERS.map((t) => TIER_COLORS[t.tier]),
    },
    marks: [
      Plot.rectY(d.bins, {
        x1: "lo",
        x2: "hi",
        y: "customers",
        fill: (b: RiskBin) => label(b.tier),
        insetLeft: 0.5,
        insetRight: 0.5,
      }),
      Plot.ruleX([DEFAULT_CUTOFFS.medium, DEFAULT_CUTOFFS.high], {
        stroke: "currentColor",
        strokeOpacity: 0.5,
        strokeDasharray: "3,3",
      }),
      Plot.ruleY([0]),
      marker ? Plot.ruleX([marker.probability], { stroke: "#1b1e23", strokeWidth: 2 }) : null,
      marker
        ? Plot.text([marker], {
            x: "probability",
            frameAnchor: "top",
            text: (m: { id: string; probability: number }) => `${m.id}: ${pct(m.probability)}`,
            textAnchor: marker.probability > 0.7 ? "end" : "start",
            dx: marker.probability > 0.7 ? -4 : 4,
            fontWeight: "bold",
          })
        : null,
      Plot.tip(
        d.bins,
        Plot.pointerX({
          x: (b: RiskBin) => (b.lo + b.hi) / 2,
          y: "customers",
          title: (b: RiskBin) =>
            `${pct(b.lo)}–${pct(b.hi)} churn probability\n${int(b.customers)} customers (${pct(b.customers / Math.max(1, d.n))})\n${TIERS.find((t) => t.tier === b.tier)!.label}`,
        }),
      ),
    ],
  });
  const view = withDownloads(chart, {
    name: `risk-distribution-${d.dataset}`,
    data: () =>
      d.bins.map((b) => ({
        probability_from: b.lo,
        probability_to: b.hi,
        tier: b.tier,
        customers: b.customers,
        share: +(b.customers / Math.max(1, d.n)).toFixed(6),
      })),
    onDownload,
  });
  view.dataset.summary = JSON.stringify({
    dataset: d.dataset,
    n: d.n,
    mean: d.mean,
    ...d.counts,
    ...(marker ? { marker } : {}),
  });
  return view;
}
