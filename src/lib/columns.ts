/**
 * The column table of each data set: one row per column, the single source for the ingest's header and categories,
 * the Arrow schema of the published tables, the model's feature spec (src/lib/features.ts), the what-if form, the
 * labels people read on every chart and table, and the data dictionary in docs/data.md (scripts/docs-data.ts writes
 * it; a test fails when it drifts). Browser-safe: no Node imports.
 *
 * Roles: `id` identifies a customer, `label` is the outcome the model learns, `feature` is a model input, `simulated`
 * is made by the seeded enrichment, `value` is money per customer, `variant` is the A/B arm, `truth` is known only
 * because the data are simulated (never shown as if observed), `quality` records something about the source file.
 * Only display text (label, unit, description) may change without retraining: the model's cache key covers the
 * encoded data and its layout, not this file (data-loaders/model-cache.ts).
 */

export type ArrowType = "utf8" | "float64" | "int32" | "bool";
export type ColumnRole = "id" | "label" | "feature" | "simulated" | "value" | "variant" | "truth" | "quality";

/** How a feature enters the model (src/lib/features.ts encodes it). */
export type Encoding =
  | { kind: "numeric"; min: number; max: number; integer?: boolean }
  | { kind: "binary"; positive: string; negative: string }
  | { kind: "ordinal"; levels: readonly string[] }
  | { kind: "categorical"; categories: readonly (string | number)[] };

export interface Column {
  /** snake_case name in every published table and CSV header */
  name: string;
  /** the header in the source file (Telco CSV), when the column comes from one */
  source?: string;
  type: ArrowType;
  role: ColumnRole;
  /** what people read: "Monthly charges", never `monthly_charges` */
  label: string;
  /** unit for axes and values: "months", "USD", "₹" */
  unit?: string;
  description: string;
  /** for features: how the model encodes it */
  encoding?: Encoding;
}

const YES_NO = ["No", "Yes"] as const;
const NO_INTERNET = ["No", "Yes", "No internet service"] as const;

/** Allowed values of every categorical Telco column (senior_citizen after its 0/1 → No/Yes mapping). */
export const TELCO_CATEGORIES = {
  gender: ["Female", "Male"],
  senior_citizen: YES_NO,
  partner: YES_NO,
  dependents: YES_NO,
  phone_service: YES_NO,
  multiple_lines: ["No", "Yes", "No phone service"],
  internet_service: ["DSL", "Fiber optic", "No"],
  online_security: NO_INTERNET,
  online_backup: NO_INTERNET,
  device_protection: NO_INTERNET,
  tech_support: NO_INTERNET,
  streaming_tv: NO_INTERNET,
  streaming_movies: NO_INTERNET,
  contract: ["Month-to-month", "One year", "Two year"],
  paperless_billing: YES_NO,
  payment_method: ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"],
} as const;

/** Category lists of the synthetic food-delivery columns; the generator draws from these. */
export const FOOD_CATEGORIES = {
  membership: ["None", "Gold", "Platinum"],
  payment_method: ["UPI", "Card", "Wallet", "Cash on delivery"],
  city_tier: [1, 2, 3],
} as const;

type TelcoCategorical = keyof typeof TELCO_CATEGORIES;

/** A column whose name and type stay literal types (so the artifact contract can derive row types). */
type Named<N extends string, T extends ArrowType> = Column & { name: N; type: T };

const yesNo = <N extends string>(name: N, source: string, label: string, description: string): Named<N, "utf8"> => ({
  name,
  source,
  type: "utf8",
  role: "feature",
  label,
  description,
  encoding: { kind: "binary", positive: "Yes", negative: "No" },
});
const telcoCategorical = <N extends TelcoCategorical>(
  name: N,
  source: string,
  label: string,
  description: string,
): Named<N, "utf8"> => ({
  name,
  source,
  type: "utf8",
  role: "feature",
  label,
  description,
  encoding: { kind: "categorical", categories: TELCO_CATEGORIES[name] },
});
const simulated = <N extends string, T extends ArrowType>(
  name: N,
  type: T,
  label: string,
  description: string,
  unit?: string,
): Named<N, T> => ({
  name,
  type,
  role: "simulated",
  label,
  description,
  ...(unit ? { unit } : {}),
});
const truth = <N extends string, T extends ArrowType>(
  name: N,
  type: T,
  label: string,
  description: string,
): Named<N, T> => ({
  name,
  type,
  role: "truth",
  label,
  description,
});

