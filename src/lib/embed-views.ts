/**
 * The embeddable views (docs/embed.md): one registry for the exported modules (src/embed/<id>.ts), the chrome-free
 * frame pages (src/embed/[view].md → /embed/<id>), the Embed gallery and the tests. Pure: no DOM, no data.
 *
 * Every option is validated here, whether it comes from a module call or an iframe's URL: a bad value is an
 * EmbedOptionError that names the view, the option and what was expected, and the view renders nothing else.
 */

export type Dataset = "telco" | "food";

interface NumberParam {
  kind: "number";
  min: number;
  max: number;
  integer?: boolean;
  /** undefined: optional with no default (e.g. threshold = the optimum) */
  default?: number;
}
interface ChoiceParam {
  kind: "choice";
  values: readonly string[];
  default: string;
}
interface CustomerParam {
  kind: "customer";
  default: string;
}
export type ParamSpec = (NumberParam | ChoiceParam | CustomerParam) & { description: string };

export interface EmbedView {
  /** URL slug: module /embed/<id>.js, frame page /embed/<id> */
  id: string;
  /** the function the module exports */
  exportName: string;
  title: string;
  summary: string;
  params: Record<string, ParamSpec>;
  /** height of the iframe in the snippet before the frame reports its own (px) */
  frameHeight: number;
}

/** Telco customer IDs: four digits, a dash, five capital letters (all 7,043 in the IBM file). */
export const CUSTOMER_ID = /^\d{4}-[A-Z]{5}$/;
export const EXAMPLE_CUSTOMER = "7590-VHVEG";

const width: ParamSpec = {
  kind: "number",
  min: 200,
  max: 2000,
  integer: true,
  description: "chart width in px (default: the width of the container, responsive)",
};
const dataset: ParamSpec = {
  kind: "choice",
  values: ["telco", "food"],
  default: "telco",
  description: "telco (IBM Telco, 7,043 customers) or food (synthetic food-delivery base)",
};
/** The campaign views' options (src/lib/campaign.ts): the data set, the cost model, the value, the economics, the policy. */
const economics: Record<string, ParamSpec> = {
  dataset: {
    kind: "choice",
    values: ["food", "telco"],
    default: "food",
    description: "food (synthetic food-delivery base, ₹) or telco (IBM Telco subscribers, $)",
  },
  costModel: {
    kind: "choice",
    values: ["coupon", "gift"],
    default: "coupon",
    description: "coupon (paid only when redeemed, Verbraken et al.) or gift (every offer costs)",
  },
  value: {
    kind: "choice",
    values: ["customer", "flat"],
    default: "customer",
    description:
      "each customer's own value (food: lifetime value; Telco: expected remaining revenue) or one flat value",
  },
  ltv: {
    kind: "number",
    min: 50,
    max: 10_000,
    default: 500,
    description: "the flat value of every customer, with value=flat (₹ or $)",
  },
  couponCost: {
    kind: "number",
    min: 1,
    max: 500,
    default: 50,
    description: "cost of the offer (₹ or $)",
  },
  contactCost: { kind: "number", min: 0, max: 50, default: 2, description: "cost of contacting one customer (₹ or $)" },
  acceptance: {
    kind: "number",
    min: 0.01,
    max: 1,
    default: 0.3,
    description: "share of would-be churners who take the offer and stay (0.01–1)",
  },
  customers: {
    kind: "number",
    min: 0,
    max: 100_000_000,
    integer: true,
    description: "customers targeted, the top of the expected-profit ranking (default: the profit optimum)",
  },
};

