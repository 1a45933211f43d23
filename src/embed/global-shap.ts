/**
 * Exported data component: global feature importance as mean absolute SHAP value (docs/embed.md).
 *
 *   import {GlobalShap} from "https://<site>/embed/global-shap.js";
 *   document.body.append(await GlobalShap({dataset: "food", top: 8}));
 *
 * The Models page renders its importance chart with globalShapView.
 */
import { importanceChart } from "../components/model-charts.js";
import { withDownloads, type DownloadFormat } from "../components/chart-export.js";
import { checkEmbedOptions, type Dataset } from "../lib/embed-views.js";
import { labelOf } from "../lib/columns.js";
import { metrics, responsive } from "../lib/load.js";

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

/** Global SHAP importance of a model. Options: dataset ("telco" | "food"), top (features shown), width. */
export async function GlobalShap(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("global-shap", options);
  const dataset = o.dataset as Dataset;
  const m = await metrics(dataset);
  const importance = m.shap.importance as Importance[];
  return responsive(o.width, (width) => globalShapView(importance, { width, top: Number(o.top), dataset }));
}
