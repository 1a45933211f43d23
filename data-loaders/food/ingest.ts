/**
 * Bring your own customers: a food-delivery base from the user's file instead of the generator (FOOD_CSV=path).
 * The contract is the column table (src/lib/columns.ts FOOD_COLUMNS, docs/data.md "Your own customers"): every
 * column but `true_churn_prob` (the generator's own truth, optional) must be present, by name, in any order; nothing
 * else may be. Values are checked as strictly as the Telco ingest checks its file: the first problem throws one
 * FoodValidationError naming the file, the line (CSV) or row (Arrow), the column and the value, and since the whole
 * file is read and checked before any training or writing, a bad file changes nothing.
 *
 * Formats: CSV with a header row (UTF-8, optional BOM), read as a stream; Arrow IPC (.arrow, .arrows, .feather),
 * the stream format read batch by batch (the file format is read whole: apache-arrow needs its footer first). Either is read twice (sample, then scoring), and the second read must have
 * the same sha256 as the first.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { Transform } from "node:stream";
import { RecordBatchReader } from "apache-arrow";
import { CsvError, parse } from "csv-parse";
import { type Column, FOOD_COLUMNS } from "../../src/lib/columns.js";
import { shownValue } from "../telco/errors.js";
import type { FoodRecord } from "./generate.js";
import type { FoodSource } from "./source.js";

/** Fewest customers of each class (churned, stayed): as for Telco (data-loaders/telco/parse.ts MIN_ROWS_PER_CLASS). */
export const MIN_FOOD_ROWS_PER_CLASS = 200;
/** Longest customer_id accepted. */
export const MAX_ID_LENGTH = 64;
/** Largest lifetime value accepted (₹): far above any customer, far below what breaks arithmetic. */
export const MAX_LTV = 1e9;

const OPTIONAL = new Set(["true_churn_prob"]);
const NAMES = FOOD_COLUMNS.map((c) => c.name) as readonly string[];
const REQUIRED = NAMES.filter((n) => !OPTIONAL.has(n));
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const FORMULA_START = /^[=+\-@]/;

/** Where a problem is: the file, and when known the line (CSV, 1-based, header = 1) or row (Arrow), column, value. */
export interface FoodProblemLocation {
  file: string;
  line?: number;
  row?: number;
  column?: string;
  value?: string;
}

/** The one error a bad food-delivery file raises: `food.csv line 17, column recency_days: "abc" is not a number`. */
export class FoodValidationError extends Error {
  constructor(
    readonly where: FoodProblemLocation,
    problem: string,
  ) {
    const at = where.line !== undefined ? ` line ${where.line}` : where.row !== undefined ? ` row ${where.row}` : "";
    const column = where.column === undefined ? "" : `, column ${where.column}`;
    const value = where.value === undefined ? "" : `${shownValue(where.value)} `;
    super(`${where.file}${at}${column}: ${value}${problem}`);
    this.name = "FoodValidationError";
  }
}

type Raw = string | number | bigint | boolean | null | undefined;
type Bad = (column: string, value: Raw, problem: string) => never;

const list = (values: readonly (string | number)[]) => values.map((v) => JSON.stringify(String(v))).join(", ");
const text = (value: Raw) => (value === null || value === undefined ? "" : String(value));

/** A number from a CSV cell (decimal, optional exponent) or an Arrow number; blank and non-finite are refused. */
function numberOf(column: string, value: Raw, bad: Bad): number {
  if (typeof value === "number" || typeof value === "bigint") {
    const n = Number(value);
    if (!Number.isFinite(n)) bad(column, value, "is not a finite number");
    return n;
  }
  const s = text(value);
  if (s.trim() === "") bad(column, value, "is blank (every column needs a value)");
  if (!NUMBER.test(s)) bad(column, value, "is not a number");
  const n = Number(s);
  if (!Number.isFinite(n)) bad(column, value, "is not a finite number");
  return n;
}

