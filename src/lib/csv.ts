/**
 * CSV for every download on the site (chart data, targeting lists): RFC 4180 quoting, CRLF line ends, and
 * spreadsheet formula injection defused. No DOM, no dependencies: the pipeline, the pages and the tests share it.
 */

/** One CSV field: quoted when needed; a leading =, +, - or @ is defused so spreadsheets never run it as a formula. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV column: its header and how to read it from a row. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/** A CSV document (header row, then one line per row, CRLF line ends as in RFC 4180). */
export function toCsv<T>(rows: Iterable<T>, columns: CsvColumn<T>[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(","));
  return lines.join("\r\n") + "\r\n";
}

/**
 * Plain records as CSV: the columns given, else the keys of the first record (in order). Dates become ISO
 * strings, arrays are joined with "; ", other objects are written as JSON.
 */
export function recordsToCsv(records: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const keys = columns ?? (records.length ? Object.keys(records[0]) : []);
  if (keys.length === 0) throw new Error("recordsToCsv: no columns (no records and no column list)");
  const cell = (v: unknown) =>
    v instanceof Date
      ? v.toISOString()
      : Array.isArray(v)
        ? v.join("; ")
        : typeof v === "bigint"
          ? Number(v)
          : v !== null && typeof v === "object"
            ? JSON.stringify(v)
            : v;
  return toCsv(
    records,
    keys.map((k) => ({ header: k, value: (r: Record<string, unknown>) => cell(r[k]) })),
  );
}
