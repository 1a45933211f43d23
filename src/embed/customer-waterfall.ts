/**
 * Exported data component: one Telco customer's SHAP waterfall, "Why this prediction?" (docs/embed.md).
 *
 *   import {CustomerWaterfall} from "https://<site>/embed/customer-waterfall.js";
 *   document.body.append(await CustomerWaterfall({customer: "7590-VHVEG"}));
 *
 * The Customer insights page renders its waterfall with customerWaterfallView. Explanations are joined to the
 * customer by ID (never by row position) and sum exactly to the customer's calibrated probability.
 */
import { checkEmbedOptions, EmbedOptionError } from "../lib/embed-views.js";
import { responsive, stringColumn, telcoCustomers, telcoShap } from "../lib/load.js";
import { customerWaterfallView } from "../components/customer-waterfall.js";

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
