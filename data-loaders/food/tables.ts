/**
 * Everything the food stage publishes from the scored base, written batch by batch: the customers, SHAP and offers
 * tables (appended to staging files as they grow), the figures accumulated over every row (the Overview's summary) and
 * the Retention page's compact base (campaign-cells.ts). Two callers feed it: the pipeline's scoring pass (stage.ts)
 * and a base replicated from a pipeline's output to any size for the page benchmarks (replicate.ts). An artifact made
 * from the base's rows belongs here, so that both publish it.
 */
import { ARTIFACTS, type FoodCustomerRow, type ListRow, type MessageRow } from "../../src/lib/artifacts.js";
import { LIST_LIMIT, LIST_PART, type CampaignLayout, type CellGrid } from "../../src/lib/campaign-cells.js";
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
    private readonly lists: TableStream<ListRow>[],
  ) {
    this.campaign = new FoodCampaignArtifacts(o.customers, o.grid, o.seed, { exactUpTo: o.exactUpTo });
    this.listed = o.customers <= LIST_LIMIT;
  }

  /** whether the base is small enough for the targeting list's parts (else they stay empty) */
  private readonly listed: boolean;

  /** Opens the tables in `pub`. */
  static async open(pub: Publication, o: FoodTablesOptions): Promise<FoodTables> {
    return new FoodTables(
      pub,
      o,
      await pub.tableStream(ARTIFACTS.foodCustomers),
      await pub.tableStream(ARTIFACTS.foodShap, o.groups),
      await pub.tableStream(ARTIFACTS.foodOffers),
      [await pub.tableStream(ARTIFACTS.foodList1), await pub.tableStream(ARTIFACTS.foodList2)],
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
    if (this.listed) {
      for (let i = 0; i < rows.length; ) {
        const part = Math.floor((this.rows + i) / LIST_PART);
        const end = Math.min(rows.length, (part + 1) * LIST_PART - this.rows);
        await this.lists[part].write(
          rows.slice(i, end).map((r, j) => {
            const o = offers[i + j];
            return {
              customer_id: r.customer_id,
              oof_probability: r.oof_probability,
              ltv: r.ltv,
              driver_1: r.driver_1,
              driver_2: r.driver_2,
              driver_3: r.driver_3,
              text: o.text,
              source: o.source,
            };
          }),
        );
        i = end;
      }
    }
    this.rows += batch.length;
  }

  /** Finishes the tables and stages the accumulated artifacts; returns the Retention page's layout. */
  async close(): Promise<CampaignLayout> {
    await this.customers.close();
    await this.shap.close();
    await this.offers.close();
    for (const list of this.lists) await list.close();
    this.pub.json(ARTIFACTS.foodSummary, this.overview.result());
    return this.campaign.publish(this.pub);
  }
}