export const EMBED_VIEWS: readonly EmbedView[] = [
  {
    id: "risk-distribution",
    exportName: "RiskDistribution",
    title: "Churn risk distribution",
    summary: "How many customers sit at each calibrated churn probability, coloured by risk tier.",
    params: {
      dataset,
      customer: {
        kind: "customer",
        default: "",
        description: "a Telco customer ID to mark on the distribution (optional, Telco only)",
      },
      width,
    },
    frameHeight: 330,
  },
  {
    id: "global-shap",
    exportName: "GlobalShap",
    title: "What drives churn overall (global SHAP)",
    summary: "Mean absolute SHAP value per feature: how much each feature moves the churn probability on average.",
    params: {
      dataset,
      top: { kind: "number", min: 1, max: 30, integer: true, default: 12, description: "number of features shown" },
      width,
    },
    frameHeight: 360,
  },
  {
    id: "customer-waterfall",
    exportName: "CustomerWaterfall",
    title: "Why this prediction? (one customer's SHAP waterfall)",
    summary: "From the average customer's churn probability to one Telco customer's, feature by feature.",
    params: {
      customer: { kind: "customer", default: EXAMPLE_CUSTOMER, description: "Telco customer ID, e.g. 7590-VHVEG" },
      top: {
        kind: "number",
        min: 1,
        max: 19,
        integer: true,
        default: 8,
        description: "features shown before the rest",
      },
      width,
    },
    frameHeight: 420,
  },
  {
    id: "profit-curve",
    exportName: "ProfitCurve",
    title: "Profit curve of a retention campaign",
    summary:
      "Expected profit by customers targeted, ranked by expected profit and by churn alone, with the optimum (₹ or $).",
    params: { ...economics, width },
    frameHeight: 420,
  },
  {
    id: "ab-comparison",
    exportName: "AbComparison",
    title: "A/B test: churn by variant",
    summary: "Churn rate in control (A) and offer (B) with 95% intervals, and the estimated effect against the truth.",
    params: { width },
    frameHeight: 300,
  },
  {
    id: "business-matrix",
    exportName: "BusinessMatrix",
    title: "Business matrix of a retention campaign",
    summary:
      "Saved, lost despite the offer, missed, wasted and correctly left alone: customers and money adding up to the profit.",
    params: { ...economics, width },
    frameHeight: 330,
  },
];

export function embedView(id: string): EmbedView {
  const view = EMBED_VIEWS.find((v) => v.id === id);
  if (!view) throw new EmbedOptionError(`unknown view "${id}" (one of: ${EMBED_VIEWS.map((v) => v.id).join(", ")})`);
  return view;
}

export class EmbedOptionError extends Error {
  override name = "EmbedOptionError";
}

export type EmbedOptions = Record<string, number | string | undefined>;

/**
 * Validates a view's options (a module call's object, or parsed URL parameters) and fills in the defaults.
 * Strings are accepted for numbers (URL parameters); unknown options are an error, so a typo is never ignored.
 */
export function checkEmbedOptions(viewId: string, given: Record<string, unknown> = {}): EmbedOptions {
  const view = embedView(viewId);
  const where = (name: string) => `${view.id}: option "${name}"`;
  for (const name of Object.keys(given)) {
    if (!(name in view.params) && given[name] !== undefined) {
      const known = Object.keys(view.params).join(", ");
      throw new EmbedOptionError(`${where(name)} is not an option of this view (options: ${known})`);
    }
  }
  const out: EmbedOptions = {};
  for (const [name, spec] of Object.entries(view.params)) {
    const raw = given[name];
    const missing = raw === undefined || raw === null || raw === "";
    if (spec.kind === "number") {
      if (missing) {
        out[name] = spec.default;
        continue;
      }
      const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      const kind = spec.integer ? "a whole number" : "a number";
      if (
        !Number.isFinite(value) ||
        value < spec.min ||
        value > spec.max ||
        (spec.integer && !Number.isInteger(value))
      ) {
        throw new EmbedOptionError(
          `${where(name)} is ${JSON.stringify(raw)}: expected ${kind} from ${spec.min} to ${spec.max}`,
        );
      }
      out[name] = value;
    } else if (spec.kind === "choice") {
      const value = missing ? spec.default : String(raw);
      if (!spec.values.includes(value)) {
        throw new EmbedOptionError(
          `${where(name)} is ${JSON.stringify(raw)}: expected one of ${spec.values.join(", ")}`,
        );
      }
      out[name] = value;
    } else {
      const value = missing ? spec.default : String(raw).trim().toUpperCase();
      if (value !== "" && !CUSTOMER_ID.test(value)) {
        throw new EmbedOptionError(
          `${where(name)} is ${JSON.stringify(raw)}: expected a Telco customer ID like ${EXAMPLE_CUSTOMER}`,
        );
      }
      out[name] = value || undefined;
    }
  }
  return out;
}

