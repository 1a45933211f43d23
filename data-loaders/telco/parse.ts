import { CsvError, parse } from "csv-parse/sync";
import { shownValue, TelcoValidationError } from "./errors.js";
import {
  TELCO_CATEGORICAL_SOURCE,
  TELCO_CATEGORIES,
  TELCO_COLUMNS,
  TELCO_HEADER,
  type TelcoRecord,
  type TelcoSourceColumn,
} from "./schema.js";

const N = TELCO_HEADER.length;
const NUMBER = /^-?\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;
const MAX_TENURE = 100;
// Upper bounds from the domain, far above the IBM data (monthly 18.25-118.75 $, total at most 8,684.80 $) yet far
// below what breaks arithmetic: 1e12 or 400 nines (Infinity) are typing or export errors, refused at their cell.
/** Largest MonthlyCharges accepted ($ a month). */
export const MAX_MONTHLY_CHARGES = 1_000;
/** Largest TotalCharges accepted ($): the largest monthly charge for the longest tenure. */
export const MAX_TOTAL_CHARGES = MAX_TENURE * MAX_MONTHLY_CHARGES;
/** Longest customerID accepted (the IBM IDs have 10 characters). */
export const MAX_ID_LENGTH = 64;
/**
 * Fewest customers of each class (churned, stayed) a training set may have. The model is cross-validated in stratified
 * folds with inner folds for calibration, and the recipe's grid holds trees with min_child_weight 20: with too few
 * customers some fold's trees cannot split, every margin is equal and Platt scaling fails ("singular Hessian") far
 * from the data. Measured on IBM subsets: 150 of each failed, 200 of each trained (three seeds and subsets).
 */
export const MIN_ROWS_PER_CLASS = 200;
// Characters a spreadsheet or a terminal acts on: controls (NUL included), format characters (bidi overrides such as
// U+202E, zero-width joiners), line and paragraph separators, private-use and unassigned code points.
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;
// A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP CSV injection).
const FORMULA_START = /^[=+\-@]/;

const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Parses and strictly validates the Telco CSV; the first problem found throws one TelcoValidationError. */
export function parseTelcoCsv(input: Uint8Array | string, file: string): TelcoRecord[] {
  const rows = tokenize(input, file);
  if (rows.length === 0)
    throw new TelcoValidationError({ file }, `empty file (expected the header ${TELCO_HEADER.join(",")})`);
  checkHeader(rows[0].fields, file);
  if (rows.length === 1) {
    throw new TelcoValidationError({ file }, "has no customer rows, only the header (a truncated or empty export?)");
  }
  const records: TelcoRecord[] = [];
  const seen = new Map<string, number>();
  for (const { fields, line } of rows.slice(1)) {
    checkFieldCount(fields, file, line);
    const record = toRecord(fields, file, line);
    const first = seen.get(record.customer_id);
    if (first !== undefined)
      fail(file, line, "customerID", record.customer_id, `duplicates the customerID on line ${first}`);
    seen.set(record.customer_id, line);
    records.push(record);
  }
  return records;
}

interface Row {
  fields: string[];
  line: number;
}

