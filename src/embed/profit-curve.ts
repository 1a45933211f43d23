/**
 * Exported data component: a retention campaign's profit curve (docs/embed.md).
 *
 *   import {ProfitCurve} from "https://<site>/embed/profit-curve.js";
 *   document.body.append(await ProfitCurve({dataset: "telco", acceptance: 0.4}));
 *
 * The Retention pages draw the same chart (src/components/campaign-curve.ts) with the same numbers.
 */
import { campaignCurveView } from "../components/campaign-curve.js";
import { checkEmbedOptions } from "../lib/embed-views.js";
import { responsive } from "../lib/load.js";
import { campaignOf } from "./economics.js";

/**
 * The profit curve for the given economics (defaults: food delivery, each customer's own value, coupon model, offer
 * 50, contact 2, acceptance 30%, the profit optimum), on held-out calibrated scores. Options: dataset, costModel,
 * value, ltv (the flat value), couponCost, contactCost, acceptance, customers (the policy), width. Rejects with an
 * EmbedOptionError on a bad option.
 */
export async function ProfitCurve(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("profit-curve", options);
  const { setup, state, description } = await campaignOf(o);
  return responsive(o.width, (width) => {
    const view = campaignCurveView({ width, currency: setup.currency, caption: () => description });
    view.update(state);
    return view;
  });
}