/** The enriched Telco table: the 21 IBM columns (renamed), then the seeded simulation (docs/data.md). */
export const TELCO_COLUMNS = [
  {
    name: "customer_id",
    source: "customerID",
    type: "utf8",
    role: "id",
    label: "Customer ID",
    description: "IBM `customerID`, unique",
  },
  {
    name: "gender",
    source: "gender",
    type: "utf8",
    role: "feature",
    label: "Gender",
    description: "customer's gender (encoded 1 = Male)",
    encoding: { kind: "binary", positive: "Male", negative: "Female" },
  },
  yesNo("senior_citizen", "SeniorCitizen", "Senior citizen", "65 or older (source 1/0)"),
  yesNo("partner", "Partner", "Partner", "has a partner"),
  yesNo("dependents", "Dependents", "Dependants", "has dependants"),
  {
    name: "tenure",
    source: "tenure",
    type: "int32",
    role: "feature",
    label: "Tenure",
    unit: "months",
    description: "months with the company",
    encoding: { kind: "numeric", min: 0, max: 72, integer: true },
  },
  yesNo("phone_service", "PhoneService", "Phone service", "has a phone line"),
  telcoCategorical("multiple_lines", "MultipleLines", "Multiple lines", "more than one phone line"),
  telcoCategorical("internet_service", "InternetService", "Internet service", "internet technology"),
  telcoCategorical("online_security", "OnlineSecurity", "Online security", "online security add-on"),
  telcoCategorical("online_backup", "OnlineBackup", "Online backup", "online backup add-on"),
  telcoCategorical("device_protection", "DeviceProtection", "Device protection", "device protection add-on"),
  telcoCategorical("tech_support", "TechSupport", "Tech support", "tech support add-on"),
  telcoCategorical("streaming_tv", "StreamingTV", "Streaming TV", "streaming TV add-on"),
  telcoCategorical("streaming_movies", "StreamingMovies", "Streaming movies", "streaming movies add-on"),
  {
    name: "contract",
    source: "Contract",
    type: "utf8",
    role: "feature",
    label: "Contract",
    description: "contract term",
    encoding: { kind: "ordinal", levels: TELCO_CATEGORIES.contract },
  },
  yesNo("paperless_billing", "PaperlessBilling", "Paperless billing", "paperless billing"),
  telcoCategorical("payment_method", "PaymentMethod", "Payment method", "payment method"),
  {
    name: "monthly_charges",
    source: "MonthlyCharges",
    type: "float64",
    role: "feature",
    label: "Monthly charges",
    unit: "USD",
    description: "current monthly bill",
    encoding: { kind: "numeric", min: 18, max: 120 },
  },
  {
    name: "total_charges",
    source: "TotalCharges",
    type: "float64",
    role: "feature",
    label: "Total charges",
    unit: "USD",
    description: "total billed so far (0 = not billed yet)",
    encoding: { kind: "numeric", min: 0, max: 9000 },
  },
  {
    name: "total_charges_blank",
    type: "bool",
    role: "quality",
    label: "Total charges blank in the source",
    description: "the source `TotalCharges` was blank (11 customers, all tenure 0)",
  },
  {
    name: "churn",
    source: "Churn",
    type: "int32",
    role: "label",
    label: "Churned",
    description: "1 = left within the last month",
  },
  simulated("persona", "utf8", "Persona", "rule-based segment from the real columns"),
  simulated("subscription_type", "utf8", "Subscription", "Basic / Standard / Premium, from charges and add-ons"),
  simulated("plan_duration_months", "int32", "Plan duration", "1 / 12 / 24 by contract", "months"),
  simulated("usage_frequency", "int32", "App sessions", "app sessions in the last month", "sessions a month"),
  simulated("payment_delay_days", "int32", "Payment delay", "days late on the last bill", "days"),
  simulated("support_calls", "int32", "Support calls", "calls to support in the last 90 days", "calls"),
  simulated("churn_history", "int32", "Earlier cancellations", "earlier cancellations (win-backs)"),
  {
    name: "ab_variant",
    type: "utf8",
    role: "variant",
    label: "A/B variant",
    description: "A = control, B = retention offer (stratified by contract × persona)",
  },
  truth("true_retain_prob", "float64", "True retention chance", "chance the offer keeps a would-be churner"),
  truth("churn_if_control", "int32", "Churn without the offer", "potential outcome without treatment"),
  truth("churn_if_treated", "int32", "Churn with the offer", "potential outcome with treatment"),
  simulated("churn_observed", "int32", "Churned in the test", "the potential outcome of the customer's own variant"),
  truth("true_effect", "int32", "True effect of the offer", "−1 = retained by the offer, else 0"),
] as const satisfies readonly Column[];

const foodNumeric = <N extends string, T extends "int32" | "float64">(
  name: N,
  type: T,
  label: string,
  description: string,
  min: number,
  max: number,
  unit?: string,
): Named<N, T> => ({
  name,
  type,
  role: "feature",
  label,
  description,
  ...(unit ? { unit } : {}),
  encoding: { kind: "numeric", min, max, ...(type === "int32" ? { integer: true } : {}) },
});