/** One validated record from raw values by column name. */
function toRecord(get: (name: string) => Raw, bad: Bad, hasTruth: boolean): FoodRecord {
  const out: Record<string, string | number> = {};
  for (const c of FOOD_COLUMNS as readonly Column[]) {
    const value = get(c.name);
    const encoding = c.encoding;
    if (c.name === "true_churn_prob") {
      if (!hasTruth) {
        out[c.name] = Number.NaN;
        continue;
      }
      const p = numberOf(c.name, value, bad);
      if (!(p >= 0 && p <= 1)) bad(c.name, value, "is not a probability from 0 to 1");
      out[c.name] = p;
    } else if (c.role === "id") {
      out[c.name] = customerId(value, bad);
    } else if (c.role === "label") {
      const s = text(value);
      if (s !== "0" && s !== "1") bad(c.name, value, `is not one of ${list(["0", "1"])} (1 = churned)`);
      out[c.name] = Number(s);
    } else if (c.role === "value") {
      const n = numberOf(c.name, value, bad);
      if (n < 0) bad(c.name, value, "is negative");
      if (n > MAX_LTV) bad(c.name, value, `is above ${MAX_LTV}, the largest value accepted`);
      out[c.name] = n;
    } else if (encoding?.kind === "categorical") {
      const categories = encoding.categories;
      const found = categories.find((v) => String(v) === text(value));
      if (found === undefined) bad(c.name, value, `is not one of ${list(categories)}`);
      out[c.name] = found as string | number;
    } else if (encoding?.kind === "numeric") {
      const { min, max } = encoding;
      const n = numberOf(c.name, value, bad);
      if (c.type === "int32" && !Number.isInteger(n)) bad(c.name, value, "is not a whole number");
      if (n < min || n > max) bad(c.name, value, `is outside ${min} to ${max}`);
      out[c.name] = n;
    } else {
      throw new Error(`FOOD_COLUMNS: no rule for column ${c.name}`);
    }
  }
  return out as unknown as FoodRecord;
}

function customerId(value: Raw, bad: Bad): string {
  if (typeof value !== "string" && typeof value !== "number")
    bad("customer_id", value, "is missing (every customer needs an id)");
  const id = String(value);
  if (id.trim() === "") bad("customer_id", id, "is empty");
  if (id !== id.trim()) bad("customer_id", id, "has leading or trailing spaces");
  const invisible = INVISIBLE.exec(id);
  if (invisible) {
    const code = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    bad("customer_id", id, `has the control or invisible character U+${code} at position ${invisible.index + 1}`);
  }
  if (FORMULA_START.test(id))
    bad("customer_id", id, `starts with ${JSON.stringify(id[0])}, which spreadsheets run as a formula`);
  if ([...id].length > MAX_ID_LENGTH) bad("customer_id", id, `is longer than ${MAX_ID_LENGTH} characters`);
  return id;
}

/** Checks a header (column names in file order); returns whether the optional truth column is there. */
function checkHeader(header: readonly string[], where: FoodProblemLocation): boolean {
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!NAMES.includes(name))
      throw new FoodValidationError(
        { ...where, column: `${i + 1}`, value: name },
        `is not a food-delivery column (expected ${NAMES.join(", ")}; docs/data.md)`,
      );
    if (seen.has(name)) throw new FoodValidationError({ ...where, column: name }, "appears twice in the header");
    seen.add(name);
  });
  for (const name of REQUIRED)
    if (!seen.has(name)) throw new FoodValidationError({ ...where, column: name }, "is missing from the header");
  return seen.has("true_churn_prob");
}

/** Whole-file checks after the last row: duplicates are caught per row; here, both classes in trainable numbers. */
function checkTrainable(file: string, rows: number, churned: number, minPerClass: number): void {
  if (rows === 0) throw new FoodValidationError({ file }, "has no customer rows, only the header");
  const stayed = rows - churned;
  if (churned === 0 || stayed === 0)
    throw new FoodValidationError(
      { file, column: "churned" },
      `all ${rows} customers have churned ${churned === 0 ? 0 : 1}: a churn model needs customers who left and customers who stayed`,
    );
  if (Math.min(churned, stayed) < minPerClass)
    throw new FoodValidationError(
      { file, column: "churned" },
      `only ${churned} customers with churned 1 and ${stayed} with 0: training needs at least ${minPerClass} of each`,
    );
}

interface Located {
  record: FoodRecord;
  /** CSV line or Arrow row (1-based) */
  at: number;
}

/** The file's bytes as a stream, hashed on the way through. */
function hashedStream(path: string, hash: Hash): Transform {
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return createReadStream(path).pipe(through);
}

