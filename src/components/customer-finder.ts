/**
 * Finding a Telco customer: the ID search box, the one status region that says what the page shows, and the table
 * of a segment where a click anywhere on a row (or Enter / Space on its ID button) opens that customer.
 * Plain DOM, every value set as text. The page owns the selection; these only report what the user chose.
 */
import { percent } from "../lib/format.js";
import { el, tierLabel } from "./customer-profile.js";
import type { RiskTier } from "../lib/tiers.js";

/** The ID search: a labelled text box with suggestions and an Open button; `set(id)` shows another customer's ID. */
export function idSearch(
  ids: readonly string[],
  { onOpen, value = "" }: { onOpen: (id: string) => void; value?: string },
): HTMLFormElement & { set: (id: string) => void } {
  const input = el("input", {
    id: "customer-id-input",
    type: "text",
    list: "customer-id-list",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "e.g. 7590-VHVEG",
    "aria-describedby": "customer-id-hint",
  });
  input.value = value;
  const list = el("datalist", { id: "customer-id-list" });
  // Thousands of suggestions are made when the box is first focused, not on the page's first view.
  const suggest = () => {
    input.removeEventListener("focus", suggest);
    list.append(...ids.map((id) => el("option", { value: id })));
  };
  input.addEventListener("focus", suggest);
  const form = el(
    "form",
    { class: "rl-idsearch", role: "search", "aria-label": "Find a customer by ID" },
    el("label", { for: input.id }, "Customer ID"),
    el("div", { class: "rl-idsearch-row" }, input, el("button", { type: "submit", class: "rl-button" }, "Open")),
    list,
    el(
      "p",
      { class: "rl-kpi-label", id: "customer-id-hint" },
      "IDs look like 7590-VHVEG; suggestions appear as you type.",
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onOpen(input.value.trim());
  });
  return Object.assign(form, {
    set: (id: string) => {
      input.value = id;
    },
  });
}

export type Status =
  | { kind: "none" }
  | { kind: "unknown"; id: string; total: number }
  | { kind: "loading"; id: string }
  | { kind: "error"; id: string; message: string }
  | { kind: "customer"; id: string; summary: string };

/**
 * Fills the page's single status region (role=status, kept in the page so screen readers announce each change):
 * exactly one message, always the current one.
 */
export function showStatus(region: HTMLElement, status: Status, { onExample }: { onExample: () => void }): void {
  region.dataset.state = status.kind;
  region.classList.toggle("rl-message-warning", status.kind === "unknown" || status.kind === "error");
  region.classList.toggle("rl-message-loading", status.kind === "loading");
  if (status.kind === "none") {
    const example = el("button", { type: "button", class: "rl-button" }, "Open an example customer (7590-VHVEG)");
    example.addEventListener("click", onExample);
    region.replaceChildren(
      el("span", {}, "No customer selected. Search by ID, or pick a row in the table below. "),
      example,
    );
  } else if (status.kind === "unknown") {
    region.replaceChildren(
      `No customer with ID “${status.id}” in the Telco data (${status.total.toLocaleString("en-US")} customers). ` +
        "Check the ID, or pick a row in the table below.",
    );
  } else if (status.kind === "loading") {
    region.replaceChildren(`Loading customer ${status.id}…`);
  } else if (status.kind === "error") {
    region.replaceChildren(
      `Customer ${status.id} could not be loaded: ${status.message}. Reload the page to try again.`,
    );
  } else {
    const link = el("a", { href: "#customer-heading" }, `Customer ${status.id}`);
    region.replaceChildren("Showing ", link, `: ${status.summary}`);
  }
}

/** One row of the segment table. */
export interface TableRow {
  customer_id: string;
  persona: string;
  contract: string;
  tenure: number;
  monthly_charges: number;
  score: number;
  tier: RiskTier;
  ab_variant: string;
}

const COLUMNS: [keyof TableRow, string, (r: TableRow) => string][] = [
  ["persona", "Persona", (r) => r.persona],
  ["contract", "Contract", (r) => r.contract],
  ["tenure", "Tenure (months)", (r) => String(r.tenure)],
  ["monthly_charges", "Monthly charges", (r) => `$${r.monthly_charges.toFixed(2)}`],
  ["score", "Churn probability", (r) => percent(r.score)],
  ["tier", "Risk tier", (r) => tierLabel(r.tier)],
  ["ab_variant", "A/B variant", (r) => (r.ab_variant === "B" ? "B (treatment)" : "A (control)")],
];

/**
 * The customers of a segment, `pageSize` rows at a time with a "Show more" button. A click anywhere on a row opens
 * its customer; the ID in the first cell is a button, so the keyboard opens it too (Tab, then Enter or Space).
 * `mark(id)` highlights the open customer's row.
 */
export function customerTable(
  rows: readonly TableRow[],
  { onOpen, pageSize = 10, caption }: { onOpen: (id: string) => void; pageSize?: number; caption: string },
): HTMLElement & { mark: (id: string | null) => void } {
  const tbody = el("tbody");
  const head = el("tr", {}, el("th", { scope: "col" }, "Customer"));
  for (const [key, label] of COLUMNS)
    head.append(el("th", { scope: "col", class: key === "persona" || key === "contract" ? "" : "rl-num" }, label));
  const table = el("table", { class: "rl-customer-table" }, el("caption", {}, caption), el("thead", {}, head), tbody);
  const more = el("button", { type: "button", class: "rl-button" });
  const wrap = el("div", { class: "rl-table-scroll" }, table) as HTMLElement;
  const root = Object.assign(el("div", { class: "rl-customer-list" }, wrap, el("div", { class: "rl-actions" }, more)), {
    mark: (_id: string | null) => {},
  });
  let shown = 0;
  let marked: string | null = null;
  function render(n: number) {
    for (const r of rows.slice(shown, n)) {
      const tr = el("tr", { "data-id": r.customer_id });
      tr.append(el("th", { scope: "row" }, el("button", { type: "button", class: "rl-row-open" }, r.customer_id)));
      for (const [key, , format] of COLUMNS)
        tr.append(el("td", key === "persona" || key === "contract" ? {} : { class: "rl-num" }, format(r)));
      if (r.customer_id === marked) tr.setAttribute("aria-current", "true");
      tbody.append(tr);
    }
    shown = Math.min(n, rows.length);
    const left = rows.length - shown;
    more.hidden = left === 0;
    more.textContent = `Show ${Math.min(pageSize, left)} more (${left.toLocaleString("en-US")} not shown)`;
  }
  // One listener for every row: a click on a cell or on the ID button (keyboard activation clicks it) opens it.
  tbody.addEventListener("click", (event) => {
    const tr = (event.target as Element).closest("tr[data-id]") as HTMLTableRowElement | null;
    if (tr?.dataset.id) onOpen(tr.dataset.id);
  });
  more.addEventListener("click", () => render(shown + pageSize));
  root.mark = (id) => {
    marked = id;
    for (const tr of tbody.querySelectorAll<HTMLTableRowElement>("tr[data-id]")) {
      if (tr.dataset.id === id) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
    }
  };
  render(pageSize);
  return root;
}
