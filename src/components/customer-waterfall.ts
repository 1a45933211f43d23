/**
 * The customer waterfall view: the chart with its downloads and the data shaping behind it; the pages and the
 * customer-waterfall embed (src/embed/customer-waterfall.ts) both draw it.
 */
import { percent as pct } from "../lib/format.js";
import { waterfallChart, waterfallRows } from "./waterfall.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import { TELCO_SPEC, featureLayout } from "../lib/features.js";
import { modelInputs, storedExplanation, waterfallSteps } from "../lib/whatif.js";

const GROUPS = featureLayout(TELCO_SPEC).groups;

/** The waterfall of one customer record and its SHAP row (both plain objects with customer_id), with downloads. */
export function customerWaterfallView(
  customer: Record<string, unknown>,
  shapRow: Record<string, unknown>,
  {
    width,
    top = 8,
    onDownload,
  }: { width: number; top?: number; onDownload?: (format: DownloadFormat, name: string) => void },
): HTMLElement {
  const id = String(customer.customer_id);
  if (shapRow.customer_id !== id)
    throw new Error(`SHAP row of ${String(shapRow.customer_id)} given for customer ${id}`);
  const probability = Number(customer.probability);
  const explanation = storedExplanation(probability, shapRow, GROUPS);
  const waterfall = waterfallSteps(explanation, { top, row: modelInputs(customer) });
  const chart = waterfallChart(waterfall, {
    width,
    title: `Why this prediction? ${id}`,
    totalLabel: `This customer (${pct(probability)})`,
  });
  const view = withDownloads(chart, {
    name: `waterfall-${id}`,
    label: `Why this prediction? ${id}`,
    data: () => waterfallRows(waterfall, { totalLabel: "This customer" }),
    onDownload,
  });
  view.dataset.summary = JSON.stringify({
    customer: id,
    base: waterfall.base,
    probability,
    steps: waterfall.steps.map((s) => [s.feature, s.value]),
  });
  return view;
}
