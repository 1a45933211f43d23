/**
 * The risk distribution view: the chart with its downloads and the data shaping behind it; the pages and the
 * risk-distribution embed (src/embed/risk-distribution.ts) both draw it.
 */
import { percent as pct, count as int } from "../lib/format.js";
import * as Plot from "npm:@observablehq/plot";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { Dataset } from "../lib/embed-views.js";
import { DEFAULT_CUTOFFS, TIERS, riskTier, type RiskTier } from "../lib/tiers.js";

export interface RiskBin {
  lo: number;
  hi: number;
  tier: RiskTier;
  customers: number;
}

export interface RiskDistributionData {
  dataset: Dataset;
  n: number;
  mean: number;
  counts: Record<RiskTier, number>;
  bins: RiskBin[];
  /** the customer to mark, if any */
  marker?: { id: string; probability: number };
}

const BIN = 0.05; // 20 bins; the tier cut-offs (0.2, 0.5) fall on bin edges
const TIER_COLORS: Record<RiskTier, string> = { low: "#67a9cf", medium: "#ef8a62", high: "#b2182b" };
const NAMES: Record<Dataset, string> = { telco: "Telco customers", food: "Food-delivery customers" };

/** Histogram bins and tier counts of calibrated probabilities. */
export function riskDistributionData(dataset: Dataset, probabilities: ArrayLike<number>): RiskDistributionData {
  const bins: RiskBin[] = Array.from({ length: Math.round(1 / BIN) }, (_, i) => {
    const lo = +(i * BIN).toFixed(2);
    return { lo, hi: +(lo + BIN).toFixed(2), tier: riskTier(lo), customers: 0 };
  });
  const counts: Record<RiskTier, number> = { low: 0, medium: 0, high: 0 };
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    counts[riskTier(p)]++;
    sum += p;
    bins[Math.min(bins.length - 1, Math.floor(p / BIN))].customers++;
  }
  return {
    dataset,
    n: probabilities.length,
    mean: probabilities.length ? sum / probabilities.length : 0,
    counts,
    bins,
  };
}

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
