/**
 * The "What if?" form: one labelled control per model input, a message under any invalid field, and a reset
 * <button>. It is an Observable view: `value` is {values, row, messages, changed} and every edit dispatches "input".
 * Numbers are typed as text so that an out-of-range or non-numeric entry gets a message instead of silently
 * clamping or becoming NaN.
 */
import { TELCO_SPEC, type RawRow } from "../lib/features.js";
import {
  applyEdit,
  changedFields,
  checkInput,
  featureLabel,
  formatValue,
  type CheckedInput,
  type FollowedChange,
} from "../lib/whatif.js";

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

export type WhatIfForm = HTMLFormElement & {
  value: WhatIfValue;
  /** Puts these values in the form (a suggested change, say) and re-scores. */
  apply: (row: RawRow) => void;
};

/**
 * The what-if form for one customer's model inputs. Dependent fields follow an edit visibly (a note lists them and
 * they are highlighted): add-ons with the internet service, multiple lines with the phone line, and total charges
 * with tenure × monthly charges until the user types a total.
 */
export function whatIfForm(original: RawRow, { idPrefix = "whatif" } = {}): WhatIfForm {
  const form = document.createElement("form") as WhatIfForm;
  form.className = "rl-whatif";
  form.noValidate = true;
  form.addEventListener("submit", (e) => e.preventDefault());
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  const hints = new Map<string, HTMLElement>();
  let values: RawRow = { ...original };
  let totalFollows = true;
  const followedNote = document.createElement("p");
  followedNote.className = "rl-followed";
  followedNote.setAttribute("aria-live", "polite");

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
    if (name === "total_charges") {
      const hint = document.createElement("div");
      hint.className = "rl-kpi-label rl-total-hint";
      hint.id = `${id}-hint`;
      control.setAttribute("aria-describedby", `${error.id} ${hint.id}`);
      wrap.append(hint);
      hints.set(name, hint);
    }
    control.addEventListener("input", (event) => {
      event.stopPropagation();
      if (name === "total_charges") totalFollows = false;
      const edit = applyEdit(values, name, control.value, { totalFollows });
      values = edit.row;
      showFollowed(edit.followed);
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
    totalFollows = true;
    showFollowed([]);
    sync();
    update();
  });
  form.append(grid, followedNote, reset);

  /** Says which fields followed the last edit, and highlights them until the next one. */
  function showFollowed(followed: FollowedChange[]) {
    for (const control of controls.values()) control.classList.remove("rl-followed-field");
    for (const f of followed) controls.get(f.field)?.classList.add("rl-followed-field");
    followedNote.textContent = followed.length
      ? `Also changed, to keep the customer consistent: ${followed
          .map(
            (f) =>
              `${featureLabel(f.field)} ${formatValue(f.field, f.from)} → ${formatValue(f.field, f.to)} (${f.because})`,
          )
          .join("; ")}.`
      : "";
  }

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
    const hint = hints.get("total_charges");
    if (hint)
      hint.textContent = totalFollows
        ? "Follows tenure × monthly charges until you type a total."
        : "Set by you: no longer follows tenure × monthly charges.";
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

  form.apply = (row: RawRow) => {
    const next = { ...values, ...row };
    showFollowed([]);
    values = next;
    sync();
    update();
  };

  sync();
  form.value = compute();
  return form;
}
