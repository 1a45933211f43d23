import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { settler } from "../../src/lib/settle.js";

/** Let pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("settler", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  it("yields the first push at once and later pushes once they have settled", async () => {
    const s = settler<number>(150);
    const values = s.values();
    s.push(1);
    assert.deepEqual(await values.next(), { value: 1, done: false });
    const next = values.next();
    let got: IteratorResult<number, void> | undefined;
    void next.then((r) => (got = r));
    s.push(2);
    mock.timers.tick(100);
    s.push(3); // restarts the wait: 2 never settles
    assert.ok(s.pending);
    mock.timers.tick(149);
    await flush();
    assert.equal(got, undefined, "nothing before 150 ms without a push");
    mock.timers.tick(1);
    await flush();
    assert.deepEqual(got, { value: 3, done: false });
    assert.equal(s.pending, false);
  });

  it("keeps only the latest settled value when the consumer is busy", async () => {
    const s = settler<string>(10);
    s.push("a");
    s.push("b");
    mock.timers.tick(10);
    s.push("c");
    mock.timers.tick(10);
    const values = s.values();
    assert.deepEqual(await values.next(), { value: "c", done: false });
  });

  it("dispose drops what is waiting and ends the generator", async () => {
    const s = settler<number>(50);
    const values = s.values();
    s.push(1);
    await values.next();
    const next = values.next();
    s.push(2);
    s.dispose();
    mock.timers.tick(50);
    assert.deepEqual(await next, { value: undefined, done: true });
    s.push(3);
    assert.equal(s.pending, false);
  });

  it("rejects a delay that is not a duration", () => {
    assert.throws(() => settler(-1), /settler: delay -1 is not a duration in ms/);
    assert.throws(() => settler(Number.NaN), /delay NaN/);
  });
});
