/** Where a Telco input problem is: the file (or URL), and when known the 1-based line, the column and the raw value. */
export interface TelcoProblemLocation {
  file: string;
  line?: number;
  column?: string;
  value?: string;
}

/**
 * The one error bad Telco input raises. The message reads
 * `Telco-Customer-Churn.csv line 17, column MonthlyCharges: "abc" is not a number`.
 */
export class TelcoValidationError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;

  constructor({ file, line, column, value }: TelcoProblemLocation, problem: string) {
    const where = [file, line === undefined ? "" : ` line ${line}`, column === undefined ? "" : `, column ${column}`];
    super(`${where.join("")}: ${value === undefined ? "" : `${shownValue(value)} `}${problem}`);
    this.name = "TelcoValidationError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }
}

// Longest part of a bad value an error repeats: a 400-digit charge or a megabyte-long field is named, not pasted.
const MAX_SHOWN = 80;

/**
 * A raw value as an error shows it: JSON-quoted, with every control, format (bidi override, zero-width) or other
 * invisible character written as its \u escape so the message cannot reorder or hide text in a terminal, and cut to
 * 80 characters with the full length stated.
 */
export function shownValue(value: string): string {
  const cut = [...value.slice(0, MAX_SHOWN + 1)].slice(0, MAX_SHOWN).join("");
  const quoted = JSON.stringify(cut).replace(/[\p{C}\p{Zl}\p{Zp}]/gu, (c) => {
    const hex = c.codePointAt(0)!.toString(16).toUpperCase();
    return hex.length <= 4 ? `\\u${hex.padStart(4, "0")}` : `\\u{${hex}}`;
  });
  return cut.length < value.length ? `${quoted.slice(0, -1)}…" (${value.length} characters)` : quoted;
}
