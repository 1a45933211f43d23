/**
 * The engagement dashboard's data and state (src/telco/engagement.md): the Telco customers as columns, the eight
 * linked dimensions, the selection (kept in the page's URL) and the figures for the current filter. One filter model
 * (src/lib/crossfilter.ts) serves every chart; nothing here needs a database engine.
 */
import {
  crossfilter,
  describeSelection,
  numericBucket,
  numericBuckets,
  selectionFromSearch,
  selectionToSearch,
  type BucketCounts,
  type Crossfilter,
  type Dimension,
  type Selection,
} from "../lib/crossfilter.js";
import { TIERS } from "../lib/tiers.js";

/** The columns the dashboard reads, one array each (row i of every array is customer i). */
export interface EngagementColumns {
  usage: ArrayLike<number>;
  delay: ArrayLike<number>;
  calls: ArrayLike<number>;
  tenure: ArrayLike<number>;
  contract: readonly string[];
  variant: readonly string[];
  tier: readonly string[];
  persona: readonly string[];
  /** the real IBM label (1: left) */
  churn: ArrayLike<number>;
  /** the experiment's outcome (with the simulated treatment) */
  churnObserved: ArrayLike<number>;
}

/** Anything with Arrow's getChild (a Table): the columns above from telco/engagement.arrow (or customers.arrow). */
export function engagementColumns(table: {
  getChild(name: string): { toArray(): ArrayLike<unknown> } | null;
}): EngagementColumns {
  const col = (name: string) => {
    const c = table.getChild(name);
    if (!c) throw new Error(`the engagement table has no column ${name}`);
    return c.toArray();
  };
  const strings = (name: string) => Array.from(col(name), String);
  return {
    usage: col("usage_frequency") as ArrayLike<number>,
    delay: col("payment_delay_days") as ArrayLike<number>,
    calls: col("support_calls") as ArrayLike<number>,
    tenure: col("tenure") as ArrayLike<number>,
    contract: strings("contract"),
    variant: strings("ab_variant"),
    tier: strings("risk_tier"),
    persona: strings("persona"),
    churn: col("churn") as ArrayLike<number>,
    churnObserved: col("churn_observed") as ArrayLike<number>,
  };
}

const USAGE_EDGES = [0, 5, 10, 15, 20, 30, 40];
const DELAY_EDGES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const CALL_EDGES = [0, 1, 2, 3, 4, 5];
const TENURE_EDGES = [0, 6, 12, 24, 36, 48, 60];
export const CONTRACTS = ["Month-to-month", "One year", "Two year"];
const VARIANTS = [
  { key: "A", label: "A (control)" },
  { key: "B", label: "B (retention offer)" },
];

/** URL-safe key of a category: "Month-to-month" → "month-to-month", "Loyal family" → "loyal-family". */
export const categoryKey = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, "-");

function categories(
  id: string,
  label: string,
  values: readonly string[],
  order: readonly { key: string; label: string; value: string }[],
): Dimension<number> {
  const index = new Map(order.map((o, i) => [o.value, i]));
  return {
    id,
    label,
    buckets: order.map(({ key, label }) => ({ key, label })),
    bucket: (i) => {
      const b = index.get(values[i]!);
      if (b === undefined) throw new Error(`${label}: unexpected value ${JSON.stringify(values[i])} (row ${i})`);
      return b;
    },
  };
}

function numeric(id: string, label: string, values: ArrayLike<number>, edges: number[]): Dimension<number> {
  return { id, label, buckets: numericBuckets(edges), bucket: (i) => numericBucket(edges, values[i]!) };
}

/** The eight linked dimensions, in the page's order. Personas appear in alphabetical order. */
export function engagementDimensions(c: EngagementColumns): Dimension<number>[] {
  const personas = [...new Set(c.persona)].sort();
  return [
    numeric("usage", "App sessions a month", c.usage, USAGE_EDGES),
    numeric("delay", "Days late on the last bill", c.delay, DELAY_EDGES),
    numeric("calls", "Support calls (90 days)", c.calls, CALL_EDGES),
    numeric("tenure", "Tenure (months)", c.tenure, TENURE_EDGES),
    categories(
      "contract",
      "Contract",
      c.contract,
      CONTRACTS.map((v) => ({ key: categoryKey(v), label: v, value: v })),
    ),
    {
      ...categories(
        "variant",
        "A/B variant",
        c.variant,
        VARIANTS.map((v) => ({ ...v, value: v.key })),
      ),
      outcome: (i) => c.churnObserved[i] === 1,
    },
    categories(
      "tier",
      "Risk tier",
      c.tier,
      TIERS.map((t) => ({ key: t.tier, label: t.label, value: t.tier })),
    ),
    categories(
      "persona",
      "Persona",
      c.persona,
      personas.map((p) => ({ key: categoryKey(p), label: p, value: p })),
    ),
  ];
}

