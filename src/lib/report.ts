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
  // eslint-disable-next-line no-control-regex
  return String(text ?? "")
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
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

// SHA-256 (FIPS 180-4) in plain TypeScript: crypto.subtle exists only in secure contexts, and the site may be
// served over plain HTTP inside a cluster.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** SHA-256 of a string (UTF-8) or bytes, as lowercase hex. */
export function sha256Hex(input: string | Uint8Array): string {
  const data = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const bitLength = data.length * 8;
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = Uint32Array.from([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + 4 * i);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
}
