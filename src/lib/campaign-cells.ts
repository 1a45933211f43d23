/**
 * A customer base compacted for the Retention page (docs/scale.md, "The Retention page at any size"): what the
 * campaign arithmetic needs, in a size that does not grow with the base. Browser-safe; the pipeline builds it
 * (data-loaders/food/campaign-cells.ts), the page and the embeds read it.
 *
 * - Up to `exactUpTo` customers, every customer is its own cell: every figure equals the row-level arithmetic.
 * - Above that, the customers who can be among the first `depth` of the expected-profit ranking under ANY economics
 *   (those dominated, in both p·V and p, by fewer than `depth` others: for λ ≥ 0 the key p·(V + λ) of a dominating
 *   customer is never lower) stay individual cells, so the targeting table and the offer cards are exact; everyone
 *   else falls into a grid cell: a quantile bin of p, then a quantile bin of V within it (edges from the
 *   model-selection sample). A cell carries its customers' count and sums (Σ p, Σ p·V, Σ y, Σ y·V), so a policy that
 *   targets whole cells is priced exactly; policies move in steps of whole cells, ordered by their mean key.
 */
import type { CampaignData } from "./campaign.js";

/** Rows of the targeting table: the build keeps individually every customer who can be among them. */
export const CAMPAIGN_TABLE_ROWS = 1000;

/**
 * Largest base whose full targeting list a browser assembles (from food/list-1.arrow and list-2.arrow, each at most
 * LIST_PART customers: Framework serves no file above 2 GiB, and a browser would not hold more anyway).
 */
export const LIST_LIMIT = 2_000_000;
export const LIST_PART = 1_000_000;

/** The grid: p edges (ascending, the inner ones) and, per p bin, its V edges (ascending, the inner ones). */
export interface CellGrid {
  probabilityEdges: number[];
  valueEdges: number[][];
  /** V bins per p bin at most (the stride of a cell's index) */
  valueBins: number;
}

/** What the build says about its cells (food/campaign.json). */
export interface CampaignLayout {
  /** customers in the base */
  customers: number;
  /** cells in food/campaign-cells.arrow, and how many of them are single customers */
  cells: number;
  individual: number;
  /** customers who can be among the first `depth` of any ranking (food/campaign-rows.arrow and -rows-more.arrow) */
  listed: number;
  /** of them, the first `depth` at the page's default economics (food/campaign-rows.arrow, read on opening) */
  listedFirst: number;
  /** every customer is its own cell up to this many customers */
  exactUpTo: number;
  /** customers who can be among the first `depth` of any ranking are kept individually */
  depth: number;
  /** null when every customer is its own cell */
  grid: CellGrid | null;
  /** the share of the base drawn (uniformly, seeded) into food/campaign-sample.arrow for the model comparison */
  sampleFraction: number;
  sampleRows: number;
}

/** The number of edges ≤ x (edges ascending): the bin of x. No npm import: this module runs in Node and browsers. */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The grid cell of a customer (p bin × V bin within it): an index in [0, p bins × V bins). */
export function gridCell(grid: CellGrid, probability: number, value: number): number {
  const pBin = binOf(grid.probabilityEdges, probability);
  return pBin * grid.valueBins + binOf(grid.valueEdges[pBin], value);
}

/** The cells table's columns, as food/campaign-cells.arrow stores them (one row per cell). */
export interface CellColumns {
  count: ArrayLike<number>;
  probability: ArrayLike<number>;
  value: ArrayLike<number>;
  churned: ArrayLike<number>;
  churned_value: ArrayLike<number>;
  /** the customer's row in the base (single-customer cells), else −1 */
  row: ArrayLike<number>;
  /** the grid cell (gridCell), else −1 */
  cell: ArrayLike<number>;
}

/** The campaign's columns over cells: each cell a weighted customer (src/lib/targeting.ts CustomerColumns). */
export function cellCampaignData(c: CellColumns): CampaignData {
  // cellColumns already made Float64Arrays: used as they are, never copied twice
  const f = (a: ArrayLike<number>) => (a instanceof Float64Array ? a : Float64Array.from(a));
  return {
    probability: f(c.probability),
    value: f(c.value),
    churned: f(c.churned),
    count: f(c.count),
    churnedValue: f(c.churned_value),
  };
}

/**
 * Maps each customer of the base to its cell's index in the cells table (for a list of the targeted customers made
 * from the row-level base): single-customer cells by row, the others by grid cell.
 */
export function rowCells(layout: CampaignLayout, cells: CellColumns) {
  const byRow = new Map<number, number>();
  const byGrid = new Map<number, number>();
  for (let i = 0; i < cells.row.length; i++) {
    if (cells.row[i] >= 0) byRow.set(cells.row[i], i);
    else byGrid.set(cells.cell[i], i);
  }
  return (row: number, probability: number, value: number): number => {
    const own = byRow.get(row);
    if (own !== undefined) return own;
    if (!layout.grid) throw new Error(`customer row ${row} has no cell (every customer should be its own)`);
    const index = byGrid.get(gridCell(layout.grid, probability, value));
    if (index === undefined) throw new Error(`customer row ${row} falls in an empty grid cell: the base changed`);
    return index;
  };
}
