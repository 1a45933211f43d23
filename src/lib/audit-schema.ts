/**
 * The audit trail's schema: every event a page may record, with its known, bounded fields. One module for both
 * sides: the page's client (src/lib/audit.ts) builds bodies with it, and the audit service
 * (server/audit-service.ts) refuses anything it does not accept. Browser-safe: no Node imports.
 *
 * No free text anywhere: strings are identifiers, slugs, short labels from a restricted ASCII alphabet, or
 * enumerations, so a record cannot carry an e-mail address, a card number, a sentence or control bytes, and
 * every record is valid UTF-8 by construction. Numbers are finite and bounded by their domain.
 */
import { TELCO_CATEGORIES } from "./features.js";

/** A field's type and bounds. */
export type FieldSpec =
  | { type: "int"; min: number; max: number; required?: boolean }
  | { type: "number"; min: number; max: number; required?: boolean }
  | { type: "enum"; values: readonly string[]; required?: boolean }
  | { type: "id" | "slug" | "label"; required?: boolean };

/** Customer IDs as the data sets write them (Telco "7590-VHVEG", food-delivery numbers). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/** Names made by the code: chart names, page slugs, model names ("whatif-waterfall-7590-VHVEG", "telco/customer"). */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,95}$/;
/**
 * Category values shown in filters ("Month-to-month", "Fiber optic", "Credit card (automatic)", "All personas"):
 * at most four words of letters, no digits, no "@", so no phone, card or account number and no address fits.
 */
const LABEL = /^(?=.{1,48}$)[A-Za-z][A-Za-z()+/-]*( [A-Za-z()+/-]+){0,3}$/;
/** The page path the client adds: the site's own URL paths. */
export const AUDIT_PAGE = /^(\/[A-Za-z0-9._-]{0,64}){1,4}$|^$/;
/** The client's event ID (crypto.randomUUID, or a fallback of the same alphabet): makes retries idempotent. */
const EVENT_ID = /^[A-Za-z0-9-]{16,64}$/;

const PATTERNS = { id: ID, slug: SLUG, label: LABEL } as const;

// Domain bounds shared by several events.
const probability = { type: "number", min: 0, max: 1 } as const;
const money = { type: "number", min: 0, max: 1_000_000 } as const;
const dataset = { type: "enum", values: ["telco", "food"] } as const;
const customer = { type: "id" } as const;
/** A model by its identifier (the score column, e.g. "oof_probability", or "xgboost"), not its display name. */
const model = { type: "slug" } as const;
/** The economics behind a targeting decision (src/food/retention.md sliders): what a list or threshold used. */
const economics = {
  /** the flat value of every customer (value_mode "flat"; older records: the one LTV of all) */
  ltv: money,
  coupon_cost: money,
  contact_cost: money,
  acceptance: probability,
  cost_model: { type: "enum", values: ["gift", "coupon"] },
  value_mode: { type: "enum", values: ["customer", "flat"] },
} as const;
/** How a campaign's size was chosen (src/lib/campaign.ts PolicyMode). */
const policy = { type: "enum", values: ["optimum", "manual", "budget", "contacts"] } as const;
const customers = { type: "int", min: 0, max: 100_000_000 } as const;
const budget = { type: "number", min: 0, max: 1e12 } as const;

/**
 * Every event the site records and its fields. Adding an event or a field is a change to this table, reviewed
 * like code; the service refuses everything else with 422.
 */
