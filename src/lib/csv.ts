/**
 * CSV for every download on the site (chart data, targeting lists): RFC 4180 quoting, CRLF line ends, and
 * spreadsheet formula injection defused (OWASP's CSV-injection guidance). No DOM, no dependencies: the pipeline, the
 * pages and the tests share it.
 */

// OWASP CSV injection: a cell starting with = + - @ tab or CR is a formula to Excel, LibreOffice and Sheets; leading
// spaces are trimmed by some importers, so they do not hide the sign.
const FORMULA_START = /^[ ]*[=+\-@\t\r]/;
// A plain decimal written as text ("-1.5") is a number to a spreadsheet, never a formula: it keeps its value.
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
// Quoted when it holds a quote, a line end, or a separator of any locale (comma, semicolon, tab): unquoted, ";=cmd|…"
// would start a new cell whose text begins with "=" when a semicolon-locale spreadsheet opens the file.
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One CSV field. Numbers are written as numbers (negative ones included); any other value whose text starts like a
 * formula gets a leading `'` so spreadsheets show it as text, and fields with a quote, line end or separator are quoted.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (typeof value !== "bigint" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
