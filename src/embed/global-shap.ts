/**
 * Exported data component: global feature importance as mean absolute SHAP value (docs/embed.md).
 *
 *   import {GlobalShap} from "https://<site>/embed/global-shap.js";
 *   document.body.append(await GlobalShap({dataset: "food", top: 8}));
 *
 * The Models page renders its importance chart with globalShapView.
 */
import { checkEmbedOptions, type Dataset } from "../lib/embed-views.js";
import { metrics, responsive } from "../lib/load.js";
import { globalShapView, type Importance } from "../components/global-shap.js";

/** Global SHAP importance of a model. Options: dataset ("telco" | "food"), top (features shown), width. */
export async function GlobalShap(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("global-shap", options);
  const dataset = o.dataset as Dataset;
  const m = await metrics(dataset);
  const importance = m.shap.importance as Importance[];
  return responsive(o.width, (width) => globalShapView(importance, { width, top: Number(o.top), dataset }));
}
