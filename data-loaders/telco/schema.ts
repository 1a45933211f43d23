// The IBM Telco data set's schema for the ingest, derived from the column table (src/lib/columns.ts): the source
// header, the output (snake_case) names and every allowed category.
import { TELCO_CATEGORIES, TELCO_COLUMNS as TELCO_TABLE } from "../../src/lib/columns.js";

/** The columns that come from the IBM file, in the file's order (the column table lists them so). */
const SOURCED = TELCO_TABLE.filter((c): c is typeof c & { source: string } => "source" in c && Boolean(c.source));

/** The 21 source columns, exactly as (and in the order) the IBM CSV header has them. */
export const TELCO_HEADER: readonly string[] = SOURCED.map((c) => c.source);

export type TelcoSourceColumn = string;

// The category lists live in the column table (src/lib/columns.ts), so that the ingest validates against
// exactly what the encoder one-hots; re-exported here for the data-loader side.
export { TELCO_CATEGORIES };

export type TelcoCategoricalColumn = keyof typeof TELCO_CATEGORIES;
type Category<K extends TelcoCategoricalColumn> = (typeof TELCO_CATEGORIES)[K][number];

/** One validated Telco customer, with the output (snake_case) names of docs/architecture.md. */
export type TelcoRecord = { customer_id: string } & { [K in TelcoCategoricalColumn]: Category<K> } & {
  tenure: number;
  monthly_charges: number;
  /** 0 when the source is blank (tenure 0: not billed yet); see total_charges_blank. */
  total_charges: number;
  total_charges_blank: boolean;
  churn: 0 | 1;
};

/** Output column names in the contract's order: the IBM columns renamed, with total_charges_blank after total_charges. */
export const TELCO_COLUMNS = TELCO_TABLE.filter((c) => "source" in c || c.role === "quality").map(
  (c) => c.name,
) as readonly (keyof TelcoRecord)[];

/** Source column → output column, for the columns that are a plain category check after renaming. */
export const TELCO_CATEGORICAL_SOURCE = Object.fromEntries(
  SOURCED.filter((c) => c.name in TELCO_CATEGORIES && c.name !== "senior_citizen").map((c) => [c.name, c.source]),
) as Readonly<Record<Exclude<TelcoCategoricalColumn, "senior_citizen">, TelcoSourceColumn>>;
