// Generic form binding: every element with data-path="a.b" edits that config path.
// data-kind says how to parse it (num, int, str, bool, batch). Menus come from options
// (data-menu="optimizers"), conditional fields use data-when, and hide flags use
// data-control (space-separated names; `hide=optimizer,l2` in the URL hides those).

import { getPath } from "../state.js";

const DEBOUNCE_MS = 350;

/** Parses an element's value by its data-kind; undefined if invalid. */
export function readControl(el) {
  const kind = el.dataset.kind;
  if (kind === "bool") return el.checked;
  if (kind === "str") return el.value;
  if (kind === "batch") return el.value === "all" || el.value === "" ? null : parseInt(el.value, 10);
  const v = kind === "int" ? parseInt(el.value, 10) : Number(el.value);
  if (el.value.trim() === "" || !Number.isFinite(v)) return undefined;
  if (el.min !== "" && v < Number(el.min)) return undefined;
  if (el.max !== "" && v > Number(el.max)) return undefined;
  return v;
}

/** Writes a config value into a control (adding a select option if it is missing). */
export function writeControl(el, value) {
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
  el.removeAttribute("aria-invalid");
}

/** Sets min/max/title of number inputs from the options' hyperparameter ranges. */
export function applyRanges(root, options) {
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
export function buildMenus(root, options) {
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
}

/** Wires all [data-path] controls under root to the store (two-way). */
export function mountControls(root, store) {
  const timers = new WeakMap();
  const commit = (el) => {
    clearTimeout(timers.get(el));
    delete el.dataset.dirty;
    const value = readControl(el);
    if (value === undefined) {
      el.setAttribute("aria-invalid", "true");
      return;
    }
    el.removeAttribute("aria-invalid");
    store.patch({ [el.dataset.path]: value });
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
    const el = e.target.closest("[data-path]");
    if (el) commit(el);
  });
  store.on("error", ({ field }) => {
    const el = field && root.querySelector(`[data-path="${CSS.escape(field)}"]`);
    if (el) el.setAttribute("aria-invalid", "true");
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
