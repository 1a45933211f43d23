import {
  AsyncByteQueue,
  Bool,
  type DataType,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Table,
  Utf8,
} from "apache-arrow";

// Arrow IPC *stream* format throughout: it is what DuckDB-WASM's insertArrowFromIPCStream takes, and
// Framework's FileAttachment.arrow() (apache-arrow's tableFromIPC) reads both the stream and the file format.
// Strings are plain Utf8 (no dictionaries), so batches written one at a time never need dictionary deltas.

export type ArrowColumnType = "utf8" | "float64" | "int32" | "bool";

/** An ordered column list: [field name, Arrow type]. Every column is non-nullable. */
export type ArrowColumns<T> = readonly (readonly [keyof T & string, ArrowColumnType])[];

export const ARROW_BATCH_SIZE = 65_536;

const ARROW_TYPES: Record<ArrowColumnType, () => DataType> = {
  utf8: () => new Utf8(),
  float64: () => new Float64(),
  int32: () => new Int32(),
  bool: () => new Bool(),
};

/** The Arrow schema for a column list. */
export function arrowSchema<T>(columns: ArrowColumns<T>): Schema {
  return new Schema(columns.map(([name, type]) => new Field(name, ARROW_TYPES[type](), false)));
}

/**
 * One record batch of typed rows; a value of the wrong type throws, naming the column, the row (counted from
 * `firstRow`, for batches of a longer stream) and the value.
 */
export function recordBatchOf<T>(
  rows: readonly T[],
  columns: ArrowColumns<T>,
  { schema = arrowSchema(columns), firstRow = 0 }: { schema?: Schema; firstRow?: number } = {},
): RecordBatch {
  const children = columns.map(([name, type]) => columnData(rows, name, type, firstRow));
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

function columnData<T>(rows: readonly T[], name: keyof T & string, type: ArrowColumnType, firstRow: number) {
  const bad = (i: number, value: unknown): never => {
    throw new Error(
      `arrow column ${name}, row ${firstRow + i}: ${JSON.stringify(value) ?? String(value)} is not ${type}`,
    );
  };
  switch (type) {
    case "float64":
    case "int32": {
      const values = type === "float64" ? new Float64Array(rows.length) : new Int32Array(rows.length);
      rows.forEach((row, i) => {
        const value = row[name];
        if (typeof value !== "number" || (type === "int32" && (value | 0) !== value)) bad(i, value);
        values[i] = value as number;
      });
      return values instanceof Float64Array
        ? makeData({ type: new Float64(), length: rows.length, nullCount: 0, data: values })
        : makeData({ type: new Int32(), length: rows.length, nullCount: 0, data: values });
    }
    case "bool": {
      const bits = new Uint8Array(Math.ceil(rows.length / 8)); // LSB-first bitmap, as Arrow lays out booleans
      rows.forEach((row, i) => {
        const value = row[name];
        if (typeof value !== "boolean") bad(i, value);
        if (value) bits[i >> 3] |= 1 << (i & 7);
      });
      return makeData({ type: new Bool(), length: rows.length, nullCount: 0, data: bits });
    }
    case "utf8": {
      const strings = rows.map((row, i) => {
        const value = row[name];
        return typeof value === "string" ? value : bad(i, value);
      });
      const { valueOffsets, data } = encodeUtf8Column(strings);
      return makeData({ type: new Utf8(), length: rows.length, nullCount: 0, valueOffsets, data });
    }
  }
}

const encoder = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole 7-bit range is the point (ASCII test)
const ASCII = /^[\x00-\x7f]*$/;

// One encode of the concatenated strings instead of one per value: per-value encoding (vectorFromArray) took most of
// the food generator's run time. Offsets come from string lengths when everything is ASCII, the common case here.
function encodeUtf8Column(strings: string[]): { valueOffsets: Int32Array; data: Uint8Array } {
  const joined = strings.join("");
  const data = encoder.encode(joined);
  const ascii = data.length === joined.length && ASCII.test(joined);
  const valueOffsets = new Int32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++) {
    valueOffsets[i + 1] = valueOffsets[i] + (ascii ? strings[i].length : encoder.encode(strings[i]).length);
  }
  return { valueOffsets, data };
}

