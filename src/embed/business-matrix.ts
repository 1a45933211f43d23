/**
 * Exported data component: the business matrix of a retention campaign (docs/embed.md).
 *
 *   import {BusinessMatrix} from "https://<site>/embed/business-matrix.js";
 *   document.body.append(await BusinessMatrix({customers: 5000}));
 *
 * The Retention pages draw the same matrix (src/components/campaign-matrix.ts) with the same numbers.
 */
import { campaignMatrixView } from "../components/campaign-matrix.js";
import { checkEmbedOptions } from "../lib/embed-views.js";
import { campaignOf } from "./economics.js";

/** The matrix of the policy for the given economics (options as ProfitCurve); churners as the model expects them. */
export async function BusinessMatrix(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("business-matrix", options);
  const { setup, state, description } = await campaignOf(o);
  const view = campaignMatrixView({ currency: setup.currency, caption: () => description });
  view.update(state.matrix);
  return view;
}
