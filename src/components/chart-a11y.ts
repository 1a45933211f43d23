/**
 * What every chart needs for people who do not see it, added by withDownloads (chart-export.ts) to every chart of the
 * site and of the embeds: valid ARIA on Plot's mark groups, and the data behind the chart as a table.
 */

const TABLE_ROWS = 200;

/**
 * Plot labels each mark's <g> with aria-label ("bar", "rule", "tip"), which ARIA prohibits on an element without a
 * role; role="group" makes the label valid (a screen reader then reads the chart as labelled groups). Plot redraws
 * some groups later (a tip follows the pointer), so new groups are fixed as they appear.
 */
export function nameMarkGroups(chart: Element): void {
  const fix = (root: Element) => {
    const groups = root.matches("g[aria-label]") ? [root] : [];
    for (const g of [...groups, ...root.querySelectorAll("g[aria-label]")])
      if (!g.hasAttribute("role")) g.setAttribute("role", "group");
  };
  fix(chart);
  if (typeof MutationObserver === "undefined") return;
  new MutationObserver((records) => {
    for (const r of records) for (const node of r.addedNodes) if (node.nodeType === 1) fix(node as Element);
  }).observe(chart, { childList: true, subtree: true });
}

/** A CSV column name as a table header: "churn_rate" → "Churn rate", "ci95_low" → "Ci95 low". */
export function columnHeader(column: string): string {
  const words = column.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A cell for people: whole numbers with thousands separators, fractions to four significant digits. */
export function formatCell(value: unknown): string {
  if (value == null || (typeof value === "number" && Number.isNaN(value))) return "—";
  if (typeof value === "number")
    return Number.isInteger(value)
      ? value.toLocaleString("en-US")
      : value.toLocaleString("en-US", { maximumSignificantDigits: 4 });
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * A collapsed "Data behind the chart" <details>: the chart's rows (the same as its CSV) as a table, built when first
 * opened, at most TABLE_ROWS rows (the CSV has all of them).
 */
export function dataTableDetails(
  doc: Document,
  label: string,
  rows: () => readonly Record<string, unknown>[],
  columns?: readonly string[],
): HTMLDetailsElement {
  const details = doc.createElement("details");
  details.className = "rl-data-table";
  const summary = doc.createElement("summary");
  summary.textContent = `Data behind the chart: ${label}`;
  details.append(summary);
  let built = false;
  details.addEventListener("toggle", () => {
    if (!details.open || built) return;
    built = true;
    try {
      details.append(dataTable(doc, label, rows(), columns));
    } catch (error) {
      const p = doc.createElement("p");
      p.setAttribute("role", "status");
      p.textContent = `The data could not be shown: ${(error as Error)?.message ?? error}`;
      details.append(p);
    }
  });
  return details;
}

/** The rows as an HTML table with a caption; at most TABLE_ROWS rows, with a note when there are more. */
export function dataTable(
  doc: Document,
  label: string,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[] = rows.length ? Object.keys(rows[0]!) : [],
): HTMLDivElement {
  const box = doc.createElement("div");
  box.className = "rl-data-table-scroll";
  box.tabIndex = 0; // a scrollable region must be reachable by keyboard
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", `Data: ${label}`);
  const table = doc.createElement("table");
  const caption = doc.createElement("caption");
  caption.textContent =
    rows.length > TABLE_ROWS
      ? `${label}: the first ${TABLE_ROWS} of ${rows.length.toLocaleString("en-US")} rows (the CSV download has all)`
      : label;
  const head = doc.createElement("tr");
  for (const c of columns) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.textContent = columnHeader(c);
    head.append(th);
  }
  const thead = doc.createElement("thead");
  thead.append(head);
  const tbody = doc.createElement("tbody");
  for (const row of rows.slice(0, TABLE_ROWS)) {
    const tr = doc.createElement("tr");
    for (const c of columns) {
      const td = doc.createElement("td");
      td.textContent = formatCell(row[c]);
      if (typeof row[c] === "number") td.className = "rl-num";
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(caption, thead, tbody);
  box.append(table);
  return box;
}
