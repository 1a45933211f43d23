/**
 * The per-customer TXT report of the customer page: plain text, one section per topic, built by a pure function
 * so that it is unit-tested in Node and identical wherever it is generated. No clock: the caller passes the time.
 */

/** A section line: label and value. */
export type ReportField = readonly [label: string, value: string];

export interface CustomerReport {
  customerId: string;
  /** Subscription and lifecycle details (contract, tenure, charges, services…). */
  subscription: readonly ReportField[];
  /** Behaviour metrics (usage, payment delays, support calls…). */
  behaviour: readonly ReportField[];
  /** Calibrated churn probability, 0–1. */
  probability: number;
  /** Risk tier label, e.g. "High risk". */
  tier: string;
  /** The decision: the cross-fitted score, targeted or not at the threshold, the actual outcome. */
  decision?: readonly ReportField[];
  /** Top drivers, one readable line each. */
  drivers: readonly string[];
  nudge: { text: string; source: string; provider?: string; model?: string; promptVersion?: string; reason?: string };
  /** Model identification: XGBoost version and a hash of the trees. */
  modelVersion: { xgboost: string; treesSha256: string; calibration?: string };
  /** The data: sha256 of the Telco CSV, seed of the simulation. */
  data: { telcoSha256: string; seed?: number | string; rows?: number };
  /** A what-if scenario to include, if the user edited the customer. */
  whatIf?: { changes: readonly string[]; before: number; after: number; tier: string };
  /** ISO timestamp of generation (the caller's clock). */
  generatedAt?: string;
}

const RULE = "-".repeat(72);

function section(title: string, lines: readonly string[]): string[] {
  return ["", title.toUpperCase(), RULE, ...lines];
}

function fields(rows: readonly ReportField[]): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`);
}

/** Collapses control characters and line breaks of free text (LLM output) to spaces, so lines stay lines. */
export function cleanText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const controls = /[\u0000-\u001f\u007f]+/g;
  return String(text ?? "")
    .replace(controls, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The report as text (LF line endings, trailing newline). */
export function customerReportText(r: CustomerReport): string {
  if (!(r.probability >= 0 && r.probability <= 1)) throw new Error(`invalid probability: ${r.probability}`);
  const pct = (p: number) => `${(100 * p).toFixed(1)}%`;
  const nudgeSource = [
    r.nudge.source,
    r.nudge.provider ? `provider ${r.nudge.provider}` : "",
    r.nudge.model ? `model ${r.nudge.model}` : "",
    r.nudge.promptVersion ? `prompt ${r.nudge.promptVersion}` : "",
    r.nudge.reason ? `reason ${r.nudge.reason}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const lines = [
    `Retention Lab — customer report`,
    `Customer: ${cleanText(r.customerId)}`,
    ...(r.generatedAt ? [`Generated: ${r.generatedAt}`] : []),
    ...section("Subscription details", fields(r.subscription.map(([l, v]) => [l, cleanText(v)]))),
    ...section("Behaviour metrics (simulated)", fields(r.behaviour.map(([l, v]) => [l, cleanText(v)]))),
    ...section(
      "Churn score",
      fields([
        ["Churn probability (calibrated)", pct(r.probability)],
        ["Risk tier", r.tier],
        ...(r.decision ?? []).map(([l, v]) => [l, cleanText(v)] as const),
      ]),
    ),
    ...section(
      "Top drivers (SHAP, percentage points)",
      r.drivers.map((d, i) => `${i + 1}. ${cleanText(d)}`),
    ),
    ...(r.whatIf
      ? section(
          "What-if scenario",
          fields([
            ["Changes", r.whatIf.changes.length ? r.whatIf.changes.map(cleanText).join("; ") : "none"],
            ["Score before", pct(r.whatIf.before)],
            ["Score after", `${pct(r.whatIf.after)} (${r.whatIf.tier})`],
          ]),
        )
      : []),
    ...section("Retention nudge", [cleanText(r.nudge.text), `Source: ${nudgeSource}`]),
    ...section(
      "Model and data",
      fields([
        [
          "Model",
          `XGBoost ${r.modelVersion.xgboost}${r.modelVersion.calibration ? ` + ${r.modelVersion.calibration}` : ""}`,
        ],
        ["Trees sha256", r.modelVersion.treesSha256],
        ["Telco CSV sha256", r.data.telcoSha256],
        ...(r.data.seed !== undefined ? ([["Simulation seed", String(r.data.seed)]] as const) : []),
        ...(r.data.rows !== undefined ? ([["Customers in data", String(r.data.rows)]] as const) : []),
      ]),
    ),
  ];
  return lines.join("\n") + "\n";
}

/** A safe file name for a customer's report. */
export function reportFileName(customerId: string): string {
  return `customer-${String(customerId).replace(/[^A-Za-z0-9_-]+/g, "_")}-report.txt`;
}
