/**
 * Builds the Retention page's compact base (src/lib/campaign-cells.ts says what it is and why) from the scored
 * customers, batch by batch, in memory bounded by the cells and the kept customers, not by the base:
 *  - the customers who can lead a ranking (fewer than `depth` dominators in both p·V and p) are kept as a skyline,
 *    merged with each batch: S(S(seen) ∪ batch) = S(seen ∪ batch), so the result does not depend on the batches;
 *  - every customer is added to its grid cell in base order, and the kept ones are taken out again at the end (sums in
 *    base order, so any batching gives the same bytes).
 * A base of at most `exactUpTo` customers keeps every customer as its own cell.
 */
import { quantileSorted } from "d3";
import {
  ARTIFACTS,
  type CampaignRowRow,
  type CampaignSampleRow,
  type FoodCustomerRow,
  type MessageRow,
} from "../../src/lib/artifacts.js";
import {
  binOf,
  CAMPAIGN_TABLE_ROWS,
  gridCell,
  type CampaignLayout,
  type CellGrid,
} from "../../src/lib/campaign-cells.js";
import { CAMPAIGN_SETUP } from "../../src/lib/campaign-data.js";
import { orderParameter, rankingKey } from "../../src/lib/cost-model.js";
import type { Publication } from "../publish.js";
import { sampleKey } from "./sample.js";

/** One scored customer as the campaign sees it; `extra` is what the targeting table shows (kept for the skyline). */
export interface CampaignCustomer<X> {
  row: number;
  probability: number;
  value: number;
  churned: number;
  extra: X;
}

export interface CellRow {
  count: number;
  probability: number;
  value: number;
  churned: number;
  churned_value: number;
  row: number;
  cell: number;
}

/** Customers up to which every customer is its own cell (the default base of 20,000 is exact). */
export const EXACT_UP_TO = 25_000;
/** Bins of p, and of V within each p bin: at most 10,000 grid cells, about 1,000 customers each at ten million. */
export const GRID_BINS = { probability: 100, value: 100 };

/** Quantile edges of p, and of V within each p bin, from a sample of customers (deterministic: sorted first). */
export function cellGrid(
  sample: readonly { probability: number; value: number }[],
  bins: { probability: number; value: number } = GRID_BINS,
): CellGrid {
  if (sample.length === 0) throw new Error("cellGrid: no customers to draw the grid from");
  const inner = (sorted: number[], bins: number) => {
    const edges: number[] = [];
    for (let j = 1; j < bins; j++) {
      const q = quantileSorted(sorted, j / bins) ?? 0;
      if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
    }
    return edges;
  };
  const probabilityEdges = inner(
    sample.map((s) => s.probability).sort((a, b) => a - b),
    bins.probability,
  );
  const byBin: number[][] = Array.from({ length: probabilityEdges.length + 1 }, () => []);
  for (const s of sample) byBin[binOf(probabilityEdges, s.probability)].push(s.value);
  const valueEdges = byBin.map((v) =>
    v.length
      ? inner(
          v.sort((a, b) => a - b),
          bins.value,
        )
      : [],
  );
  return { probabilityEdges, valueEdges, valueBins: bins.value };
}

/**
 * The customers dominated by fewer than `depth` others, in base order. j dominates i when p_j ≥ p_i and
 * p_j·V_j ≥ p_i·V_i (one of them strictly, or j comes first in the base): then j's key p·(V + λ) is at least i's for
 * every λ ≥ 0 and the ranking (ties by row) puts j first. O(n log n): a Fenwick tree over the ranks of p·V.
 */
export function skyline<X>(customers: readonly CampaignCustomer<X>[], depth: number): CampaignCustomer<X>[] {
  const n = customers.length;
  const pv = customers.map((c) => c.probability * c.value);
  const byP = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      customers[b].probability - customers[a].probability || pv[b] - pv[a] || customers[a].row - customers[b].row,
  );
  // rank of p·V, largest first (equal values share a rank)
  const distinct = [...new Set(pv)].sort((a, b) => b - a);
  const rank = new Map(distinct.map((v, r) => [v, r + 1]));
  const tree = new Int32Array(distinct.length + 1);
  const kept: CampaignCustomer<X>[] = [];
  for (const i of byP) {
    const r = rank.get(pv[i]) as number;
    let above = 0; // customers before i in this order with p·V ≥ its own: its dominators
    for (let k = r; k > 0; k -= k & -k) above += tree[k];
    if (above < depth) kept.push(customers[i]);
    for (let k = r; k < tree.length; k += k & -k) tree[k]++;
  }
  return kept.sort((a, b) => a.row - b.row);
}

