/** Order statistics and number formats shared by the benchmark scripts (numbers for people, never pass/fail). */

/** The q-quantile of xs by rank (the ⌊q·n⌋-th smallest, clamped), or null for no values. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new Error(`invalid quantile: ${q}`);
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** Bytes as MB (10^6) with two decimals, or "–" for none. */
export const megabytes = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 1e6).toFixed(2)} MB`);

/** Milliseconds as seconds with two decimals, or "–". */
export const seconds = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(2)} s`);

/** Milliseconds with one decimal, or "–". */
export const millis = (ms: number | null) => (ms === null ? "–" : `${ms.toFixed(1)} ms`);

/** A whole number with thousands separators (20,000). */
export const count = (n: number) => n.toLocaleString("en-US");

/** A Markdown table: a header row, the alignment row (numbers right-aligned), then the rows. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
) {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  for (const [i, row] of rows.entries())
    if (row.length !== header.length)
      throw new Error(`table row ${i + 1} has ${row.length} cells, the header ${header.length}`);
  const align = header.map((_, i) => (right.includes(i) ? "--:" : "---"));
  return [line(header), line(align), ...rows.map(line)].join("\n");
}
