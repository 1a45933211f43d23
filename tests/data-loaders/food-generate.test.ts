import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RecordBatchStreamReader } from "apache-arrow";
import { rowsToArrowIPC } from "../../data-loaders/arrow.js";
import {
  FOOD_ARROW_COLUMNS,
  FOOD_TRUTH,
  foodLogit,
  foodRows,
  sigmoid,
  type FoodRecord,
} from "../../data-loaders/food/generate.js";
import { transformValue } from "../../data-loaders/food/truth.js";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Churn rate in each quantile bin of `value` (sorted ascending by value). */
function binnedRates(rows: FoodRecord[], value: (r: FoodRecord) => number, bins: number): number[] {
  const sorted = [...rows].sort((a, b) => value(a) - value(b));
  return Array.from({ length: bins }, (_, b) => {
    const bin = sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins));
    return mean(bin.map((r) => r.churned));
  });
}

/** Maximum-likelihood logistic regression by Newton's method (a small dense solve; enough for a dozen features). */
function fitLogistic(x: number[][], y: number[]): number[] {
  const p = x[0].length;
  let beta = new Array<number>(p).fill(0);
  for (let iteration = 0; iteration < 25; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    x.forEach((xi, i) => {
      const mu = sigmoid(xi.reduce((s, v, j) => s + v * beta[j], 0));
      const w = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        gradient[j] += (y[i] - mu) * xi[j];
        for (let k = 0; k <= j; k++) hessian[j][k] += w * xi[j] * xi[k];
      }
    });
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) hessian[j][k] = hessian[k][j];
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return beta;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const pivot = m.reduce((best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(m[best][c]) ? r : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

describe("foodRows", () => {
  const rows = [...foodRows({ n: 20_000, seed: 42 })];

  it("yields n = 20,000 customers with fixed-width unique ids and the contract's columns", () => {
    assert.equal(rows.length, 20_000);
    assert.equal(rows[0].customer_id, "FD0000001");
    assert.equal(rows[19_999].customer_id, "FD0020000");
    assert.equal(new Set(rows.map((r) => r.customer_id)).size, 20_000);
    assert.deepEqual(
      Object.keys(rows[0]),
      FOOD_ARROW_COLUMNS.map(([name]) => name),
    );
  });

  it("keeps every column in its documented range", () => {
    for (const r of rows) {
      assert.ok(Number.isInteger(r.tenure_months) && r.tenure_months >= 1 && r.tenure_months <= 96);
      assert.ok(Number.isInteger(r.recency_days) && r.recency_days >= 0 && r.recency_days <= 180);
      assert.ok(r.order_frequency >= 0.05 && r.avg_order_value > 0 && r.delivery_delay_min >= 0);
      assert.ok(Number.isInteger(r.support_tickets) && r.support_tickets >= 0);
      assert.ok(r.coupon_usage_rate >= 0 && r.coupon_usage_rate <= 1);
      assert.ok([1, 2, 3].includes(r.city_tier));
      assert.ok(["None", "Gold", "Platinum"].includes(r.membership));
      assert.ok(["UPI", "Card", "Wallet", "Cash on delivery"].includes(r.payment_method));
      assert.ok(r.ltv > 0 && (r.churned === 0 || r.churned === 1));
    }
  });

  it("is deterministic per seed: the same Arrow bytes twice, different rows for another seed", () => {
    const again = rowsToArrowIPC([...foodRows({ n: 20_000, seed: 42 })], FOOD_ARROW_COLUMNS);
    assert.deepEqual(again, rowsToArrowIPC(rows, FOOD_ARROW_COLUMNS));
    assert.notDeepEqual([...foodRows({ n: 5, seed: 43 })], rows.slice(0, 5));
  });

  it("stores true_churn_prob = sigmoid(the documented logit) exactly, and churns at about its mean (20–30 %)", () => {
    for (const r of rows) assert.equal(r.true_churn_prob, sigmoid(foodLogit(r as unknown as Record<string, number>)));
    const rate = mean(rows.map((r) => r.churned));
    const expected = mean(rows.map((r) => r.true_churn_prob));
    assert.ok(rate > 0.2 && rate < 0.3, `churn rate ${rate}`);
    assert.ok(Math.abs(rate - expected) < 0.012, `churn rate ${rate}, expected ${expected}`);
  });

  it("makes churn rise with recency and fall with order frequency (the silent churners' signal)", () => {
    const byRecency = binnedRates(rows, (r) => r.recency_days, 5);
    const byFrequency = binnedRates(rows, (r) => r.order_frequency, 5);
    for (let b = 1; b < 5; b++) {
      assert.ok(byRecency[b] > byRecency[b - 1], `recency bins ${byRecency}`);
      assert.ok(byFrequency[b] < byFrequency[b - 1], `frequency bins ${byFrequency}`);
    }
    assert.ok(byRecency[4] - byRecency[0] > 0.3);
  });

  it("lets a logistic regression on the documented transforms recover the true coefficients", () => {
    const sample = [...foodRows({ n: 100_000, seed: 7 })];
    const features = Object.keys(FOOD_TRUTH.coefficients) as (keyof typeof FOOD_TRUTH.coefficients)[];
    const x = sample.map((r) => [
      1,
      ...features.map((f) => {
        const t = FOOD_TRUTH.transforms[f];
        return transformValue(t, r[t.column as keyof FoodRecord] as string | number);
      }),
    ]);
    const [intercept, ...betas] = fitLogistic(
      x,
      sample.map((r) => r.churned),
    );
    assert.ok(Math.abs(intercept - FOOD_TRUTH.intercept) < 0.1, `intercept ${intercept}`);
    features.forEach((f, j) => {
      assert.ok(
        Math.abs(betas[j] - FOOD_TRUTH.coefficients[f]) < 0.1,
        `${f}: ${betas[j]} vs ${FOOD_TRUTH.coefficients[f]}`,
      );
    });
  });

  it("rejects an invalid n, naming it", () => {
    assert.throws(() => [...foodRows({ n: -1 })], { message: "invalid n: -1 (an integer from 0 to 10000000)" });
    assert.throws(() => [...foodRows({ n: 2.5 })], { message: "invalid n: 2.5 (an integer from 0 to 10000000)" });
  });
});

describe("the food base as Arrow", () => {
  it("encodes 1,000,000 generated rows in record batches of 65,536, one batch of rows in memory at a time", () => {
    const bytes = rowsToArrowIPC(foodRows({ n: 1_000_000, seed: 42 }), FOOD_ARROW_COLUMNS);
    let n = 0;
    let batches = 0;
    let last: unknown;
    for (const batch of RecordBatchStreamReader.from(bytes)) {
      n += batch.numRows;
      batches++;
      last = batch.get(batch.numRows - 1)?.toJSON().customer_id;
    }
    assert.equal(n, 1_000_000);
    assert.equal(batches, Math.ceil(1_000_000 / 65_536));
    assert.equal(last, "FD1000000");
  });
});
