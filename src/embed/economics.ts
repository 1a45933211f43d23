/** The campaign embeds' decision, from validated embed options (src/lib/embed-views.ts). */
import { campaign, customersIn, type CampaignState } from "../lib/campaign.js";
import { describeCampaign, type CampaignDataset } from "../lib/campaign-data.js";
import type { EmbedOptions } from "../lib/embed-views.js";
import type { CostModel } from "../lib/cost-model.js";
import { campaignDataset } from "../lib/load.js";

/** The campaign an embed was asked for (defaults filled in by checkEmbedOptions), and its one-line description. */
export async function campaignOf(o: EmbedOptions) {
  const setup = await campaignDataset(o.dataset as CampaignDataset);
  const n = customersIn(setup.data);
  const customers = o.customers === undefined ? undefined : Math.min(n, Number(o.customers));
  const state: CampaignState = campaign(setup.data, {
    ...setup.defaults,
    valueMode: o.value === "flat" ? "flat" : "customer",
    flatValue: Number(o.ltv),
    costModel: o.costModel as CostModel,
    couponCost: Number(o.couponCost),
    contactCost: Number(o.contactCost),
    acceptance: Number(o.acceptance),
    policy: customers === undefined ? "optimum" : "manual",
    customers: customers ?? 0,
  });
  return { setup, state, description: describeCampaign(state, setup.currency, setup.valueName) };
}
