/**
 * Linked views over a few thousand rows, in plain TypeScript: one filter model for every chart of a dashboard.
 *
 * Each dimension puts every row in one bucket (a histogram bin or a category). A selection is, per dimension, the set
 * of buckets chosen (none chosen: no filter). Every chart shows the rows that pass the OTHER dimensions' selections
 * (its own selection is drawn, not applied, so the user can widen it), as crossfilter does. One pass over the rows
 * counts all charts at once: a row failing no selection counts everywhere, a row failing exactly one counts only in
 * that dimension's chart, a row failing two or more counts nowhere. 7,043 rows × 8 dimensions is well under a
 * millisecond.
 *
 * Pure (no DOM): the selection's URL form is here too (selectionToSearch / selectionFromSearch).
 */

export interface Dimension<R> {
  /** URL key and identifier, e.g. "usage" */
  id: string;
  /** what the chart and the status line call it, e.g. "App sessions a month" */
  label: string;
  /** the buckets in display order: a key (URL-safe ASCII) and a label for people */
  buckets: readonly { key: string; label: string }[];
  /** the bucket index of a row (0 ≤ index < buckets.length) */
  bucket: (row: R, index: number) => number;
  /** which rows count as the outcome in this chart (default: the dashboard's outcome) */
  outcome?: (row: R, index: number) => boolean;
}

/** Per dimension id, the chosen bucket indexes; a missing or empty entry selects everything. */
export type Selection = Readonly<Record<string, readonly number[]>>;

export interface BucketCounts {
  /** rows in the bucket that pass the other dimensions' selections */
  n: Int32Array;
  /** of those, rows with the outcome */
  k: Int32Array;
}

export interface Crossfilter<R> {
  readonly dimensions: readonly Dimension<R>[];
  readonly size: number;
  /** each dimension's bucket counts under `selection` (keyed by dimension id) */
  counts(selection: Selection): Record<string, BucketCounts>;
  /** the indexes of the rows passing every selection, in row order */
  filtered(selection: Selection): Int32Array;
}

/**
 * Buckets every row once (the codes are kept as one typed array per dimension). `outcome` is the dashboard's
 * outcome (e.g. churned); a dimension may bring its own. Throws on a bucket index out of range, naming the dimension
 * and the row.
 */
export function crossfilter<R>(
  rows: readonly R[],
  dimensions: readonly Dimension<R>[],
  outcome: (row: R, index: number) => boolean,
): Crossfilter<R> {
  const ids = new Set<string>();
  for (const d of dimensions) {
    if (ids.has(d.id)) throw new Error(`crossfilter: dimension "${d.id}" is declared twice`);
    ids.add(d.id);
    if (d.buckets.length === 0 || d.buckets.length > 255)
      throw new Error(`crossfilter: dimension "${d.id}" has ${d.buckets.length} buckets (1 to 255 allowed)`);
  }
  const n = rows.length;
  const codes = dimensions.map((d) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const b = d.bucket(rows[i]!, i);
      if (!(Number.isInteger(b) && b >= 0 && b < d.buckets.length))
        throw new Error(`crossfilter: dimension "${d.id}" put row ${i} in bucket ${b} (0–${d.buckets.length - 1})`);
      out[i] = b;
    }
    return out;
  });
  const outcomes = dimensions.map((d) => {
    const f = d.outcome ?? outcome;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = f(rows[i]!, i) ? 1 : 0;
    return out;
  });

  /** Per dimension, a 0/1 mask over its buckets (null: no filter). */
  const masks = (selection: Selection) =>
    dimensions.map((d) => {
      const chosen = selection[d.id];
      if (!chosen?.length) return null;
      const mask = new Uint8Array(d.buckets.length);
      for (const b of chosen) if (b >= 0 && b < mask.length) mask[b] = 1;
      return mask;
    });

  return {
    dimensions,
    size: n,
    counts(selection) {
      const m = masks(selection);
      const active = m.flatMap((mask, j) => (mask ? [j] : []));
      const result = dimensions.map((d) => ({
        n: new Int32Array(d.buckets.length),
        k: new Int32Array(d.buckets.length),
      }));
      const D = dimensions.length;
      for (let i = 0; i < n; i++) {
        let failed = -1;
        let failures = 0;
        for (const j of active) {
          if (!m[j]![codes[j]![i]!]) {
            failed = j;
            if (++failures > 1) break;
          }
        }
        if (failures > 1) continue;
        if (failures === 1) {
          const b = codes[failed]![i]!;
          result[failed]!.n[b]! += 1;
          result[failed]!.k[b]! += outcomes[failed]![i]!;
          continue;
        }
        for (let j = 0; j < D; j++) {
          const b = codes[j]![i]!;
          result[j]!.n[b]! += 1;
          result[j]!.k[b]! += outcomes[j]![i]!;
        }
      }
      return Object.fromEntries(dimensions.map((d, j) => [d.id, result[j]!]));
    },
    filtered(selection) {
      const m = masks(selection);
      const active = m.flatMap((mask, j) => (mask ? [j] : []));
      const keep: number[] = [];
      for (let i = 0; i < n; i++) if (active.every((j) => m[j]![codes[j]![i]!])) keep.push(i);
      return Int32Array.from(keep);
    },
  };
}

