/**
 * Exported data component: the business confusion matrix in rupees at a targeting threshold (docs/embed.md).
 *
 *   import {BusinessMatrix} from "https://<site>/embed/business-matrix.js";
 *   document.body.append(await BusinessMatrix({threshold: 0.25}));
 *
 * The Retention page renders its matrix with businessMatrixView: one implementation for the page and the embeds.
 */
import { checkEmbedOptions } from "../lib/embed-views.js";
import { policyAt } from "../lib/profit.js";
import { foodScores, responsive } from "../lib/load.js";
import { profitScenario } from "../lib/profit-scenario.js";
import { economicsOf } from "./economics.js";
import { businessMatrixView } from "../components/business-matrix.js";

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
