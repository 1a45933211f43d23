/** src/lib/crossfilter.ts and the engagement dashboard's state over it (src/telco/engagement.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  crossfilter,
  describeSelection,
  numericBucket,
  numericBuckets,
  selectionFromSearch,
  selectionToSearch,
  type Dimension,
} from "../../src/lib/crossfilter.js";
import { engagementState, type EngagementColumns } from "../../src/telco/engagement.js";

interface Row {
  size: number;
  colour: string;
  churn: number;
}
// Six rows, counted by hand below.
const ROWS: Row[] = [
  { size: 1, colour: "red", churn: 1 },
  { size: 1, colour: "blue", churn: 0 },
  { size: 5, colour: "red", churn: 0 },
  { size: 5, colour: "red", churn: 1 },
  { size: 9, colour: "blue", churn: 1 },
  { size: 9, colour: "green", churn: 0 },
];
const COLOURS = ["red", "blue", "green"];
const DIMS: Dimension<Row>[] = [
  { id: "size", label: "Size", buckets: numericBuckets([0, 4, 8]), bucket: (r) => numericBucket([0, 4, 8], r.size) },
  {
    id: "colour",
    label: "Colour",
    buckets: COLOURS.map((c) => ({ key: c, label: c[0]!.toUpperCase() + c.slice(1) })),
    bucket: (r) => COLOURS.indexOf(r.colour),
  },
];
const cf = crossfilter(ROWS, DIMS, (r) => r.churn === 1);
const plain = (c: { n: Int32Array; k: Int32Array }) => ({ n: [...c.n], k: [...c.k] });

describe("crossfilter", () => {
  it("counts every bucket with no selection", () => {
    const c = cf.counts({});
    assert.deepEqual(plain(c.size!), { n: [2, 2, 2], k: [1, 1, 1] });
    assert.deepEqual(plain(c.colour!), { n: [3, 2, 1], k: [2, 1, 0] });
    assert.deepEqual([...cf.filtered({})], [0, 1, 2, 3, 4, 5]);
  });

  it("filters every chart but the selecting one", () => {
    const c = cf.counts({ colour: [0] }); // red: rows 0, 2, 3
    assert.deepEqual(plain(c.size!), { n: [1, 2, 0], k: [1, 1, 0] });
    assert.deepEqual(plain(c.colour!), { n: [3, 2, 1], k: [2, 1, 0] }, "its own selection does not filter it");
    assert.deepEqual([...cf.filtered({ colour: [0] })], [0, 2, 3]);
  });

  it("combines selections on several dimensions", () => {
    const s = { colour: [0, 1], size: [2] }; // red or blue, size 8+: row 4
    const c = cf.counts(s);
    assert.deepEqual(plain(c.size!), { n: [2, 2, 1], k: [1, 1, 1] }, "size sees red or blue");
    assert.deepEqual(plain(c.colour!), { n: [0, 1, 1], k: [0, 1, 0] }, "colour sees size 8+");
    assert.deepEqual([...cf.filtered(s)], [4]);
  });

  it("refuses a bucket out of range and a dimension declared twice, naming them", () => {
    assert.throws(
      () => crossfilter(ROWS, [{ ...DIMS[1]!, bucket: (r) => (r.colour === "green" ? 7 : 0) }], () => false),
      /dimension "colour" put row 5 in bucket 7/,
    );
    assert.throws(() => crossfilter(ROWS, [DIMS[0]!, DIMS[0]!], () => false), /"size" is declared twice/);
  });

  it("numericBuckets labels bins for people and keys them for URLs", () => {
    assert.deepEqual(numericBuckets([0, 1, 5, 10]), [
      { key: "0", label: "0" },
      { key: "1-4", label: "1–4" },
      { key: "5-9", label: "5–9" },
      { key: "10-", label: "10+" },
    ]);
    assert.deepEqual(
      [-1, 0, 4, 5, 99].map((v) => numericBucket([0, 1, 5, 10], v)),
      [0, 0, 1, 2, 3],
    );
  });

  it("a selection survives the URL and reads for people", () => {
    const s = { size: [2, 0], colour: [1] };
    const search = selectionToSearch(DIMS, s);
    assert.equal(search, "?size=0-3%2C8-&colour=blue");
    assert.deepEqual(selectionFromSearch(DIMS, search), { size: [0, 2], colour: [1] });
    assert.deepEqual(selectionFromSearch(DIMS, "?other=1"), {});
    assert.equal(selectionToSearch(DIMS, {}), "");
    assert.equal(describeSelection(DIMS, s), "Size: 0–3, 8+; Colour: Blue");
    assert.throws(() => selectionFromSearch(DIMS, "?colour=pink"), /URL parameter colour: unknown value "pink"/);
  });
});

describe("engagementState", () => {
  const columns: EngagementColumns = {
    usage: [3, 12, 25, 45],
    delay: [0, 2, 0, 14],
    calls: [0, 1, 3, 7],
    tenure: [1, 20, 40, 72],
    contract: ["Month-to-month", "Month-to-month", "One year", "Two year"],
    variant: ["A", "B", "A", "B"],
    tier: ["high", "medium", "low", "low"],
    persona: ["Loyal family", "Price-sensitive newcomer", "Loyal family", "Phone-only basic"],
    churn: [1, 1, 0, 0],
    churnObserved: [1, 0, 0, 0],
  };

  it("selects, summarises, tells listeners and writes the URL form", () => {
    const heard: string[] = [];
    const state = engagementState(columns, "", (id) => heard.push(id));
    let calls = 0;
    state.subscribe(() => calls++);
    state.select("contract", [0]);
    assert.equal(state.search(), "?contract=month-to-month");
    assert.equal(state.description(), "Contract: Month-to-month");
    const s = state.summary();
    assert.equal(s.n, 2);
    assert.equal(s.rate, 1);
    assert.equal(s.medianUsage, 7.5);
    assert.equal(s.lateShare, 0.5);
    assert.equal(s.lowUsageRate, 1);
    assert.equal(s.highUsageRate, null);
    assert.deepEqual([...state.counts("variant").n], [1, 1]);
    assert.deepEqual([...state.counts("variant").k], [1, 0], "the variant chart counts the test's outcome");
    assert.deepEqual([calls, heard], [1, ["contract"]]);
    state.clear();
    assert.equal(state.summary().n, 4);
  });

  it("starts from a URL's selection", () => {
    const state = engagementState(columns, "?persona=loyal-family&tier=low");
    assert.deepEqual([...state.filter.filtered(state.selection)], [2]);
    assert.equal(state.summary().n, 1);
    assert.throws(() => engagementState(columns, "?tier=extreme"), /URL parameter tier: unknown value "extreme"/);
  });
});
