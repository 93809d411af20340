// Generic form binding: every element with data-path="a.b" edits that config path.
// data-kind says how to parse it (num, int, str, bool, batch). Menus come from options
// (data-menu="optimizers"), conditional fields use data-when, and hide flags use
// data-control (space-separated names; `hide=optimizer,l2` in the URL hides those).
// Checkboxes with data-view-flag="show_test" switch a drawing option of store.view.

import { classesRange, isCustom } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { formatNumber } from "../../shared/format.js";
import { getPath } from "../../shared/config-link.js";

const DEBOUNCE_MS = 350;

/** The allowed range of a number control in words: "allowed: 1e-7 to 100", "allowed: ≥ 0". */
function rangeText(el) {
  const lo = el.min === "" ? null : formatNumber(Number(el.min), 6);
  const hi = el.max === "" ? null : formatNumber(Number(el.max), 6);
  const whole = el.dataset.kind === "int" ? "a whole number " : "";
  if (lo != null && hi != null) return `allowed: ${whole}${lo} to ${hi}`;
  if (lo != null) return `allowed: ${whole}≥ ${lo}`;
  return hi != null ? `allowed: ${whole}≤ ${hi}` : `allowed: ${whole || "a number"}`.trim();
}

/** Parses an element's value by its data-kind: {value}, or {problem} saying why it is refused. */
function readControl(el) {
  const kind = el.dataset.kind;
  if (kind === "bool") return { value: el.checked };
  if (kind === "str") return { value: el.value };
  if (kind === "batch") return { value: el.value === "all" || el.value === "" ? null : parseInt(el.value, 10) };
  const v = Number(el.value);
  const bad = el.value.trim() === "" || !Number.isFinite(v) || (kind === "int" && !Number.isInteger(v))
    || (el.min !== "" && v < Number(el.min)) || (el.max !== "" && v > Number(el.max));
  if (!bad) return { value: v };
  const what = el.value.trim() === "" ? "empty" : `${el.value.trim()} is not allowed`;
  return { problem: `${what}; ${rangeText(el)}` };
}

/** Marks a control as refused and says why next to it (text null: accepted again). */
function showProblem(el, text) {
  const field = el.closest(".field, .slider") ?? el.parentElement;
  let note = field.querySelector(":scope > [data-role=field-problem]");
  if (text == null) {
    el.removeAttribute("aria-invalid");
    note?.remove();
    return;
  }
  if (!note) {
    note = h("output", { class: "field-problem", "data-role": "field-problem", role: "alert" });
    note.id = `${el.id || el.dataset.testid || "field"}-problem`;
    field.append(note);
  }
  note.textContent = text;
  el.setAttribute("aria-invalid", "true");
  el.setAttribute("aria-describedby", note.id);
}

/** Writes a config value into a control (adding a select option if it is missing). */
function writeControl(el, value) {
  const kind = el.dataset.kind;
  if (kind === "bool") {
    el.checked = Boolean(value);
    return;
  }
  const text = kind === "batch" && value == null ? "all" : String(value ?? "");
  if (el.tagName === "SELECT" && text && ![...el.options].some((o) => o.value === text)) {
    el.add(new Option(text, text));
  }
  if (el.value !== text) el.value = text;
}

/** Sets min/max/title of number inputs from the options' hyperparameter ranges. */
function applyRanges(root, options) {
  const specs = {
    "optimizer.learning_rate": options.optimizer_common?.learning_rate,
    "optimizer.decay": options.optimizer_common?.decay,
  };
  for (const family of ["activations", "initializers"]) {
    for (const entry of options[family] ?? []) {
      for (const [name, spec] of Object.entries(entry.hyperparameters ?? {})) {
        specs[`network.${name}`] = spec;
      }
    }
  }
  for (const [path, spec] of Object.entries(specs)) {
    const el = spec && root.querySelector(`input[data-path="${path}"]`);
    if (!el) continue;
    if (spec.min != null) el.min = spec.min;
    if (spec.max != null) el.max = spec.max;
    if (spec.description) el.title = spec.description;
  }
}

/** Fills every select[data-menu] with the names from the matching options list. */
function buildMenus(root, options) {
  for (const select of root.querySelectorAll("select[data-menu]")) {
    const entries = options[select.dataset.menu] ?? [];
    select.replaceChildren(
      ...entries.map((e) => {
        const opt = new Option(e.label ?? e.name.replace(/_/g, " "), e.name);
        if (e.description) opt.title = e.description;
        return opt;
      }),
    );
  }
}

