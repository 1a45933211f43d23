/**
 * The global shap view: the chart with its downloads and the data shaping behind it; the pages and the
 * global-shap embed (src/embed/global-shap.ts) both draw it.
 */
import { importanceChart } from "./model-charts.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { Dataset } from "../lib/embed-views.js";
import { labelOf } from "../lib/columns.js";

export interface Importance {
  feature: string;
  /** mean |SHAP| in probability units */
  meanAbs: number;
  /** mean signed SHAP in probability units */
  meanSigned?: number;
}

const NAMES: Record<Dataset, string> = { telco: "Telco", food: "food delivery" };

/** The importance bars of the `top` features, with downloads and the values as data attributes. */
export function globalShapView(
  importance: readonly Importance[],
  {
    width,
    top = importance.length,
    dataset,
    onDownload,
  }: { width: number; top?: number; dataset: Dataset; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLElement {
  const shown = importance.slice(0, top);
  const label = (feature: string) => labelOf(dataset, feature);
  const chart = importanceChart(shown, {
    width,
    title: `What drives churn overall, ${NAMES[dataset]} model (mean |SHAP|)`,
    label,
  });
  const view = withDownloads(chart, {
    name: `global-shap-${dataset}`,
    data: () =>
      importance.map((d, i) => ({
        rank: i + 1,
        feature: d.feature,
        label: label(d.feature),
        mean_abs_shap_pp: +(100 * d.meanAbs).toFixed(4),
        mean_signed_shap_pp: d.meanSigned === undefined ? null : +(100 * d.meanSigned).toFixed(4),
      })),
    onDownload,
  });
  view.dataset.summary = JSON.stringify({ dataset, features: shown.map((d) => [d.feature, d.meanAbs]) });
  return view;
}
