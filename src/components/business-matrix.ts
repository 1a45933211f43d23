/**
 * The business matrix view: the chart with its downloads and the data shaping behind it; the pages and the
 * business-matrix embed (src/embed/business-matrix.ts) both draw it.
 */
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import { businessMatrix, businessMatrixSvg, matrixCells } from "./profit-matrix.js";
import type { PolicyOutcome } from "../lib/profit.js";

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
