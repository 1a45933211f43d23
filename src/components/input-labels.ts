/**
 * Accessible names for the controls Observable Inputs leaves unnamed, through real <label for> elements:
 * - a range's slider (Inputs labels only its number box): labelled with the input's label;
 * - a table's selection checkboxes or radios: "Select all rows", "Select <the row's first cell>";
 * - a table's scroll box: reachable by keyboard (tabindex 0) and named, so its rows can be scrolled without a mouse.
 * Tables render more rows as they scroll, so rows added later are labelled as they appear.
 *
 *   const power = view(labelControls(Inputs.range([0.5, 0.99], { label: "Power", step: 0.01 })));
 */

let counter = 0;
const nextId = () => `rl-control-${++counter}`;

function addLabel(control: HTMLInputElement, text: string): void {
  if (control.labels?.length || control.hasAttribute("aria-label")) return;
  if (!control.id) control.id = nextId();
  const label = control.ownerDocument.createElement("label");
  label.className = "rl-sr-only";
  label.htmlFor = control.id;
  label.textContent = text;
  control.after(label);
}

/** The text of the Inputs form's own label, or `fallback`. */
function formLabel(form: HTMLElement, fallback: string): string {
  const label = form.querySelector(":scope > label");
  return label?.textContent?.trim() || fallback;
}

function labelTableRows(root: Element): void {
  for (const input of root.querySelectorAll<HTMLInputElement>("input[type=checkbox], input[type=radio]")) {
    const cell = input.closest("th, td");
    const row = input.closest("tr");
    if (!cell || !row) continue;
    if (cell.tagName === "TH") addLabel(input, "Select all rows");
    else {
      const first = [...row.cells].find((c) => c !== cell)?.textContent?.trim();
      addLabel(input, first ? `Select ${first}` : "Select this row");
    }
  }
}

/** Names every unnamed control of an Inputs form (see above); returns the form, for chaining into view(). */
export function labelControls<T extends HTMLElement>(form: T, name = "Value"): T {
  const text = formLabel(form, name);
  for (const range of form.querySelectorAll<HTMLInputElement>("input[type=range]")) addLabel(range, text);
  const table = form.querySelector("table");
  if (table) {
    form.tabIndex = 0;
    form.setAttribute("aria-label", `Table: ${name}`);
    labelTableRows(table);
    if (typeof MutationObserver !== "undefined")
      new MutationObserver(() => labelTableRows(table)).observe(table, { childList: true, subtree: true });
  }
  return form;
}