/** The synthetic food-delivery table (data-loaders/food/generate.ts). */
export const FOOD_COLUMNS = [
  {
    name: "customer_id",
    type: "utf8",
    role: "id",
    label: "Customer ID",
    description: "`FD` + 7-digit row number",
  },
  foodNumeric("tenure_months", "int32", "Tenure", "months since the first order", 0, 120, "months"),
  foodNumeric("recency_days", "int32", "Days since last order", "days since the last order", 0, 365, "days"),
  foodNumeric("order_frequency", "float64", "Orders a month", "orders per month", 0, 60),
  foodNumeric("avg_order_value", "float64", "Average order value", "average basket value", 0, 10000, "₹"),
  foodNumeric("support_tickets", "int32", "Support tickets", "support tickets raised", 0, 50),
  {
    name: "membership",
    type: "utf8",
    role: "feature",
    label: "Membership",
    description: "loyalty tier",
    encoding: { kind: "categorical", categories: FOOD_CATEGORIES.membership },
  },
  {
    name: "payment_method",
    type: "utf8",
    role: "feature",
    label: "Payment method",
    description: "usual payment method",
    encoding: { kind: "categorical", categories: FOOD_CATEGORIES.payment_method },
  },
  foodNumeric("delivery_delay_min", "float64", "Delivery delay", "average delivery delay", 0, 240, "minutes"),
  foodNumeric("coupon_usage_rate", "float64", "Coupon use", "share of orders with a coupon", 0, 1),
  {
    name: "city_tier",
    type: "int32",
    role: "feature",
    label: "City tier",
    description: "city size tier (1 = metro)",
    encoding: { kind: "categorical", categories: FOOD_CATEGORIES.city_tier },
  },
  {
    name: "ltv",
    type: "float64",
    role: "value",
    label: "Lifetime value",
    unit: "₹",
    description: "margin over the expected lifetime, from observables only",
  },
  truth("true_churn_prob", "float64", "True churn probability", "the generator's churn probability"),
  { name: "churned", type: "int32", role: "label", label: "Churned", description: "1 = no order in the next 60 days" },
] as const satisfies readonly Column[];

/** The per-customer scores the pipeline appends to each data set's table. */
export const SCORE_COLUMNS = [
  {
    name: "probability",
    type: "float64",
    role: "simulated",
    label: "Churn probability (final model)",
    description: "calibrated probability from the final model (in-sample for development rows)",
  },
  {
    name: "oof_probability",
    type: "float64",
    role: "simulated",
    label: "Churn probability (cross-fitted)",
    description: "calibrated out-of-fold probability: each customer scored by a model that never saw them",
  },
  {
    name: "oof_uncalibrated",
    type: "float64",
    role: "simulated",
    label: "Uncalibrated score",
    description: "the same out-of-fold boosters without recalibration",
  },
  {
    name: "oof_logistic",
    type: "float64",
    role: "simulated",
    label: "Logistic baseline score",
    description: "the fair logistic baseline (log1p of the columns models/recipes.ts names), out-of-fold",
  },
  { name: "risk_tier", type: "utf8", role: "simulated", label: "Risk tier", description: "low / medium / high" },
  { name: "split", type: "utf8", role: "simulated", label: "Split", description: "dev (fitted on) or test (held out)" },
  { name: "driver_1", type: "utf8", role: "simulated", label: "Top driver", description: "feature raising risk most" },
  { name: "driver_2", type: "utf8", role: "simulated", label: "Second driver", description: "second such feature" },
  { name: "driver_3", type: "utf8", role: "simulated", label: "Third driver", description: "third such feature" },
] as const satisfies readonly Column[];

export type DatasetName = "telco" | "food";

const TABLES: Record<DatasetName, readonly Column[]> = { telco: TELCO_COLUMNS, food: FOOD_COLUMNS };

/** The column table of a data set. */
export function columnsOf(dataset: DatasetName): readonly Column[] {
  const table = TABLES[dataset];
  if (!table) throw new Error(`unknown data set: ${dataset}`);
  return table;
}

const LABELS = new Map<string, Column>(
  (["telco", "food"] as const).flatMap((d) => [...TABLES[d], ...SCORE_COLUMNS].map((c) => [`${d}:${c.name}`, c])),
);

/**
 * What people read for a column or an encoded feature name: "Monthly charges", "Contract = Two year" for a one-hot
 * column `contract=Two year`. An unknown name is returned as words ("days_late" → "Days late"), never snake_case.
 */
export function labelOf(dataset: DatasetName, name: string): string {
  const eq = name.indexOf("=");
  if (eq > 0) return `${labelOf(dataset, name.slice(0, eq))} = ${name.slice(eq + 1)}`;
  return LABELS.get(`${dataset}:${name}`)?.label ?? words(name);
}

/** A snake_case name as words: "days_late" → "Days late" (for names no column table holds). */
export function words(name: string): string {
  const text = name.replace(/_/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