/** The figures of the headline cards and the prose for the customers passing every selection. */
export interface EngagementSummary {
  n: number;
  churned: number;
  rate: number | null;
  medianUsage: number | null;
  lateShare: number | null;
  meanCalls: number | null;
  lowUsageRate: number | null;
  highUsageRate: number | null;
  lateRate: number | null;
  onTimeRate: number | null;
  manyCallsRate: number | null;
  noCallsRate: number | null;
}

/** Churn rate among the rows where `where` holds (null when there are none). */
function rateWhere(rows: Int32Array, c: EngagementColumns, where: (i: number) => boolean): number | null {
  let n = 0;
  let k = 0;
  for (const i of rows)
    if (where(i)) {
      n++;
      k += c.churn[i]!;
    }
  return n ? k / n : null;
}

/** The summary of the rows `rows` (indexes into the columns). */
export function engagementSummary(c: EngagementColumns, rows: Int32Array): EngagementSummary {
  const n = rows.length;
  let churned = 0;
  let late = 0;
  let calls = 0;
  const usage = new Float64Array(n);
  rows.forEach((i, j) => {
    churned += c.churn[i]!;
    late += c.delay[i]! > 0 ? 1 : 0;
    calls += c.calls[i]!;
    usage[j] = c.usage[i]!;
  });
  usage.sort();
  const median = n === 0 ? null : n % 2 ? usage[(n - 1) / 2]! : (usage[n / 2 - 1]! + usage[n / 2]!) / 2;
  return {
    n,
    churned,
    rate: n ? churned / n : null,
    medianUsage: median,
    lateShare: n ? late / n : null,
    meanCalls: n ? calls / n : null,
    lowUsageRate: rateWhere(rows, c, (i) => c.usage[i]! < 10),
    highUsageRate: rateWhere(rows, c, (i) => c.usage[i]! >= 20),
    lateRate: rateWhere(rows, c, (i) => c.delay[i]! > 0),
    onTimeRate: rateWhere(rows, c, (i) => c.delay[i]! === 0),
    manyCallsRate: rateWhere(rows, c, (i) => c.calls[i]! >= 3),
    noCallsRate: rateWhere(rows, c, (i) => c.calls[i]! === 0),
  };
}

/** The dashboard's state: the selection, the counts it gives every chart, and listeners told of every change. */
export interface EngagementState {
  readonly filter: Crossfilter<number>;
  readonly selection: Selection;
  dimension(id: string): Dimension<number>;
  counts(id: string): BucketCounts;
  selected(id: string): readonly number[];
  select(id: string, buckets: readonly number[]): void;
  clear(): void;
  summary(): EngagementSummary;
  /** "Contract: Month-to-month; Persona: Loyal family", or "" */
  description(): string;
  /** the selection as URL parameters ("" when nothing is selected) */
  search(): string;
  subscribe(listener: () => void): () => void;
}

/**
 * The state over the columns, starting from the selection in `search` (a URL's query string; see crossfilter.ts);
 * `onSelect` is told of each selection a user makes (the page records it in the audit trail).
 */
export function engagementState(
  columns: EngagementColumns,
  search = "",
  onSelect?: (id: string, buckets: readonly number[]) => void,
): EngagementState {
  const n = columns.churn.length;
  const dimensions = engagementDimensions(columns);
  const filter = crossfilter(
    Array.from({ length: n }, (_, i) => i),
    dimensions,
    (i) => columns.churn[i] === 1,
  );
  let selection: Record<string, readonly number[]> = selectionFromSearch(dimensions, search);
  let counts = filter.counts(selection);
  let summary: EngagementSummary | null = null;
  const listeners = new Set<() => void>();
  const state: EngagementState = {
    filter,
    get selection() {
      return selection;
    },
    dimension: (id) => {
      const d = dimensions.find((x) => x.id === id);
      if (!d) throw new Error(`engagement: no dimension ${id}`);
      return d;
    },
    counts: (id) => {
      const c = counts[id];
      if (!c) throw new Error(`engagement: no dimension ${id}`);
      return c;
    },
    selected: (id) => selection[id] ?? [],
    select(id, buckets) {
      state.dimension(id);
      selection = { ...selection, [id]: [...new Set(buckets)].sort((a, b) => a - b) };
      counts = filter.counts(selection);
      summary = null;
      for (const listener of [...listeners]) listener();
      onSelect?.(id, selection[id]!);
    },
    clear() {
      selection = {};
      counts = filter.counts(selection);
      summary = null;
      for (const listener of [...listeners]) listener();
    },
    summary: () => (summary ??= engagementSummary(columns, filter.filtered(selection))),
    description: () => describeSelection(dimensions, selection),
    search: () => selectionToSearch(dimensions, selection),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return state;
}