/** Options from an iframe URL's query string (?ltv=800&acceptance=0.4), validated as above. */
export function embedOptionsFromSearch(viewId: string, search: string | URLSearchParams): EmbedOptions {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const given: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in given) throw new EmbedOptionError(`${viewId}: option "${name}" is given twice in the URL`);
    given[name] = value;
  }
  return checkEmbedOptions(viewId, given);
}

/** Only the options that differ from the defaults, in registry order (for short URLs and snippets). */
export function nonDefaultOptions(viewId: string, options: EmbedOptions): EmbedOptions {
  const view = embedView(viewId);
  const out: EmbedOptions = {};
  for (const [name, spec] of Object.entries(view.params)) {
    const v = options[name];
    if (v === undefined || v === "" || v === spec.default) continue;
    out[name] = v;
  }
  return out;
}

/** The iframe URL of a view with these options, on a site at `base` (ending in /). */
export function frameUrl(base: string, viewId: string, options: EmbedOptions = {}): string {
  const url = new URL(`embed/${embedView(viewId).id}`, base);
  for (const [name, v] of Object.entries(nonDefaultOptions(viewId, options))) url.searchParams.set(name, String(v));
  return url.href;
}

/** The exported module's URL on a site at `base`. */
export function moduleUrl(base: string, viewId: string): string {
  return new URL(`embed/${embedView(viewId).id}.js`, base).href;
}

const escapeAttribute = (s: string) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** Copy-paste HTML that imports the exported module and appends the view to an element of the host page. */
export function moduleSnippet(base: string, viewId: string, options: EmbedOptions = {}): string {
  const view = embedView(viewId);
  const args = nonDefaultOptions(viewId, options);
  const call = Object.keys(args).length
    ? JSON.stringify(args)
        .replace(/"(\w+)":/g, "$1: ")
        .replaceAll(",", ", ")
    : "";
  return [
    `<div id="${view.id}"></div>`,
    `<script type="module">`,
    `  import {${view.exportName}} from "${moduleUrl(base, viewId)}";`,
    `  document.getElementById("${view.id}").append(await ${view.exportName}(${call}));`,
    `</script>`,
  ].join("\n");
}

/** The postMessage a frame page sends its parent when its content height changes. */
export const FRAME_SIZE_MESSAGE = "retention-lab:embed-size";

/** Copy-paste HTML for an iframe, plus a few lines that size it to its content. */
export function iframeSnippet(base: string, viewId: string, options: EmbedOptions = {}): string {
  const view = embedView(viewId);
  const src = frameUrl(base, viewId, options);
  const origin = new URL(base).origin;
  return [
    `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(view.title)}" width="100%" height="${view.frameHeight}" style="border:0" loading="lazy"></iframe>`,
    `<script>`,
    `  // Optional: let the frame set its height to its content.`,
    `  addEventListener("message", (e) => {`,
    `    if (e.origin !== "${origin}" || e.data?.type !== "${FRAME_SIZE_MESSAGE}") return;`,
    `    for (const f of document.querySelectorAll("iframe")) if (f.contentWindow === e.source) f.height = e.data.height;`,
    `  });`,
    `</script>`,
  ].join("\n");
}