interface Sums {
  count: Float64Array;
  p: Float64Array;
  pv: Float64Array;
  y: Float64Array;
  yv: Float64Array;
}
const sums = (m: number): Sums => ({
  count: new Float64Array(m),
  p: new Float64Array(m),
  pv: new Float64Array(m),
  y: new Float64Array(m),
  yv: new Float64Array(m),
});

export class CampaignCellsBuilder<X> {
  private kept: CampaignCustomer<X>[] = [];
  private readonly all: CampaignCustomer<null>[] | null;
  private readonly grid: CellGrid | null;
  private readonly cells: Sums | null;
  private seen = 0;

  /**
   * `customers` is the base's size (known from the sampling pass); `grid` the edges (cellGrid on the model-selection
   * sample), needed only above `exactUpTo` customers.
   */
  constructor(private readonly o: { customers: number; grid: CellGrid | null; depth: number; exactUpTo?: number }) {
    const exact = o.customers <= (o.exactUpTo ?? EXACT_UP_TO);
    if (!exact && !o.grid) throw new Error(`campaign cells: a base of ${o.customers} customers needs a grid`);
    this.grid = exact ? null : o.grid;
    this.all = exact ? [] : null;
    this.cells = this.grid ? sums((this.grid.probabilityEdges.length + 1) * this.grid.valueBins) : null;
  }

  add(batch: readonly CampaignCustomer<X>[]): void {
    for (const c of batch) {
      if (c.row !== this.seen) throw new Error(`campaign cells: customer row ${c.row} came where ${this.seen} was due`);
      if (
        !(c.probability >= 0 && c.probability <= 1 && Number.isFinite(c.value) && (c.churned === 0 || c.churned === 1))
      )
        throw new Error(`campaign cells: customer row ${c.row} has p ${c.probability}, V ${c.value}, y ${c.churned}`);
      this.seen++;
      if (this.all) this.all.push({ ...c, extra: null });
      if (this.grid && this.cells) this.addTo(this.cells, gridCell(this.grid, c.probability, c.value), c, 1);
    }
    this.kept = skyline([...this.kept, ...batch], this.o.depth);
  }

  private addTo(s: Sums, cell: number, c: CampaignCustomer<unknown>, sign: 1 | -1) {
    s.count[cell] += sign;
    s.p[cell] += sign * c.probability;
    s.pv[cell] += sign * c.probability * c.value;
    s.y[cell] += sign * c.churned;
    s.yv[cell] += sign * c.churned * c.value;
  }

  /** The cells (single customers by row, then grid cells by index), the kept customers and the layout's figures. */
  finish(): {
    cells: CellRow[];
    individuals: CampaignCustomer<X>[];
    layout: Omit<CampaignLayout, "sampleFraction" | "sampleRows" | "listedFirst">;
  } {
    if (this.seen !== this.o.customers)
      throw new Error(`campaign cells: ${this.seen} customers added, ${this.o.customers} announced`);
    const single = (c: CampaignCustomer<unknown>): CellRow => ({
      count: 1,
      probability: c.probability,
      value: c.value,
      churned: c.churned,
      churned_value: c.churned * c.value,
      row: c.row,
      cell: -1,
    });
    const common = { customers: this.seen, exactUpTo: this.o.exactUpTo ?? EXACT_UP_TO, depth: this.o.depth };
    if (this.all) {
      const cells = this.all.map(single);
      const layout = { ...common, cells: cells.length, individual: cells.length, listed: this.kept.length, grid: null };
      return { cells, individuals: this.kept, layout };
    }
    const grid = this.grid as CellGrid;
    const s = this.cells as Sums;
    for (const c of this.kept) this.addTo(s, gridCell(grid, c.probability, c.value), c, -1);
    const cells = this.kept.map(single);
    for (let i = 0; i < s.count.length; i++) {
      const n = Math.round(s.count[i]);
      if (n === 0) continue;
      const p = Math.min(1, Math.max(0, s.p[i] / n));
      cells.push({
        count: n,
        probability: p,
        // Σ p·V / Σ p, so that count × p × value = Σ p·V; a cell with Σ p = 0 cannot earn and keeps V = 0
        value: s.p[i] > 0 ? s.pv[i] / s.p[i] : 0,
        churned: Math.min(1, Math.max(0, s.y[i] / n)),
        churned_value: s.yv[i] / n,
        row: -1,
        cell: i,
      });
    }
    return {
      cells,
      individuals: this.kept,
      layout: { ...common, cells: cells.length, individual: this.kept.length, listed: this.kept.length, grid },
    };
  }
}

