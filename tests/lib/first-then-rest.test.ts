import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstThenRest, shown, type NextFrame } from "../../src/lib/first-then-rest.js";

/** A task that records when it starts and settles when told to. */
function task(log: string[], name: string) {
  let settle!: { resolve: (v: string) => void; reject: (e: Error) => void };
  const run = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { run, settle: () => settle };
}

/** A frame scheduler the test advances by hand. */
function frames(log: string[]) {
  const waiting: (() => void)[] = [];
  const next: NextFrame = (callback) => {
    log.push("frame requested");
    waiting.push(callback);
  };
  return {
    next,
    paint: () => {
      for (const f of waiting.splice(0)) f();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("firstThenRest", () => {
  it("starts the others only after the first has settled and a frame was painted", async () => {
    const log: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((n) => task(log, n));
    const frame = frames(log);
    const results = firstThenRest([a.run, b.run, c.run], frame.next);
    await flush();
    assert.deepEqual(log, ["start a"]);
    a.settle().resolve("A");
    await flush();
    assert.deepEqual(log, ["start a", "frame requested"], "nothing else starts before the frame");
    frame.paint();
    await flush();
    assert.deepEqual(log, ["start a", "frame requested", "start b", "start c"]);
    b.settle().resolve("B");
    c.settle().resolve("C");
    assert.deepEqual(await Promise.all(results), ["A", "B", "C"]);
  });

  it("does not hold the others back when the first fails, and keeps its error", async () => {
    const log: string[] = [];
    const [a, b] = ["a", "b"].map((n) => task(log, n));
    const frame = frames(log);
    const [first, second] = firstThenRest([a.run, b.run], frame.next);
    a.settle().reject(new Error("no data"));
    await assert.rejects(first, /no data/);
    await flush();
    frame.paint();
    await flush();
    assert.deepEqual(log, ["start a", "frame requested", "start b"]);
    b.settle().resolve("B");
    assert.equal(await second, "B");
  });

  it("waits for painted frames until the condition holds", async () => {
    const log: string[] = [];
    const frame = frames(log);
    let chart = false;
    let done = false;
    void shown(() => chart, frame.next).then(() => (done = true));
    for (let i = 0; i < 3; i++) {
      await flush();
      frame.paint();
      await flush();
      assert.equal(done, false, `no chart after frame ${i + 1}`);
    }
    chart = true;
    await flush();
    assert.equal(done, false, "the chart is in the document but not yet painted");
    frame.paint();
    await flush();
    assert.equal(done, true);
    assert.equal(log.filter((l) => l === "frame requested").length, 4);
  });

  it("returns nothing for no tasks", () => {
    assert.deepEqual(
      firstThenRest([], () => assert.fail("no frame")),
      [],
    );
  });
});
