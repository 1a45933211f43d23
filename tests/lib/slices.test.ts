import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInSlices } from "../../src/lib/slices.js";

/** Steps that each take 4 ms of a fake clock. */
function* counter(n: number, log: string[], clock: { ms: number }): Generator<number, string> {
  for (let i = 1; i <= n; i++) {
    log.push(`step ${i}`);
    clock.ms += 4;
    yield i;
  }
  return "done";
}

describe("runInSlices", () => {
  it("pauses between slices and returns the generator's value", async () => {
    const log: string[] = [];
    const clock = { ms: 0 };
    // slices of 10 ms hold three steps of 4 ms (the third ends past the slice)
    const result = await runInSlices(counter(7, log, clock), {
      sliceMs: 10,
      now: () => clock.ms,
      pause: async () => {
        log.push("pause");
      },
    });
    assert.equal(result, "done");
    assert.deepEqual(log, ["step 1", "step 2", "step 3", "pause", "step 4", "step 5", "step 6", "pause", "step 7"]);
  });

  it("rejects with the generator's error", async () => {
    function* failing(): Generator<number, void> {
      yield 1;
      throw new Error("bad step");
    }
    await assert.rejects(runInSlices(failing(), { pause: async () => {} }), /bad step/);
  });
});
