/**
 * Exported data component: the business confusion matrix in rupees at a targeting threshold (docs/embed.md).
 *
 *   import {BusinessMatrix} from "https://<site>/embed/business-matrix.js";
 *   document.body.append(await BusinessMatrix({threshold: 0.25}));
 *
 * The Retention page renders its matrix with businessMatrixView: one implementation for the page and the embeds.
 */
import { withDownloads, type DownloadFormat } from "../components/chart-export.js";
import { businessMatrix, businessMatrixSvg, matrixCells } from "../components/profit-matrix.js";
import { checkEmbedOptions } from "../lib/embed-views.js";
import { policyAt, type PolicyOutcome } from "../lib/profit.js";
import { foodScores, responsive } from "../lib/load.js";
import { profitScenario } from "../lib/profit-scenario.js";
import { economicsOf } from "./economics.js";

export interface BusinessMatrixViewOptions {
  acceptance: number;
  width?: number;
  title?: string;
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** The matrix of one policy with SVG/PNG/CSV downloads and its numbers as data attributes. */
export function businessMatrixView(
  o: PolicyOutcome,
  { acceptance, width = 640, title, onDownload }: BusinessMatrixViewOptions,
): HTMLElement {
  const table = businessMatrix(o, { acceptance, ...(title ? { title } : {}) });
  const cells = matrixCells(o, acceptance);
  const names = [
    ["saved", "lost_revenue"],
    ["wasted_budget", "correctly_ignored"],
  ];
  const counts = [
    [o.tp, o.fn],
    [o.fp, o.tn],
  ];
  const money = [
    [o.saved, -o.lost],
    [-o.wasted, 0],
  ];
  const view = withDownloads(table, {
    name: "business-matrix",
    label: title ?? "Business confusion matrix",
    svg: () =>
      businessMatrixSvg(o, { acceptance, width: Math.max(480, Math.min(width, 900)), ...(title ? { title } : {}) }),
    data: () =>
      names.flatMap((row, r) =>
        row.map((cell, c) => ({
          cell,
          would_churn: r === 0 ? "yes" : "no",
          targeted: c === 0 ? "yes" : "no",
          customers: counts[r][c],
          inr: +money[r][c].toFixed(2),
          description: cells[r][c].lines.join("; "),
          threshold: o.threshold,
        })),
      ),
    onDownload,
  });
  view.dataset.summary = JSON.stringify({
    threshold: o.threshold,
    tp: o.tp,
    fp: o.fp,
    fn: o.fn,
    tn: o.tn,
    saved: o.saved,
    wasted: o.wasted,
    lost: o.lost,
    profit: o.profit,
  });
  return view;
}

/**
 * The business confusion matrix for the given economics at `threshold` (default: the profit-optimal threshold),
 * on the held-out calibrated scores of the food-delivery base. Options as ProfitCurve.
 */
export async function BusinessMatrix(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("business-matrix", options);
  const economics = economicsOf(o);
  const { ranked } = await foodScores();
  const threshold = o.threshold === undefined ? profitScenario(ranked, economics).best.threshold : Number(o.threshold);
  const outcome = policyAt(ranked, threshold, economics);
  const title = `Business confusion matrix at threshold ${threshold.toFixed(3)}`;
  return responsive(o.width, (width) =>
    businessMatrixView(outcome, { acceptance: economics.acceptance, width, title }),
  );
}
