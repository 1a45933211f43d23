/**
 * Exported data component: one Telco customer's SHAP waterfall, "Why this prediction?" (docs/embed.md).
 *
 *   import {CustomerWaterfall} from "https://<site>/embed/customer-waterfall.js";
 *   document.body.append(await CustomerWaterfall({customer: "7590-VHVEG"}));
 *
 * The Customer insights page renders its waterfall with customerWaterfallView. Explanations are joined to the
 * customer by ID (never by row position) and sum exactly to the customer's calibrated probability.
 */
import { waterfallChart, waterfallRows } from "../components/waterfall.js";
import { withDownloads, type DownloadFormat } from "../components/chart-export.js";
import { checkEmbedOptions, EmbedOptionError } from "../lib/embed-views.js";
import { TELCO_SPEC, featureLayout } from "../lib/features.js";
import { modelInputs, storedExplanation, waterfallSteps } from "../lib/whatif.js";
import { responsive, stringColumn, telcoCustomers, telcoShap } from "../lib/load.js";

const GROUPS = featureLayout(TELCO_SPEC).groups;
const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

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

/** Looks a customer and their SHAP row up by ID; an EmbedOptionError names an unknown ID. */
export async function customerRecord(
  id: string,
): Promise<{ customer: Record<string, unknown>; shapRow: Record<string, unknown> }> {
  const [customers, shap] = await Promise.all([telcoCustomers(), telcoShap()]);
  const i = stringColumn(customers, "customer_id").indexOf(id);
  if (i < 0)
    throw new EmbedOptionError(
      `customer-waterfall: no Telco customer with ID "${id}" (7,043 customers; IDs look like 7590-VHVEG)`,
    );
  const j = stringColumn(shap, "customer_id").indexOf(id);
  if (j < 0) throw new Error(`customer-waterfall: no SHAP explanation stored for ${id}`);
  return { customer: customers.get(i)!.toJSON(), shapRow: shap.get(j)!.toJSON() };
}

/** One customer's waterfall. Options: customer (Telco ID, default 7590-VHVEG), top (features shown), width. */
export async function CustomerWaterfall(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("customer-waterfall", options);
  const { customer, shapRow } = await customerRecord(String(o.customer));
  return responsive(o.width, (width) => customerWaterfallView(customer, shapRow, { width, top: Number(o.top) }));
}
