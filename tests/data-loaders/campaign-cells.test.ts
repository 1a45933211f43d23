// The Retention page's compact base (src/lib/campaign-cells.ts, data-loaders/food/campaign-cells.ts): the kept
// customers are exactly those who can lead a ranking, cells carry their customers' exact sums whatever the batches,
// and on the published base of 20,000 the page's numbers equal the row-level arithmetic.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { tableFromIPC } from "apache-arrow";
import {
  CampaignCellsBuilder,
  cellGrid,
  skyline,
  type CampaignCustomer,
  type CellRow,
} from "../../data-loaders/food/campaign-cells.js";
import { seededRandom } from "../../data-loaders/util/seed.js";
import { campaign, type CampaignData, type CampaignSettings } from "../../src/lib/campaign.js";
import { CAMPAIGN_SETUP, cellColumns, foodCampaignData, foodCellData } from "../../src/lib/campaign-data.js";
import { rowCells, type CampaignLayout, type CellColumns } from "../../src/lib/campaign-cells.js";
import { rankingKey } from "../../src/lib/cost-model.js";

/** Customers with p, V and y drawn from a seeded stream; a few exact ties in p and V. */
function customers(n: number, seed = 3): CampaignCustomer<number>[] {
  const random = seededRandom(seed, "cells");
  return Array.from({ length: n }, (_, row) => {
    const tie = row % 50 === 49;
    const probability = tie ? 0.5 : random() ** 2;
    const value = tie ? 1000 : Math.round(200 + 8000 * random() ** 3);
    return { row, probability, value, churned: random() < probability ? 1 : 0, extra: row };
  });
}

/** The rows among the first `depth` of p·(V + λ) (ties by row, as the ranking sorts). */
function topRows(c: readonly CampaignCustomer<number>[], lambda: number, depth: number): number[] {
  return [...c]
    .sort(
      (a, b) =>
        rankingKey(b.probability, b.value, lambda) - rankingKey(a.probability, a.value, lambda) || a.row - b.row,
    )
    .slice(0, depth)
    .map((x) => x.row);
}

describe("skyline: the customers who can lead a ranking", () => {
  const base = customers(800);
  const depth = 25;
  const kept = skyline(base, depth);

  it("keeps exactly the customers dominated by fewer than `depth` others (brute force)", () => {
    const dominates = (j: CampaignCustomer<number>, i: CampaignCustomer<number>) => {
      const [pj, pi, vj, vi] = [j.probability, i.probability, j.probability * j.value, i.probability * i.value];
      return j !== i && pj >= pi && vj >= vi && (pj > pi || vj > vi || j.row < i.row);
    };
    const expected = base.filter((i) => base.filter((j) => dominates(j, i)).length < depth).map((c) => c.row);
    assert.deepEqual(
      kept.map((c) => c.row),
      expected,
    );
    assert.ok(kept.length < base.length / 2, `a real reduction (${kept.length} of ${base.length})`);
  });

  it("holds the first `depth` customers of the ranking at every λ, gift (λ = 0) to churn alone (λ → ∞)", () => {
    const rows = new Set(kept.map((c) => c.row));
    for (const lambda of [0, 1, 10, 100, 1_000, 10_000, 1e9]) {
      for (const row of topRows(base, lambda, depth)) assert.ok(rows.has(row), `row ${row} at λ ${lambda}`);
    }
  });
});

function build(base: CampaignCustomer<number>[], batch: number, o: { exactUpTo: number; depth: number }) {
  const grid = cellGrid(base.slice(0, 400), { probability: 6, value: 6 });
  const builder = new CampaignCellsBuilder<number>({ customers: base.length, grid, ...o });
  for (let i = 0; i < base.length; i += batch) builder.add(base.slice(i, i + batch));
  return builder.finish();
}

const columnsOf = (cells: CellRow[]): CellColumns => ({
  count: cells.map((c) => c.count),
  probability: cells.map((c) => c.probability),
  value: cells.map((c) => c.value),
  churned: cells.map((c) => c.churned),
  churned_value: cells.map((c) => c.churned_value),
  row: cells.map((c) => c.row),
  cell: cells.map((c) => c.cell),
});