async function* csvRecords(path: string, file: string, hash: Hash): AsyncGenerator<Located> {
  const parser = hashedStream(path, hash).pipe(parse({ bom: true, info: true, relax_column_count: true }));
  let header: string[] | undefined;
  let hasTruth = false;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines;
      if (!header) {
        header = record;
        hasTruth = checkHeader(header, { file, line: 1 });
        continue;
      }
      const line = info.lines;
      if (record.length === 1 && record[0] === "")
        throw new FoodValidationError({ file, line }, `blank line (expected ${header.length} fields)`);
      if (record.length !== header.length)
        throw new FoodValidationError(
          { file, line, column: header[Math.min(record.length, header.length - 1)] },
          `row has ${record.length} fields, the header ${header.length}${record.length < header.length ? " (truncated file?)" : ""}`,
        );
      const bad: Bad = (column, value, problem) => {
        throw new FoodValidationError({ file, line, column, value: text(value) }, problem);
      };
      const index = new Map(header.map((name, i) => [name, i]));
      yield { record: toRecord((name) => record[index.get(name)!], bad, hasTruth), at: line };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const problem =
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? "quote opened here is never closed (truncated file?)"
        : `is malformed CSV (${error.message})`;
    throw new FoodValidationError({ file, line: lastLine + 1 }, problem);
  }
  if (!header) throw new FoodValidationError({ file }, `empty file (expected the header ${REQUIRED.join(",")})`);
}

async function* arrowRecords(path: string, file: string, hash: Hash): AsyncGenerator<Located> {
  const input = hashedStream(path, hash);
  let reader: RecordBatchReader;
  try {
    reader = await (await RecordBatchReader.from(input)).open();
  } catch (error) {
    throw new FoodValidationError({ file }, `is not an Arrow IPC file (${(error as Error).message})`);
  }
  const header = reader.schema.fields.map((f) => f.name);
  const hasTruth = checkHeader(header, { file });
  let row = 0;
  try {
    for await (const batch of reader) {
      const columns = new Map(header.map((name) => [name, batch.getChild(name)!]));
      for (let i = 0; i < batch.numRows; i++) {
        row++;
        const at = row;
        const bad: Bad = (column, value, problem) => {
          throw new FoodValidationError({ file, row: at, column, value: text(value) }, problem);
        };
        yield { record: toRecord((name) => columns.get(name)?.get(i) as Raw, bad, hasTruth), at };
      }
    }
  } catch (error) {
    if (error instanceof FoodValidationError) throw error;
    throw new FoodValidationError({ file, row: row + 1 }, `cannot be read (${(error as Error).message})`);
  }
}

export interface FoodFileOptions {
  /** fewest customers of each class (default MIN_FOOD_ROWS_PER_CLASS) */
  minRowsPerClass?: number;
}

/**
 * The user's file as a food source. Each pass reads and validates the whole file; the first pass also checks that
 * ids are unique and both classes trainable, every later pass that the bytes are the ones the first pass read.
 */
export function fileSource(
  path: string,
  { minRowsPerClass = MIN_FOOD_ROWS_PER_CLASS }: FoodFileOptions = {},
): FoodSource {
  const file = basename(path);
  let firstHash: string | undefined;
  const arrow = [".arrow", ".arrows", ".feather", ".ipc"].includes(extname(path).toLowerCase());
  return {
    name: path,
    generated: false,
    async *batches(size: number) {
      if (!existsSync(path) || !statSync(path).isFile())
        throw new FoodValidationError({ file: path }, "does not exist or is not a file (FOOD_CSV)");
      const hash = createHash("sha256");
      const first = firstHash === undefined;
      const seen = first ? new Map<string, number>() : undefined;
      let rows = 0;
      let churned = 0;
      let batch: FoodRecord[] = [];
      for await (const { record, at } of (arrow ? arrowRecords : csvRecords)(path, file, hash)) {
        if (seen) {
          const before = seen.get(record.customer_id);
          if (before !== undefined)
            throw new FoodValidationError(
              { file, ...(arrow ? { row: at } : { line: at }), column: "customer_id", value: record.customer_id },
              `duplicates the customer_id of ${arrow ? "row" : "line"} ${before}`,
            );
          seen.set(record.customer_id, at);
        }
        rows++;
        churned += record.churned;
        batch.push(record);
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
      const digest = hash.digest("hex");
      if (first) {
        checkTrainable(file, rows, churned, minRowsPerClass);
        firstHash = digest;
      } else if (digest !== firstHash) {
        throw new FoodValidationError(
          { file },
          "changed while the pipeline was reading it (its sha256 differs between passes)",
        );
      }
      if (batch.length > 0) yield batch;
    },
  };
}
