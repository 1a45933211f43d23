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
import { abTruth, numberColumn, responsive, stringColumn, telcoCustomers } from "../lib/load.js";
import { abComparisonView, armsOf } from "../components/ab-comparison.js";

/** The A/B comparison of the Telco test. Options: width. */
export async function AbComparison(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("ab-comparison", options);
  const [table, truth] = await Promise.all([telcoCustomers(), abTruth()]);
  const arms = armsOf(stringColumn(table, "ab_variant"), numberColumn(table, "churn_observed"));
  return responsive(o.width, (width) => abComparisonView(arms, truth.overall.ate, { width }));
}
