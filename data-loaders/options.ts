import { SAMPLE_SIZE } from "./food/sample.js";
import { BATCH_SIZE } from "./food/source.js";
/**
 * The pipeline's options, from the environment (README: TELCO_CSV, FOOD_N, SEED, CV_REPEATS; docs/scale.md:
 * FOOD_CSV, FOOD_SAMPLE, FOOD_BATCH).
 */

export interface PipelineOptions {
  /** Telco CSV path (else the ingest's own cache or download). */
  telcoCsv?: string;
  /** size of the synthetic food-delivery base */
  foodN: number;
  /** seed for every random draw of the run */
  seed: number;
  /** repeats of the models' stratified 5-fold CV */
  cvRepeats: number;
  /** the user's food-delivery base (CSV or Arrow IPC) instead of the generator (FOOD_CSV) */
  foodFile?: string;
  /** size of the food model-selection sample (FOOD_SAMPLE; a larger base is sampled for tuning and CV) */
  sampleSize: number;
  /** customers per step of the food scoring pass (FOOD_BATCH) */
  batchSize: number;
}

/**
 * A whole number from the environment, strictly: digits only (a leading minus where `min` allows it), no blanks,
 * no exponent, no "0x"; unset means the default, and an empty or blank value is an error rather than 0.
 */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = /^-?\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name}: ${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Options from the environment, with the documented defaults; a bad value names the variable and the value. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineOptions {
  return {
    telcoCsv: env.TELCO_CSV || undefined,
    foodN: wholeNumber(env, "FOOD_N", 20_000, 1_000, 10_000_000),
    seed: wholeNumber(env, "SEED", 42, 0, 2 ** 32 - 1),
    cvRepeats: wholeNumber(env, "CV_REPEATS", 3, 1, 10),
    foodFile: env.FOOD_CSV || undefined,
    sampleSize: wholeNumber(env, "FOOD_SAMPLE", SAMPLE_SIZE, 1_000, 10_000_000),
    batchSize: wholeNumber(env, "FOOD_BATCH", BATCH_SIZE, 1, 10_000_000),
  };
}
