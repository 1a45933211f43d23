/**
 * Exported data component: the profit curve of the food-delivery campaign with its optimum (docs/embed.md).
 *
 *   import {ProfitCurve} from "https://<site>/embed/profit-curve.js";
 *   document.body.append(await ProfitCurve({ltv: 800, acceptance: 0.4}));
 *
 * The Retention page renders its curve with profitCurveView, so the page and every embed draw the same chart.
 */
import { profitCurveView } from "../components/profit-curve.js";
import { checkEmbedOptions } from "../lib/embed-views.js";
import { formatRupees } from "../lib/format.js";
import { policyAt } from "../lib/profit.js";
import { foodScores, responsive } from "../lib/load.js";
import { profitScenario } from "../lib/profit-scenario.js";
import { economicsOf } from "./economics.js";

/**
 * The profit curve for the given economics (defaults: LTV ₹500, coupon ₹50, contact ₹2, acceptance 30%), on the
 * held-out calibrated scores of the food-delivery base. Options: ltv, couponCost, contactCost, acceptance,
 * threshold (an extra rule), width (default: responsive). Rejects with an EmbedOptionError on a bad option.
 */
export async function ProfitCurve(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("profit-curve", options);
  const economics = economicsOf(o);
  const { ranked } = await foodScores();
  const scenario = profitScenario(ranked, economics);
  const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
  return responsive(o.width, (width) => {
    const view = profitCurveView({ width });
    view.update(scenario, threshold);
    const chosen = threshold === undefined ? null : policyAt(ranked, threshold, economics);
    const note = document.createElement("p");
    note.className = "rl-view-note";
    note.textContent =
      `Best threshold ${scenario.best.threshold.toFixed(3)}: target ${scenario.best.targeted.toLocaleString("en-IN")} ` +
      `of ${ranked.n.toLocaleString("en-IN")} customers for ${formatRupees(scenario.best.profit)} expected profit. ` +
      `Theory: ${scenario.theory.toFixed(3)}.` +
      (chosen ? ` At ${threshold!.toFixed(3)}: ${formatRupees(chosen.profit)}.` : "");
    view.append(note);
    return view;
  });
}
