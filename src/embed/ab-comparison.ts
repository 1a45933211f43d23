/**
 * Exported data component: the Telco A/B test, churn by variant with 95% intervals and the estimated effect next
 * to the simulation's true effect (docs/embed.md).
 *
 *   import {AbComparison} from "https://<site>/embed/ab-comparison.js";
 *   document.body.append(await AbComparison());
 *
 * The A/B test page renders its comparison with abComparisonView.
 */
import { checkEmbedOptions } from "../lib/embed-views.js";
import { abTruth, responsive, telcoSummary } from "../lib/load.js";
import { abComparisonView, armPair } from "../components/ab-comparison.js";

/** The A/B comparison of the Telco test, from the arms the build counted (telco/summary.json). Options: width. */
export async function AbComparison(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("ab-comparison", options);
  const [summary, truth] = await Promise.all([telcoSummary(), abTruth()]);
  return responsive(o.width, (width) => abComparisonView(armPair(summary.abArms), truth.overall.ate, { width }));
}