function tokenize(input: Uint8Array | string, file: string): Row[] {
  let lastLine = 0; // the line the last complete record ended on: a quote left open starts on the next one
  try {
    const parsed = parse(input, {
      bom: true,
      info: true,
      relax_column_count: true, // field counts are checked here, to name the missing column
      on_record: (record, context) => {
        lastLine = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const rows = parsed.map(({ record, info }) => ({ fields: record, line: info.lines }));
    // A blank line at the very end (an editor's extra newline) is not a record; anywhere else it is a bad row.
    while (rows.length > 1 && rows[rows.length - 1].fields.length === 1 && rows[rows.length - 1].fields[0] === "") {
      rows.pop();
    }
    return rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = lastLine + 1;
    const field = (error as CsvError & { column?: number }).column;
    const column = field === undefined ? undefined : (TELCO_HEADER[field] ?? `${field + 1}`);
    const problem =
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? "quote opened here is never closed (truncated file?)"
        : `is malformed CSV (${error.message})`;
    throw new TelcoValidationError({ file, line, column }, problem);
  }
}

function checkHeader(header: string[], file: string): void {
  const where = { file, line: 1 };
  for (let i = 0; i < Math.max(header.length, N); i++) {
    const expected: TelcoSourceColumn | undefined = TELCO_HEADER[i];
    const found: string | undefined = header[i];
    if (found === expected) continue;
    const counts = `(header has ${plural(header.length, "column")}, expected ${N})`;
    if (expected !== undefined && !header.includes(expected)) {
      throw new TelcoValidationError({ ...where, column: expected }, `missing from the header ${counts}`);
    }
    if (!(TELCO_HEADER as readonly string[]).includes(found)) {
      throw new TelcoValidationError({ ...where, column: `${i + 1}`, value: found }, `is not a Telco column ${counts}`);
    }
    throw new TelcoValidationError(
      { ...where, column: `${i + 1}`, value: found },
      `is out of order: column ${i + 1} must be ${JSON.stringify(expected)}`,
    );
  }
}

function checkFieldCount(fields: string[], file: string, line: number): void {
  if (fields.length === 1 && fields[0] === "") {
    throw new TelcoValidationError({ file, line }, `blank line (expected ${N} fields)`);
  }
  if (fields.length < N) {
    throw new TelcoValidationError(
      { file, line, column: TELCO_HEADER[fields.length] },
      `missing (row has ${plural(fields.length, "field")}, expected ${N}; truncated file?)`,
    );
  }
  if (fields.length > N) {
    throw new TelcoValidationError(
      { file, line, column: `${N + 1}`, value: fields[N] },
      `is an extra field (row has ${fields.length} fields, expected ${N})`,
    );
  }
}

function fail(file: string, line: number, column: TelcoSourceColumn, value: string, problem: string): never {
  throw new TelcoValidationError({ file, line, column }, `${shownValue(value)} ${problem}`);
}

function toRecord(fields: string[], file: string, line: number): TelcoRecord {
  const raw = Object.fromEntries(TELCO_HEADER.map((name, i) => [name, fields[i]])) as Record<TelcoSourceColumn, string>;
  const bad = (column: TelcoSourceColumn, problem: string) => fail(file, line, column, raw[column], problem);

  const customerId = raw.customerID;
  if (customerId.trim() === "") bad("customerID", "is empty");
  if (customerId !== customerId.trim()) bad("customerID", "has leading or trailing spaces");
  const invisible = INVISIBLE.exec(customerId);
  if (invisible) {
    const code = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    bad("customerID", `has the control or invisible character U+${code} at position ${invisible.index + 1}`);
  }
  if (FORMULA_START.test(customerId)) {
    bad("customerID", `starts with ${JSON.stringify(customerId[0])}, which spreadsheets run as a formula`);
  }
  if ([...customerId].length > MAX_ID_LENGTH) bad("customerID", `is longer than ${MAX_ID_LENGTH} characters`);

  const senior = raw.SeniorCitizen;
  if (senior !== "0" && senior !== "1") bad("SeniorCitizen", `is not one of ${list(["0", "1"])}`);

  const categories = Object.fromEntries(
    Object.entries(TELCO_CATEGORICAL_SOURCE).map(([name, source]) => {
      const allowed: readonly string[] = TELCO_CATEGORIES[name as keyof typeof TELCO_CATEGORICAL_SOURCE];
      if (!allowed.includes(raw[source])) bad(source, `is not one of ${list(allowed)}`);
      return [name, raw[source]];
    }),
  );

  if (!INTEGER.test(raw.tenure) || +raw.tenure > MAX_TENURE) bad("tenure", `is not an integer from 0 to ${MAX_TENURE}`);
  const tenure = +raw.tenure;

  const monthly = charge(raw.MonthlyCharges, MAX_MONTHLY_CHARGES, "monthly charge", (problem) =>
    bad("MonthlyCharges", problem),
  );

  // A blank TotalCharges means "not billed yet": the IBM file has it for exactly the 11 customers with tenure 0.
  const blank = raw.TotalCharges.trim() === "";
  if (blank && tenure !== 0)
    bad("TotalCharges", `is blank, which is allowed only when tenure is 0 (tenure is ${tenure})`);
  const total = blank
    ? 0
    : charge(raw.TotalCharges, MAX_TOTAL_CHARGES, "total charge", (problem) => bad("TotalCharges", problem));

  if (raw.Churn !== "Yes" && raw.Churn !== "No") bad("Churn", `is not one of ${list(["No", "Yes"])}`);

  const values: Record<string, string | number | boolean> = {
    ...categories,
    customer_id: customerId,
    senior_citizen: senior === "1" ? "Yes" : "No",
    tenure,
    monthly_charges: monthly,
    total_charges: total,
    total_charges_blank: blank,
    churn: raw.Churn === "Yes" ? 1 : 0,
  };
  // Keys in the contract's column order, so that a record prints (and serialises) like the table.
  return Object.fromEntries(TELCO_COLUMNS.map((name) => [name, values[name]])) as TelcoRecord;
}

function charge(value: string, max: number, what: string, bad: (problem: string) => never): number {
  if (!NUMBER.test(value)) bad("is not a number");
  const number = +value;
  if (number < 0) bad("is negative");
  if (!(number <= max)) bad(`is above ${max}, the largest ${what} accepted`);
  return number;
}

/**
 * Refuses a data set no churn model can be trained on, with a sentence: customers of one class only, or fewer than
 * `minPerClass` of either (then cross-validation and calibration would fail with a numerical error instead).
 */
export function checkTrainable(records: TelcoRecord[], file: string, minPerClass = MIN_ROWS_PER_CLASS): void {
  const churned = records.filter((r) => r.churn === 1).length;
  const stayed = records.length - churned;
  const n = records.length;
  if (churned === 0 || stayed === 0) {
    const only = churned === 0 ? "No" : "Yes";
    throw new TelcoValidationError(
      { file, column: "Churn" },
      `all ${plural(n, "customer")} have Churn ${JSON.stringify(only)}: a churn model needs customers who left and customers who stayed`,
    );
  }
  if (Math.min(churned, stayed) < minPerClass) {
    throw new TelcoValidationError(
      { file, column: "Churn" },
      `only ${churned} customers with Churn "Yes" and ${stayed} with "No": training needs at least ${minPerClass} of each`,
    );
  }
}
