import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RecordBatchStreamReader, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { type ArrowColumns, ipcStreamChunks, recordBatches, rowsToArrowIPC } from "../../data-loaders/arrow.js";

interface Row {
  id: string;
  x: number;
  n: number;
  flag: boolean;
}
const COLUMNS: ArrowColumns<Row> = [
  ["id", "utf8"],
  ["x", "float64"],
  ["n", "int32"],
  ["flag", "bool"],
];
const rows: Row[] = Array.from({ length: 23 }, (_, i) => ({
  id: i === 3 ? "Café ₹" : `C${i}`, // one non-ASCII value exercises the UTF-8 offsets
  x: i / 7,
  n: i * i - 50,
  flag: i % 3 === 0,
}));

describe("arrow", () => {
  it("rowsToArrowIPC round-trips typed, non-nullable columns through the IPC stream format", () => {
    const table = tableFromIPC(rowsToArrowIPC(rows, COLUMNS));
    assert.deepEqual(
      table.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`),
      ["id:Utf8:false", "x:Float64:false", "n:Int32:false", "flag:Bool:false"],
    );
    assert.deepEqual(
      table.toArray().map((r) => r.toJSON()),
      rows,
    );
  });

  it("writes the same bytes for the same rows", () => {
    assert.deepEqual(rowsToArrowIPC(rows, COLUMNS), rowsToArrowIPC(structuredClone(rows), COLUMNS));
  });

  it("names the column, row and value of a value of the wrong type", () => {
    const bad = rows.map((r, i) => (i === 5 ? { ...r, n: 2.5 } : r));
    assert.throws(() => rowsToArrowIPC(bad, COLUMNS), { message: "arrow column n, row 5: 2.5 is not int32" });
    const missing = rows.map((r, i) => (i === 2 ? { ...r, id: undefined as unknown as string } : r));
    assert.throws(() => rowsToArrowIPC(missing, COLUMNS), { message: "arrow column id, row 2: undefined is not utf8" });
  });

  it("streams batches byte-identically to tableToIPC, and writes a readable file atomically", async () => {
    const batches = [...recordBatches(rows, COLUMNS, 10)];
    assert.deepEqual(
      batches.map((b) => b.numRows),
      [10, 10, 3],
    );
    const streamed = Buffer.concat([...ipcStreamChunks(batches)]);
    assert.deepEqual(new Uint8Array(streamed), tableToIPC(new Table(batches), "stream"));

    const bytes = rowsToArrowIPC(rows, COLUMNS, { batchSize: 10 });
    assert.deepEqual(bytes, new Uint8Array(streamed));
    let n = 0;
    for (const batch of RecordBatchStreamReader.from(bytes)) n += batch.numRows;
    assert.equal(n, rows.length);
  });

  it("writes an empty table with its schema", () => {
    const table = tableFromIPC(rowsToArrowIPC([], COLUMNS));
    assert.equal(table.numRows, 0);
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ["id", "x", "n", "flag"],
    );
  });

  it("names the row counted over the whole stream when a late batch fails", () => {
    const bad = rows.map((r, i) => (i === 21 ? { ...r, x: "oops" as unknown as number } : r));
    assert.throws(() => rowsToArrowIPC(bad, COLUMNS, { batchSize: 10 }), {
      message: 'arrow column x, row 21: "oops" is not float64',
    });
  });
});
