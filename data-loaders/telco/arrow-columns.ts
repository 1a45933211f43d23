import type { ArrowColumns } from "../arrow.js";
import type { EnrichedTelcoRecord } from "./enrich.js";
import type { TelcoRecord } from "./schema.js";

/** Arrow types of the real Telco columns, in the contract's order. */
export const TELCO_ARROW_COLUMNS = [
  ["customer_id", "utf8"],
  ["gender", "utf8"],
  ["senior_citizen", "utf8"],
  ["partner", "utf8"],
  ["dependents", "utf8"],
  ["tenure", "int32"],
  ["phone_service", "utf8"],
  ["multiple_lines", "utf8"],
  ["internet_service", "utf8"],
  ["online_security", "utf8"],
  ["online_backup", "utf8"],
  ["device_protection", "utf8"],
  ["tech_support", "utf8"],
  ["streaming_tv", "utf8"],
  ["streaming_movies", "utf8"],
  ["contract", "utf8"],
  ["paperless_billing", "utf8"],
  ["payment_method", "utf8"],
  ["monthly_charges", "float64"],
  ["total_charges", "float64"],
  ["total_charges_blank", "bool"],
  ["churn", "int32"],
] as const satisfies ArrowColumns<TelcoRecord>;

/** Arrow types of the real and simulated Telco columns (the pipeline appends its scores after these). */
export const ENRICHED_TELCO_ARROW_COLUMNS = [
  ...TELCO_ARROW_COLUMNS,
  ["persona", "utf8"],
  ["subscription_type", "utf8"],
  ["plan_duration_months", "int32"],
  ["usage_frequency", "int32"],
  ["payment_delay_days", "int32"],
  ["support_calls", "int32"],
  ["churn_history", "int32"],
  ["ab_variant", "utf8"],
  ["true_retain_prob", "float64"],
  ["churn_if_control", "int32"],
  ["churn_if_treated", "int32"],
  ["churn_observed", "int32"],
  ["true_effect", "int32"],
] as const satisfies ArrowColumns<EnrichedTelcoRecord>;