/** Edges → histogram buckets: [e0, e1), [e1, e2), …, [e_last, ∞) labelled "0–4", …, "40+" (keys "0-4", "40-"). */
export function numericBuckets(edges: readonly number[]): { key: string; label: string }[] {
  return edges.map((lo, i) => {
    const hi = edges[i + 1];
    if (hi === undefined) return { key: `${lo}-`, label: `${lo}+` };
    if (hi === lo + 1) return { key: String(lo), label: String(lo) };
    return { key: `${lo}-${hi - 1}`, label: `${lo}–${hi - 1}` };
  });
}

/** The bucket of a whole number for numericBuckets(edges); values below the first edge go in the first bucket. */
export function numericBucket(edges: readonly number[], value: number): number {
  let b = 0;
  while (b + 1 < edges.length && value >= edges[b + 1]!) b++;
  return b;
}

/** The selection as URL parameters: one per filtered dimension, its bucket keys joined by commas. */
export function selectionToSearch<R>(dimensions: readonly Dimension<R>[], selection: Selection): string {
  const params = new URLSearchParams();
  for (const d of dimensions) {
    const chosen = [...new Set(selection[d.id] ?? [])].sort((a, b) => a - b);
    if (chosen.length) params.set(d.id, chosen.map((b) => d.buckets[b]!.key).join(","));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The selection a URL's parameters describe. Unknown parameters are left alone (they may belong to something
 * else); an unknown bucket key is an error naming the parameter and the key, so a mistyped link does not silently
 * show everything.
 */
export function selectionFromSearch<R>(dimensions: readonly Dimension<R>[], search: string): Record<string, number[]> {
  const params = new URLSearchParams(search);
  const selection: Record<string, number[]> = {};
  for (const d of dimensions) {
    const raw = params.get(d.id);
    if (raw === null || raw === "") continue;
    selection[d.id] = raw.split(",").map((key) => {
      const b = d.buckets.findIndex((x) => x.key === key);
      if (b < 0)
        throw new Error(
          `URL parameter ${d.id}: unknown value ${JSON.stringify(key)} (expected one of ${d.buckets.map((x) => x.key).join(", ")})`,
        );
      return b;
    });
  }
  return selection;
}

/** "App sessions a month: 10–14, 15–19; Contract: Month-to-month" — or "" when nothing is selected. */
export function describeSelection<R>(dimensions: readonly Dimension<R>[], selection: Selection): string {
  return dimensions
    .filter((d) => selection[d.id]?.length)
    .map((d) => {
      const chosen = [...new Set(selection[d.id])].sort((a, b) => a - b);
      return `${d.label}: ${chosen.map((b) => d.buckets[b]!.label).join(", ")}`;
    })
    .join("; ");
}