/** Customers drawn into the model comparison's sample (the whole base up to this size). */
export const COMPARE_SAMPLE = 20_000;

type CampaignRowExtra = Omit<CampaignRowRow, "row">;

/**
 * The food stage's campaign artifacts, fed batch by batch with the published rows: the cells, the customers they keep
 * individually (with drivers and offer), the comparison sample and the layout.
 */
export class FoodCampaignArtifacts {
  private readonly builder: CampaignCellsBuilder<CampaignRowExtra>;
  private readonly sample: CampaignSampleRow[] = [];
  private readonly fraction: number;
  private readonly depth: number;

  constructor(
    customers: number,
    grid: CellGrid | null,
    private readonly seed: number,
    { depth = CAMPAIGN_TABLE_ROWS, exactUpTo = EXACT_UP_TO }: { depth?: number; exactUpTo?: number } = {},
  ) {
    this.builder = new CampaignCellsBuilder({ customers, grid, depth, exactUpTo });
    this.depth = depth;
    this.fraction = Math.min(1, COMPARE_SAMPLE / customers);
  }

  /** One batch: the published customer rows from base position `first`, and their offers (same order). */
  add(rows: readonly FoodCustomerRow[], first: number, offers: readonly MessageRow[]): void {
    this.builder.add(
      rows.map((r, i) => {
        const o = offers[i];
        if (o.id !== r.customer_id) throw new Error(`campaign cells: offer ${o.id} is not customer ${r.customer_id}'s`);
        return {
          row: first + i,
          probability: r.oof_probability,
          value: r.ltv,
          churned: r.churned,
          extra: {
            customer_id: r.customer_id,
            driver_1: r.driver_1,
            driver_2: r.driver_2,
            driver_3: r.driver_3,
            text: o.text,
            source: o.source,
            provider: o.provider,
            model: o.model,
            prompt_version: o.prompt_version,
            template: o.template,
          },
        };
      }),
    );
    rows.forEach((r, i) => {
      if (this.fraction === 1 || sampleKey(first + i, this.seed, "campaign comparison") < this.fraction)
        this.sample.push({
          row: first + i,
          oof_probability: r.oof_probability,
          oof_uncalibrated: r.oof_uncalibrated,
          oof_logistic: r.oof_logistic,
          ltv: r.ltv,
          churned: r.churned,
        });
    });
  }

  publish(pub: Pick<Publication, "table" | "json">): CampaignLayout {
    const { cells, individuals, layout } = this.builder.finish();
    // The table's rows at the page's default economics come first (what the page shows on opening); the other kept
    // customers load only when the economics move the table to them.
    const lambda = orderParameter(CAMPAIGN_SETUP.food.defaults);
    const byKey = [...individuals].sort(
      (a, b) =>
        rankingKey(b.probability, b.value, lambda) - rankingKey(a.probability, a.value, lambda) || a.row - b.row,
    );
    const first = new Set(byKey.slice(0, this.depth).map((c) => c.row));
    const full: CampaignLayout = {
      ...layout,
      listedFirst: first.size,
      sampleFraction: this.fraction,
      sampleRows: this.sample.length,
    };
    const rows = (kept: CampaignCustomer<CampaignRowExtra>[]) => kept.map((c) => ({ row: c.row, ...c.extra }));
    pub.table(ARTIFACTS.foodCampaignCells, cells);
    pub.table(ARTIFACTS.foodCampaignRows, rows(individuals.filter((c) => first.has(c.row))));
    pub.table(ARTIFACTS.foodCampaignMoreRows, rows(individuals.filter((c) => !first.has(c.row))));
    pub.table(ARTIFACTS.foodCampaignSample, this.sample);
    pub.json(ARTIFACTS.foodCampaign, full);
    return full;
  }
}
