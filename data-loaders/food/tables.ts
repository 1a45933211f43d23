/**
 * Everything the food stage publishes from the scored base, written batch by batch: the customers, SHAP and offers
 * tables (appended to staging files as they grow), the figures accumulated over every row (the Overview's summary) and
 * the Retention page's compact base (campaign-cells.ts). Two callers feed it: the pipeline's scoring pass (stage.ts)
 * and a base replicated from a pipeline's output to any size for the page benchmarks (replicate.ts). An artifact made
 * from the base's rows belongs here, so that both publish it.
 */
import { ARTIFACTS, type FoodCustomerRow, type MessageRow } from "../../src/lib/artifacts.js";
import type { CampaignLayout, CellGrid } from "../../src/lib/campaign-cells.js";
import { FoodSummaryAccumulator } from "../../src/lib/summaries.js";
import type { Message } from "../llm/index.js";
import type { Publication, TableStream } from "../publish.js";
import { messageRows, shapRows, withScores, type RowScores } from "../scores.js";
import { cellGrid, EXACT_UP_TO, FoodCampaignArtifacts } from "./campaign-cells.js";
import type { FoodRecord } from "./generate.js";

export interface FoodTablesOptions {
  /** the SHAP columns (the model's source features) */
  groups: readonly string[];
  /** customers in the whole base */
  customers: number;
  /** the Retention page's cell grid (campaignGrid), or null when every customer is a cell of their own */
  grid: CellGrid | null;
  seed: number;
  /** customers up to which every customer is a cell of their own (default EXACT_UP_TO) */
  exactUpTo?: number;
}

/**
 * The Retention page's cell grid for a base of `customers`, drawn from held-out scores and values of a sample of it,
 * or null for a base small enough to keep every customer as a cell of their own.
 */
export function campaignGrid(
  customers: number,
  sample: readonly { probability: number; value: number }[],
  exactUpTo = EXACT_UP_TO,
): CellGrid | null {
  return customers > exactUpTo ? cellGrid(sample) : null;
}

export class FoodTables {
  private readonly overview = new FoodSummaryAccumulator();
  private readonly campaign: FoodCampaignArtifacts;
  private rows = 0;

  private constructor(
    private readonly pub: Publication,
    o: FoodTablesOptions,
    private readonly customers: TableStream<FoodCustomerRow>,
    private readonly shap: TableStream<{ customer_id: string }>,
    private readonly offers: TableStream<MessageRow>,
  ) {
    this.campaign = new FoodCampaignArtifacts(o.customers, o.grid, o.seed, { exactUpTo: o.exactUpTo });
  }

  /** Opens the tables in `pub`. */
  static async open(pub: Publication, o: FoodTablesOptions): Promise<FoodTables> {
    return new FoodTables(
      pub,
      o,
      await pub.tableStream(ARTIFACTS.foodCustomers),
      await pub.tableStream(ARTIFACTS.foodShap, o.groups),
      await pub.tableStream(ARTIFACTS.foodOffers),
    );
  }

  /** Appends one batch: its rows in base order, their scores and each one's message (by ID). */
  async add(batch: readonly FoodRecord[], s: RowScores, messages: Record<string, Message>): Promise<void> {
    this.overview.add(batch, s.probability);
    const rows: FoodCustomerRow[] = withScores(s, batch);
    const offers = messageRows(s.ids, messages);
    this.campaign.add(rows, this.rows, offers);
    await this.customers.write(rows);
    await this.shap.write(shapRows(s));
    await this.offers.write(offers);
    this.rows += batch.length;
  }

  /** Finishes the tables and stages the accumulated artifacts; returns the Retention page's layout. */
  async close(): Promise<CampaignLayout> {
    await this.customers.close();
    await this.shap.close();
    await this.offers.close();
    this.pub.json(ARTIFACTS.foodSummary, this.overview.result());
    return this.campaign.publish(this.pub);
  }
}
