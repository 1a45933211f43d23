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
    super(`${where.join("")}: ${value === undefined ? "" : `${JSON.stringify(value)} `}${problem}`);
    this.name = "TelcoValidationError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }
}
