/**
 * "What would keep this customer?": the smallest sets of actionable changes that bring a customer's churn
 * probability below the operating threshold, found by scoring every combination with the model itself (the page
 * passes ONNX Runtime, the build the same trees in TypeScript, the tests a hand-built model).
 *
 * Only what the company can offer is ever changed: the contract (to a longer one), the payment method (to an
 * automatic one), paperless billing, and the four protection add-ons (only for customers with internet service).
 * Never who the customer is (gender, age, partner, dependants), their history (tenure, total charges) or the
 * services they chose (internet, phone, streaming). Every change has a stated cost to the company (ACTIONS): an
 * assumption, shown next to it on the page. Browser-safe and Node-safe.
 */
import type { RawRow } from "./features.js";
import { applyEdit, featureLabel } from "./whatif.js";

/** One offer: set `feature` to `to`, at a cost to the company of `cost` US dollars. */
export interface Change {
  feature: string;
  from: string;
  to: string;
  cost: number;
  /** What the company would offer, in words ("a one-year contract with $5 a month off for 12 months"). */
  offer: string;
}

interface ActionRule {
  /** The values the company may move the customer to, with what it costs and what is offered. */
  targets: (current: string, row: RawRow) => { to: string; cost: number; offer: string }[];
}

const PROTECTION_ADDONS = ["online_security", "online_backup", "device_protection", "tech_support"] as const;
const ADDON_MONTHS = 12;
/** Assumed list price of one protection add-on (US dollars a month); the offer gives it free for a year. */
export const ADDON_PRICE = 5;

/**
 * The actionable features and what each change costs the company (US dollars, over the first year). Assumptions:
 * a longer contract is bought with $5 a month off for its first 12 (one year) or 24 (two years) months; switching to
 * automatic payment with a one-off $10 bill credit; paper bills cost $1 a month to print and post; an add-on is
 * given free for 12 months at its list price of $5 a month. Features not listed here are never changed.
 */
export const ACTIONS: Record<string, ActionRule> = {
  contract: {
    targets: (current) =>
      current === "Month-to-month"
        ? [
            { to: "One year", cost: 60, offer: "a one-year contract with $5 a month off for 12 months" },
            { to: "Two year", cost: 120, offer: "a two-year contract with $5 a month off for 24 months" },
          ]
        : current === "One year"
          ? [{ to: "Two year", cost: 120, offer: "a two-year contract with $5 a month off for 24 months" }]
          : [],
  },
  payment_method: {
    targets: (current) =>
      current.includes("automatic")
        ? []
        : [
            { to: "Bank transfer (automatic)", cost: 10, offer: "automatic bank transfer, with a one-off $10 credit" },
            {
              to: "Credit card (automatic)",
              cost: 10,
              offer: "automatic credit-card payment, with a one-off $10 credit",
            },
          ],
  },
  paperless_billing: {
    targets: (current) =>
      current === "Yes"
        ? [{ to: "No", cost: 12, offer: "paper bills by post (about $1 a month to print and send)" }]
        : [{ to: "Yes", cost: 0, offer: "paperless billing" }],
  },
  ...Object.fromEntries(
    PROTECTION_ADDONS.map((addon) => [
      addon,
      {
        targets: (current: string, row: RawRow) =>
          current === "No" && row.internet_service !== "No"
            ? [
                {
                  to: "Yes",
                  cost: ADDON_MONTHS * ADDON_PRICE,
                  offer: `${featureLabel(addon).toLowerCase()} free for ${ADDON_MONTHS} months`,
                },
              ]
            : [],
      },
    ]),
  ),
};

/** The features the search may change: ACTIONS' keys. */
export const ACTIONABLE: readonly string[] = Object.keys(ACTIONS);

/** Every single change available for this customer, grouped by feature (at most one change per feature is used). */
export function availableChanges(row: RawRow): Change[][] {
  return ACTIONABLE.map((feature) =>
    ACTIONS[feature]
      .targets(String(row[feature]), row)
      .map((t) => ({ feature, from: String(row[feature]), to: t.to, cost: t.cost, offer: t.offer })),
  ).filter((group) => group.length > 0);
}

/** Every set of at most `maxChanges` changes, one value per feature at most, smallest sets first. */
export function changeSets(row: RawRow, maxChanges = 4): Change[][] {
  const groups = availableChanges(row);
  const sets: Change[][] = [];
  const walk = (g: number, chosen: Change[]) => {
    if (g === groups.length) {
      if (chosen.length > 0) sets.push(chosen);
      return;
    }
    walk(g + 1, chosen);
    if (chosen.length < maxChanges) for (const c of groups[g]) walk(g + 1, [...chosen, c]);
  };
  walk(0, []);
  return sets.sort((a, b) => a.length - b.length);
}