export const AUDIT_SCHEMA = {
  page_view: { page: { type: "slug", required: true } },
  customer_opened: { customer: { ...customer, required: true } },
  whatif_run: {
    customer: { ...customer, required: true },
    // The edited inputs (Telco what-if) and the scores before and after.
    tenure: { type: "int", min: 0, max: 120 },
    monthly_charges: { type: "number", min: 0, max: 1000 },
    contract: { type: "enum", values: TELCO_CATEGORIES.contract },
    internet_service: { type: "enum", values: TELCO_CATEGORIES.internet_service },
    payment_method: { type: "enum", values: TELCO_CATEGORIES.payment_method },
    tech_support: { type: "enum", values: TELCO_CATEGORIES.tech_support },
    online_security: { type: "enum", values: TELCO_CATEGORIES.online_security },
    paperless_billing: { type: "enum", values: TELCO_CATEGORIES.paperless_billing },
    churn_before: probability,
    churn_after: probability,
  },
  report_downloaded: {
    customer: { ...customer, required: true },
    format: { type: "enum", values: ["html", "pdf", "md", "txt"] },
  },
  list_exported: {
    rows: { type: "int", min: 0, max: 100_000_000, required: true },
    dataset,
    model,
    threshold: probability,
    policy,
    customers,
    budget,
    ...economics,
    expected_profit: { type: "number", min: -1e12, max: 1e12 },
    format: { type: "enum", values: ["csv"] },
  },
  chart_downloaded: {
    chart: { type: "slug", required: true },
    format: { type: "enum", values: ["svg", "png", "csv", "html"], required: true },
  },
  filter_changed: {
    filter: { type: "slug", required: true },
    value: { type: "label", required: true },
    dataset,
  },
  economics_changed: { dataset, ...economics },
  threshold_changed: {
    threshold: { ...probability, required: true },
    policy,
    dataset,
    model,
  },
  /** The campaign's size changed: how it is chosen and how many customers it targets. */
  policy_changed: {
    policy: { ...policy, required: true },
    customers: { ...customers, required: true },
    budget,
    contacts: customers,
    dataset,
    model,
  },
  model_selected: { model: { ...model, required: true }, dataset },
} as const satisfies Record<string, Record<string, FieldSpec>>;

/** The names of the recorded events. */
export type AuditEventName = keyof typeof AUDIT_SCHEMA;
/** An event's details: field name to value. */
export type AuditDetail = Record<string, string | number>;

/** What a page sends (POST /api/audit body). */
export interface AuditEvent {
  id: string;
  event: AuditEventName;
  page: string;
  detail: AuditDetail;
}

/** Upper bound of a valid body in bytes (nginx refuses more with 413; the service with 413 too). */
export const AUDIT_MAX_BODY = 2048;

/** The result of a validation: the event, or a sentence naming the bad value and where it is. */
export type Checked = { ok: true; event: AuditEvent } | { ok: false; error: string };

/** True when `name` is a recorded event. */
export function isAuditEvent(name: unknown): name is AuditEventName {
  return typeof name === "string" && Object.hasOwn(AUDIT_SCHEMA, name);
}

/** Why `value` is not acceptable for `spec`, or null when it is. */
function fieldError(spec: FieldSpec, value: unknown): string | null {
  switch (spec.type) {
    case "int":
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return "is not a finite number";
      if (spec.type === "int" && !Number.isInteger(value)) return "is not an integer";
      if (value < spec.min || value > spec.max) return `is outside [${spec.min}, ${spec.max}]`;
      return null;
    case "enum":
      return typeof value === "string" && spec.values.includes(value)
        ? null
        : `is not one of ${spec.values.join(", ")}`;
    default:
      return typeof value === "string" && PATTERNS[spec.type].test(value) ? null : `is not a valid ${spec.type}`;
  }
}

/** Shows a refused value in an error: short, and with control characters escaped by JSON. */
function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Validate an untrusted event (a parsed body): known event, known fields of the right type and bounds, required
 * fields present, nothing else. The result carries a new object holding only validated values.
 */
export function checkAuditEvent(input: unknown): Checked {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { ok: false, error: "the body is not a JSON object" };
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body))
    if (!["id", "event", "page", "detail"].includes(key))
      return { ok: false, error: `unknown top-level field ${show(key)}` };
  const { id, event, page = "", detail = {} } = body;
  if (typeof id !== "string" || !EVENT_ID.test(id)) return { ok: false, error: `id ${show(id)} is not an event ID` };
  if (!isAuditEvent(event)) return { ok: false, error: `event ${show(event)} is not a recorded event` };
  if (typeof page !== "string" || !AUDIT_PAGE.test(page))
    return { ok: false, error: `page ${show(page)} is not a site path` };
  if (typeof detail !== "object" || detail === null || Array.isArray(detail))
    return { ok: false, error: `${event}: detail is not an object` };
  const specs: Record<string, FieldSpec> = AUDIT_SCHEMA[event];
  const clean: AuditDetail = {};
  for (const [key, value] of Object.entries(detail)) {
    // As in JSON, an undefined value is an absent field (an optional parameter a page did not have).
    if (value === undefined) continue;
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) return { ok: false, error: `${event}: unknown field ${show(key)}` };
    const problem = fieldError(spec, value);
    if (problem) return { ok: false, error: `${event}.${key}: ${show(value)} ${problem}` };
    clean[key] = value as string | number;
  }
  for (const [key, spec] of Object.entries(specs))
    if (spec.required && !(key in clean)) return { ok: false, error: `${event}: required field ${key} is missing` };
  return { ok: true, event: { id, event, page, detail: clean } };
}
