/**
 * The "What if?" form: one labelled control per model input, a message under any invalid field, and a reset
 * <button>. It is an Observable view: `value` is {values, row, messages, changed} and every edit dispatches "input".
 * Numbers are typed as text so that an out-of-range or non-numeric entry gets a message instead of silently
 * clamping or becoming NaN.
 */
import { TELCO_SPEC, type RawRow } from "../lib/features.js";
import { applyEdit, changedFields, checkInput, featureLabel, type CheckedInput } from "../lib/whatif.js";

export interface WhatIfValue extends CheckedInput {
  /** The raw form values (strings for numbers). */
  values: RawRow;
  /** Fields that differ from the original (empty until edited). */
  changed: string[];
}

/** The fields the form shows first (the levers); every other model feature follows in column-table order. */
const FIRST = [
  "contract",
  "tenure",
  "monthly_charges",
  "total_charges",
  "internet_service",
  "online_security",
  "online_backup",
  "device_protection",
  "tech_support",
  "streaming_tv",
  "streaming_movies",
  "phone_service",
  "multiple_lines",
  "payment_method",
  "paperless_billing",
  "senior_citizen",
  "partner",
  "dependents",
  "gender",
];

/** The what-if form for one customer's model inputs. */
export function whatIfForm(original: RawRow, { idPrefix = "whatif" } = {}): HTMLFormElement & { value: WhatIfValue } {
  const form = document.createElement("form") as HTMLFormElement & { value: WhatIfValue };
  form.className = "rl-whatif";
  form.noValidate = true;
  form.addEventListener("submit", (e) => e.preventDefault());
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  let values: RawRow = { ...original };

  const grid = document.createElement("div");
  grid.className = "rl-whatif-grid";
  const names = TELCO_SPEC.fields.map((f) => f.name);
  const order = [...FIRST.filter((n) => names.includes(n)), ...names.filter((n) => !FIRST.includes(n))];
  for (const name of order) {
    const field = TELCO_SPEC.fields.find((f) => f.name === name);
    if (!field) continue;
    const id = `${idPrefix}-${name}`;
    const wrap = document.createElement("div");
    wrap.className = "rl-whatif-field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = featureLabel(name) + (field.kind === "numeric" && field.unit ? ` (${field.unit})` : "");
    let control: HTMLInputElement | HTMLSelectElement;
    if (field.kind === "numeric") {
      const input = document.createElement("input");
      input.type = "text";
      input.inputMode = field.integer ? "numeric" : "decimal";
      input.autocomplete = "off";
      input.title = `${field.description}: ${field.min}–${field.max}${field.unit ? ` ${field.unit}` : ""}`;
      control = input;
    } else {
      const select = document.createElement("select");
      const options =
        field.kind === "binary"
          ? [field.negative, field.positive]
          : field.kind === "ordinal"
            ? field.levels
            : field.categories.map(String);
      for (const o of options) select.append(new Option(o, o));
      control = select;
    }
    control.id = id;
    control.name = name;
    const error = document.createElement("div");
    error.className = "rl-field-error";
    error.id = `${id}-error`;
    error.setAttribute("aria-live", "polite");
    control.setAttribute("aria-describedby", error.id);
    wrap.append(label, control, error);
    grid.append(wrap);
    controls.set(name, control);
    errors.set(name, error);
    // The form dispatches its own "input" once its value is up to date; the control's own event stops here.
    control.addEventListener("input", (event) => {
      event.stopPropagation();
      values = applyEdit(values, name, control.value);
      sync();
      update();
    });
  }

  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "rl-button";
  reset.textContent = "Reset to the customer's values";
  reset.addEventListener("click", () => {
    values = { ...original };
    sync();
    update();
  });
  form.append(grid, reset);

  /** Write `values` into the controls (an edit can change other fields, e.g. add-ons). */
  function sync() {
    for (const [name, control] of controls) {
      const v = values[name];
      const text = v === null || v === undefined ? "" : String(v);
      if (control.value !== text && document.activeElement !== control) control.value = text;
      else if (control instanceof HTMLSelectElement && control.value !== text) control.value = text;
    }
  }

  function compute(): WhatIfValue {
    const checked = checkInput(values);
    for (const [name, error] of errors) {
      const message = checked.messages[name] ?? "";
      error.textContent = message;
      controls.get(name)!.setAttribute("aria-invalid", message ? "true" : "false");
    }
    const changed = checked.row ? changedFields(original, checked.row) : changedFields(original, values);
    reset.disabled = changed.length === 0 && !Object.keys(checked.messages).length;
    return { ...checked, values: { ...values }, changed };
  }

  function update() {
    form.value = compute();
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  sync();
  form.value = compute();
  return form;
}
