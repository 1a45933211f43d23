// The IBM Telco data set's schema: the source header, the output (snake_case) names and every allowed category.
import { TELCO_CATEGORIES } from "../../src/lib/features.js";

/** The 21 source columns, exactly as (and in the order) the IBM CSV header has them. */
export const TELCO_HEADER = [
  "customerID",
  "gender",
  "SeniorCitizen",
  "Partner",
  "Dependents",
  "tenure",
  "PhoneService",
  "MultipleLines",
  "InternetService",
  "OnlineSecurity",
  "OnlineBackup",
  "DeviceProtection",
  "TechSupport",
  "StreamingTV",
  "StreamingMovies",
  "Contract",
  "PaperlessBilling",
  "PaymentMethod",
  "MonthlyCharges",
  "TotalCharges",
  "Churn",
] as const;

export type TelcoSourceColumn = (typeof TELCO_HEADER)[number];

// The category lists live in the shared feature spec (src/lib/features.ts), so that the ingest validates against
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

/** Output column names in the contract's order (total_charges_blank follows total_charges). */
export const TELCO_COLUMNS = [
  "customer_id",
  "gender",
  "senior_citizen",
  "partner",
  "dependents",
  "tenure",
  "phone_service",
  "multiple_lines",
  "internet_service",
  "online_security",
  "online_backup",
  "device_protection",
  "tech_support",
  "streaming_tv",
  "streaming_movies",
  "contract",
  "paperless_billing",
  "payment_method",
  "monthly_charges",
  "total_charges",
  "total_charges_blank",
  "churn",
] as const satisfies readonly (keyof TelcoRecord)[];

/** Source column → output column, for the columns that are a plain category check after renaming. */
export const TELCO_CATEGORICAL_SOURCE: Readonly<
  Record<Exclude<TelcoCategoricalColumn, "senior_citizen">, TelcoSourceColumn>
> = {
  gender: "gender",
  partner: "Partner",
  dependents: "Dependents",
  phone_service: "PhoneService",
  multiple_lines: "MultipleLines",
  internet_service: "InternetService",
  online_security: "OnlineSecurity",
  online_backup: "OnlineBackup",
  device_protection: "DeviceProtection",
  tech_support: "TechSupport",
  streaming_tv: "StreamingTV",
  streaming_movies: "StreamingMovies",
  contract: "Contract",
  paperless_billing: "PaperlessBilling",
  payment_method: "PaymentMethod",
};