function updateReadout(el) {
  const out = el.closest("[data-control]")?.querySelector("[data-role=readout]");
  if (!out) return;
  const v = Number(el.value);
  out.textContent = out.dataset.format === "percent" ? `${Math.round(v * 100)}%` : String(v);
}

/** Copies the store's config into every [data-path] control, except uncommitted edits. */
export function syncControls(root, store, skip = null) {
  for (const el of root.querySelectorAll("[data-path]")) {
    if (el === skip || el.dataset.dirty) continue;
    writeControl(el, getPath(store.config, el.dataset.path));
    if (el.type === "range") updateReadout(el);
  }
}

function whenVisible(name, store) {
  const opts = store.options;
  if (!opts) return false;
  const find = (list, key) => (opts[list] ?? []).find((e) => e.name === key);
  if (name === "activation-slope") {
    return Boolean(find("activations", store.config.network.activation)?.hyperparameters?.leaky_slope);
  }
  if (name === "init-scale") {
    return Boolean(find("initializers", store.config.network.init)?.hyperparameters?.init_scale);
  }
  if (name === "built-in") return !isCustom(store.config); // noise means nothing for own points
  if (name === "classes") return classesRange(store.config, opts) != null;
  return true;
}

/** Applies hide flags (data-control) and conditional fields (data-when). */
export function refreshVisibility(root, store) {
  for (const el of root.querySelectorAll("[data-control], [data-when]")) {
    const names = (el.dataset.control ?? "").split(/\s+/).filter(Boolean);
    const flagged = names.some((name) => store.hidden(name));
    const shown = !el.dataset.when || whenVisible(el.dataset.when, store);
    el.hidden = Boolean(flagged) || !shown;
  }
  // A top-bar group whose every field is locked goes too: no heading over nothing.
  for (const group of root.querySelectorAll?.("fieldset.group") ?? []) {
    const fields = [...group.querySelectorAll(":scope > [data-control]")];
    if (fields.length && !group.dataset.control.split(/\s+/).some((n) => store.hidden(n))) {
      group.hidden = fields.every((f) => f.hidden || f.matches(".field-group:empty"));
    }
  }
}

/** Wires all [data-path] controls under root to the store (two-way). */
export function mountControls(root, store) {
  const timers = new WeakMap();
  const commit = (el) => {
    clearTimeout(timers.get(el));
    delete el.dataset.dirty;
    const { value, problem } = readControl(el);
    showProblem(el, problem ?? null);
    if (problem == null) store.patch({ [el.dataset.path]: value });
  };
  root.addEventListener("input", (e) => {
    const el = e.target.closest("[data-path]");
    if (!el) return;
    if (el.type === "range") updateReadout(el);
    const typed = el.tagName === "INPUT" && (el.type === "number" || el.type === "text");
    if (!typed) return commit(el);
    clearTimeout(timers.get(el));
    el.dataset.dirty = "true";
    timers.set(el, setTimeout(() => commit(el), DEBOUNCE_MS));
  });
  root.addEventListener("change", (e) => {
    const flag = e.target.closest("[data-view-flag]");
    if (flag) store.setView(flag.dataset.viewFlag, flag.checked);
    const el = e.target.closest("[data-path]");
    if (el) commit(el);
  });
  store.on("view", (view) => {
    for (const box of root.querySelectorAll("[data-view-flag]")) box.checked = Boolean(view[box.dataset.viewFlag]);
  });
  // A value the server refused: its reason, and the control's range when it has one.
  store.on("error", ({ field, message, source }) => {
    if (source === "link") return; // a link's fallbacks are explained in the status area
    const el = field && root.querySelector(`[data-path="${CSS.escape(field)}"]`);
    if (!el) return;
    const reason = String(message ?? "refused").replace(`${field}: `, "");
    showProblem(el, el.type === "number" && !/allowed/.test(reason) ? `${reason}; ${rangeText(el)}` : reason);
  });
  store.on("options", () => {
    applyRanges(root, store.options);
    buildMenus(root, store.options);
    syncControls(root, store);
    refreshVisibility(root, store);
  });
  store.on("config", ({ source }) => {
    const active = source === "ui" ? document.activeElement : null;
    syncControls(root, store, active);
    refreshVisibility(root, store);
  });
}
