import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { optionsFromEnv } from "../../data-loaders/options.js";

describe("optionsFromEnv", () => {
  it("gives the documented defaults when nothing is set", () => {
    assert.deepEqual(optionsFromEnv({}), {
      telcoCsv: undefined,
      foodN: 20_000,
      seed: 42,
      cvRepeats: 3,
      foodFile: undefined,
      sampleSize: 50_000,
      batchSize: 65_536,
    });
  });

  it("reads whole numbers and the CSV path", () => {
    const o = optionsFromEnv({
      SEED: "7",
      FOOD_N: "1000",
      CV_REPEATS: "1",
      TELCO_CSV: "/x.csv",
      FOOD_CSV: "/food.csv",
      FOOD_SAMPLE: "2000",
      FOOD_BATCH: "100",
    });
    assert.deepEqual(o, {
      telcoCsv: "/x.csv",
      foodN: 1000,
      seed: 7,
      cvRepeats: 1,
      foodFile: "/food.csv",
      sampleSize: 2000,
      batchSize: 100,
    });
  });

  it("refuses an empty, blank, fractional, exponent, hex or out-of-range value, naming the variable and value", () => {
    for (const [name, value] of [
      ["SEED", ""],
      ["SEED", " "],
      ["SEED", "1.5"],
      ["SEED", "1e3"],
      ["SEED", "0x10"],
      ["SEED", "-1"],
      ["SEED", "4294967296"],
      ["FOOD_N", "999"],
      ["FOOD_N", "10000001"],
      ["FOOD_SAMPLE", "999"],
      ["FOOD_BATCH", "0"],
      ["CV_REPEATS", "0"],
    ]) {
      assert.throws(
        () => optionsFromEnv({ [name]: value }),
        new RegExp(
          `^Error: ${name}: ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a whole number`,
        ),
      );
    }
  });
});
