/**
 * Where the food-delivery base comes from: the seeded generator (the default) or the user's own file
 * (FOOD_CSV: CSV or Arrow IPC, validated by data-loaders/food/ingest.ts). Either is read batch by batch, from the
 * start each time it is asked, so the pipeline can pass over it twice without holding it.
 */
import { chunksOf } from "../arrow.js";
import { foodRows, type FoodRecord } from "./generate.js";

/** Customers per batch read, scored, explained and written (the Arrow tables' record batch size too). */
export const BATCH_SIZE = 65_536;

export interface FoodSource {
  /** what the log names */
  name: string;
  /** the generator, whose churn truth is known (food/truth.json, the logistic direction check) */
  generated: boolean;
  /** the base, batch by batch, from its first row */
  batches(size: number): AsyncGenerator<FoodRecord[]>;
}

/** The seeded generator as a source: the same rows on every pass. */
export function generatorSource(n: number, seed: number): FoodSource {
  return {
    name: `the generator (FOOD_N ${n}, SEED ${seed})`,
    generated: true,
    async *batches(size: number) {
      yield* chunksOf(foodRows({ n, seed }), size);
    },
  };
}