/** The customer's row with a set of changes applied (dependent fields kept consistent, as in the what-if). */
export function applyChanges(row: RawRow, changes: readonly Change[]): RawRow {
  let next = { ...row };
  for (const c of changes) {
    if (!ACTIONABLE.includes(c.feature)) throw new Error(`not an actionable feature: ${c.feature}`);
    next = applyEdit(next, c.feature, c.to).row;
  }
  return next;
}

/** One way to keep the customer: the changes, the new row, its churn probability and the cost of the offer. */
export interface Option {
  changes: Change[];
  row: RawRow;
  probability: number;
  cost: number;
}

export type Counterfactual =
  | { status: "already-below"; probability: number; threshold: number }
  | {
      status: "found";
      probability: number;
      threshold: number;
      /** The smallest number of changes that suffices, and every set of that size that does. */
      size: number;
      options: Option[];
      /** Sets of one more change that cost the company less than the cheapest smallest set (none containing one). */
      cheaper: Option[];
      tried: number;
    }
  | { status: "none"; probability: number; threshold: number; best: Option | null; tried: number };

/** Scores rows with the model: calibrated churn probabilities, one per row, in order. */
export type RowScorer = (rows: RawRow[]) => Promise<ArrayLike<number>> | ArrayLike<number>;

/**
 * The smallest sets of actionable changes that bring the probability below `threshold`: every combination of at
 * most `maxChanges` changes is scored in one batch; the answer is every qualifying set of the smallest size,
 * cheapest first (then lowest probability). "none" carries the combination with the lowest probability.
 */
export async function searchCounterfactual(
  row: RawRow,
  score: RowScorer,
  { threshold, maxChanges = 4 }: { threshold: number; maxChanges?: number },
): Promise<Counterfactual> {
  if (!(threshold > 0 && threshold < 1)) throw new Error(`invalid threshold: ${threshold}`);
  if (!(Number.isInteger(maxChanges) && maxChanges >= 1)) throw new Error(`invalid maxChanges: ${maxChanges}`);
  const sets = changeSets(row, maxChanges);
  const rows = [row, ...sets.map((set) => applyChanges(row, set))];
  const p = await score(rows);
  if (p.length !== rows.length) throw new Error(`the scorer returned ${p.length} scores for ${rows.length} rows`);
  const probability = p[0];
  if (probability < threshold) return { status: "already-below", probability, threshold };
  const options: Option[] = sets.map((changes, i) => ({
    changes,
    row: rows[i + 1],
    probability: p[i + 1],
    cost: changes.reduce((s, c) => s + c.cost, 0),
  }));
  const below = options.filter((o) => o.probability < threshold);
  if (below.length === 0) {
    const best = options.reduce<Option | null>((b, o) => (b === null || o.probability < b.probability ? o : b), null);
    return { status: "none", probability, threshold, best, tried: sets.length };
  }
  const size = Math.min(...below.map((o) => o.changes.length));
  const smallest = rankOptions(
    below.filter((o) => o.changes.length === size),
    "cost",
  );
  const key = (c: Change) => `${c.feature}=${c.to}`;
  const qualifying = smallest.map((o) => new Set(o.changes.map(key)));
  const cheaper = rankOptions(
    below.filter(
      (o) =>
        o.changes.length === size + 1 &&
        o.cost < smallest[0].cost &&
        !qualifying.some((q) => [...q].every((k) => o.changes.some((c) => key(c) === k))),
    ),
    "cost",
  );
  return { status: "found", probability, threshold, size, options: smallest, cheaper, tried: sets.length };
}

/** Options ranked by cost to the company (then effect) or by effect (lowest probability, then cost). */
export function rankOptions(options: readonly Option[], by: "cost" | "effect"): Option[] {
  return [...options].sort((a, b) =>
    by === "cost" ? a.cost - b.cost || a.probability - b.probability : a.probability - b.probability || a.cost - b.cost,
  );
}

/** A set of changes in words: "Contract → One year + Tech support → Yes". */
export function describeChanges(changes: readonly Change[]): string {
  return changes.map((c) => `${featureLabel(c.feature)} → ${c.to}`).join(" + ");
}
