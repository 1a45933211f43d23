import { formatRupees, type PolicyOutcome } from "../lib/profit.js";

const int = (x: number) => Math.round(x).toLocaleString("en-IN");

function cell(tag: "td" | "th", className: string, lines: string[]): HTMLTableCellElement {
  const el = document.createElement(tag);
  el.className = className;
  lines.forEach((text, i) => {
    const line = document.createElement("div");
    line.className = i === 0 ? "rl-matrix-label" : i === 1 ? "rl-matrix-money" : "rl-matrix-note";
    line.textContent = text;
    el.append(line);
  });
  return el;
}

/**
 * The business confusion matrix of one targeting policy: who was targeted against who would have churned, in customers
 * and rupees. A real <table> with row and column headers, so screen readers announce each cell's meaning.
 */
export function businessMatrix(
  o: PolicyOutcome,
  { acceptance = 0.3, title = "Business confusion matrix at the chosen threshold" } = {},
): HTMLElement {
  const table = document.createElement("table");
  table.className = "rl-matrix";
  const caption = document.createElement("caption");
  caption.textContent = title;
  table.append(caption);
  const head = document.createElement("tr");
  head.append(document.createElement("td"));
  for (const label of ["Targeted", "Not targeted"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const rowHead = (text: string) => {
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = text;
    return th;
  };
  const churners = document.createElement("tr");
  churners.append(
    rowHead("Would churn"),
    cell("td", "rl-matrix-good", [
      `Saved: ${int(o.tp)} customers`,
      `${formatRupees(o.saved)} revenue kept`,
      `expected: ${Math.round(100 * acceptance)}% accept; their offers cost ${formatRupees(o.savedCost)}`,
    ]),
    cell("td", "rl-matrix-bad", [
      `Lost revenue: ${int(o.fn)} churners missed`,
      `${formatRupees(o.lost)} lifetime value lost`,
      "no offer reached them",
    ]),
  );
  const stayers = document.createElement("tr");
  stayers.append(
    rowHead("Would stay"),
    cell("td", "rl-matrix-bad", [
      `Wasted budget: ${int(o.fp)} customers`,
      `${formatRupees(o.wasted)} spent`,
      "offers to customers who would have stayed",
    ]),
    cell("td", "rl-matrix-good", [
      `Correctly ignored: ${int(o.tn)} customers`,
      `${formatRupees(0)} spent`,
      "nothing to do",
    ]),
  );
  table.append(head, churners, stayers);
  return table;
}