/** A table of typed rows (one record batch). */
export function arrowTable<T>(rows: readonly T[], columns: ArrowColumns<T>): Table {
  return new Table(recordBatchOf(rows, columns));
}

/**
 * Typed rows as Arrow IPC stream bytes, built batch by batch (memory holds one batch of row objects at a time, so a
 * generator of rows never materialises); the same rows always give the same bytes, and up to `batchSize` rows the
 * bytes equal tableToIPC(…, "stream") of one batch.
 */
export function rowsToArrowIPC<T>(
  rows: Iterable<T>,
  columns: ArrowColumns<T>,
  { batchSize = ARROW_BATCH_SIZE }: { batchSize?: number } = {},
): Uint8Array {
  const chunks = [...ipcStreamChunks(recordBatches(rows, columns, batchSize))];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Groups an iterable into arrays of `size` (the last may be shorter), without materialising the whole input. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Record batches of `batchSize` rows, built lazily: memory holds one batch at a time. */
export function* recordBatches<T>(
  rows: Iterable<T>,
  columns: ArrowColumns<T>,
  batchSize = ARROW_BATCH_SIZE,
): Generator<RecordBatch> {
  const schema = arrowSchema(columns);
  let firstRow = 0;
  for (const chunk of chunksOf(rows, batchSize)) {
    yield recordBatchOf(chunk, columns, { schema, firstRow });
    firstRow += chunk.length;
  }
  if (firstRow === 0) yield recordBatchOf([], columns, { schema }); // an empty table still carries its schema
}

// Collects what a RecordBatchStreamWriter writes, so it can be handed on synchronously after every batch.
// (apache-arrow's own throughNode() duplex accepts batches without back-pressure: its queue grew with the output.)
class ChunkCollector extends AsyncByteQueue {
  chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
  take(): Uint8Array[] {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks;
  }
}

/**
 * Rows in, Arrow IPC stream chunks out, incrementally: rows are regrouped into record batches of `batchSize`
 * whatever sizes they arrive in, so the bytes equal rowsToArrowIPC() of all the rows (memory holds one batch).
 */
export class ArrowStreamEncoder<T> {
  private pending: T[] = [];
  private firstRow = 0;
  private readonly schema: Schema;
  private readonly sink = new ChunkCollector();
  private readonly writer = new RecordBatchStreamWriter();

  constructor(
    private readonly columns: ArrowColumns<T>,
    private readonly batchSize = ARROW_BATCH_SIZE,
  ) {
    this.schema = arrowSchema(columns);
    this.writer.reset(this.sink);
  }

  /** Adds rows; returns the bytes completed so far (whole record batches). */
  push(rows: readonly T[]): Uint8Array[] {
    for (const row of rows) {
      this.pending.push(row);
      if (this.pending.length === this.batchSize) this.flush();
    }
    return this.sink.take();
  }

  /** The last batch (an empty one for an empty table, which still carries its schema) and the end-of-stream marker. */
  finish(): Uint8Array[] {
    if (this.pending.length > 0 || this.firstRow === 0) this.flush();
    this.writer.finish();
    return this.sink.take();
  }

  private flush(): void {
    this.writer.write(recordBatchOf(this.pending, this.columns, { schema: this.schema, firstRow: this.firstRow }));
    this.firstRow += this.pending.length;
    this.pending = [];
  }
}

/** The IPC stream bytes of some record batches, chunk by chunk; byte-identical to tableToIPC(…, "stream"). */
export function* ipcStreamChunks(batches: Iterable<RecordBatch>): Generator<Uint8Array> {
  const sink = new ChunkCollector();
  const writer = new RecordBatchStreamWriter();
  writer.reset(sink);
  for (const batch of batches) {
    writer.write(batch);
    yield* sink.take();
  }
  writer.finish(); // end-of-stream marker
  yield* sink.take();
}