describe("campaign cells", () => {
  const base = customers(3_000, 11);
  const options = { exactUpTo: 500, depth: 40 };
  const one = build(base, base.length, options);

  it("does not depend on the batches (the same cells from batches of 37 as from one)", () => {
    const small = build(base, 37, options);
    assert.deepEqual(small.cells, one.cells);
    assert.deepEqual(small.individuals, one.individuals);
  });

  it("accounts for every customer once, with the exact sums of the customers in each cell", () => {
    const { cells, layout } = one;
    assert.equal(
      cells.reduce((s, c) => s + c.count, 0),
      base.length,
    );
    assert.ok(layout.grid && layout.individual > 0 && layout.cells < base.length / 5, JSON.stringify(layout));
    const full = { ...layout, listedFirst: 0, sampleFraction: 1, sampleRows: 0 } satisfies CampaignLayout;
    const cellOf = rowCells(full, columnsOf(cells));
    const sums = cells.map(() => ({ n: 0, p: 0, pv: 0, y: 0, yv: 0 }));
    for (const c of base) {
      const s = sums[cellOf(c.row, c.probability, c.value)];
      s.n++;
      s.p += c.probability;
      s.pv += c.probability * c.value;
      s.y += c.churned;
      s.yv += c.churned * c.value;
    }
    cells.forEach((cell, i) => {
      const s = sums[i];
      assert.equal(cell.count, s.n, `cell ${i}`);
      const close = (a: number, b: number, what: string) =>
        assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `cell ${i} ${what}: ${a} vs ${b}`);
      close(cell.count * cell.probability, s.p, "Σ p");
      close(cell.count * cell.probability * cell.value, s.pv, "Σ p·V");
      close(cell.count * cell.churned, s.y, "Σ y");
      close(cell.count * cell.churned_value, s.yv, "Σ y·V");
    });
  });

  it("puts only single customers first in the ranking, so the table lists real customers", () => {
    const data = {
      ...foodCellData(tableLike(one.cells)),
    };
    for (const couponCost of [1, 50, 500]) {
      const state = campaign(data, { ...CAMPAIGN_SETUP.food.defaults, couponCost });
      const first = Array.from(state.ranking.order.subarray(0, options.depth), (e) => one.cells[e]);
      assert.ok(
        first.every((c) => c.count === 1),
        `d = ${couponCost}`,
      );
    }
  });
});

/** A stand-in for the Arrow table the page reads: the columns by name. */
function tableLike(cells: CellRow[]) {
  const columns = columnsOf(cells) as unknown as Record<string, number[]>;
  return { getChild: (name: string) => ({ toArray: () => columns[name] }) } as never;
}

describe("the published base of 20,000: the page's numbers are the row-level arithmetic's", () => {
  const dir = "src/data/food";
  const skip = !existsSync(`${dir}/campaign-cells.arrow`) && "run npm run pipeline first";
  it("equal optimum, policies, curves and matrices under every cost and value mode", { skip }, () => {
    const cells = tableFromIPC(readFileSync(`${dir}/campaign-cells.arrow`));
    const rows = foodCampaignData(tableFromIPC(readFileSync(`${dir}/customers.arrow`)));
    const layout: CampaignLayout = JSON.parse(readFileSync(`${dir}/campaign.json`, "utf8"));
    assert.equal(layout.grid, null, "the default base keeps every customer as its own cell");
    const compact: CampaignData = foodCellData(cells);
    assert.equal(cellColumns(cells).count.length, rows.probability.length);
    const settings: Partial<CampaignSettings>[] = [
      {},
      { costModel: "gift" },
      { couponCost: 200, acceptance: 0.15 },
      { valueMode: "flat", flatValue: 800 },
      { policy: "budget", budget: 250_000 },
      { policy: "manual", customers: 4_321 },
    ];
    for (const s of settings) {
      const full = { ...CAMPAIGN_SETUP.food.defaults, ...s };
      const [a, b] = [campaign(compact, full), campaign(rows, full)];
      for (const key of ["chosen", "optimum", "churnOptimum", "realised", "matrix", "observedMatrix", "curve"] as const)
        assert.deepEqual(a[key], b[key], `${key} under ${JSON.stringify(s)}`);
    }
  });
});
