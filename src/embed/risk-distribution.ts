/**
 * Exported data component: how the customers' calibrated churn probabilities are distributed, by risk tier
 * (docs/embed.md).
 *
 *   import {RiskDistribution} from "https://<site>/embed/risk-distribution.js";
 *   document.body.append(await RiskDistribution({dataset: "telco", customer: "7590-VHVEG"}));
 */
import { checkEmbedOptions, EmbedOptionError, type Dataset } from "../lib/embed-views.js";
import { foodSummary, numberColumn, responsive, stringColumn, telcoCustomers, telcoSummary } from "../lib/load.js";
import { riskDistributionView } from "../components/risk-distribution.js";

/**
 * The risk distribution of a data set. Options: dataset ("telco" | "food"), customer (a Telco ID to mark), width.
 */
export async function RiskDistribution(options: Record<string, unknown> = {}): Promise<Node> {
  const o = checkEmbedOptions("risk-distribution", options);
  const dataset = o.dataset as Dataset;
  if (o.customer !== undefined && dataset !== "telco") {
    throw new EmbedOptionError(
      `risk-distribution: option "customer" needs dataset "telco" (customer IDs are Telco IDs)`,
    );
  }
  // the distribution from the build's summary (a few KB); the Telco customers only to find one customer to mark
  const data = { ...(await (dataset === "telco" ? telcoSummary() : foodSummary())).risk };
  if (o.customer !== undefined) {
    const table = await telcoCustomers();
    const probabilities = numberColumn(table, "probability");
    const index = stringColumn(table, "customer_id").indexOf(String(o.customer));
    if (index < 0) throw new EmbedOptionError(`risk-distribution: no Telco customer with ID "${o.customer}"`);
    data.marker = { id: String(o.customer), probability: probabilities[index] };
  }
  return responsive(o.width, (width) => riskDistributionView(data, { width }));
}
