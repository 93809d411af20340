// The race's lane table: one row per lane (label, optimizer, learning rate, L2, keep_prob,
// activation, hidden sizes, initializer). A blank cell means "as in the playground"; its
// placeholder shows the playground's value. Rows become the `lanes` of a configure message
// (partial overrides of network / optimizer / regularization, see docs/protocol.md).

import { h } from "../../dom.js";
import { LANE_COLORS } from "../../../shared/canvas.js";
import { OPTIMIZER_LABELS } from "./teaching-card.js";

const ORDER = ["gd", "momentum", "rmsprop", "adam"];
const TYPICAL_LR = { rmsprop: 0.01, adam: 0.01 };

/** Columns: field, header, section, config key, kind, testid suffix. */
const COLUMNS = [
  ["optimizer", "Optimizer", "optimizer", "name", "menu:optimizers", "optimizer"],
  ["learning_rate", "Learning rate α", "optimizer", "learning_rate", "num", "lr"],
  ["l2", "L2 λ", "regularization", "l2", "num", "l2"],
  ["keep_prob", "Keep prob", "regularization", "keep_prob", "num", "keep"],
  ["activation", "Activation", "network", "activation", "menu:activations", "activation"],
  ["hidden", "Hidden layers", "network", "hidden", "hidden", "hidden"],
  ["init", "Init", "network", "init", "menu:initializers", "init"],
];

const formatHidden = (list) => (list.length ? list.join(",") : "none");

function parseHidden(text) {
  const t = text.trim();
  if (!t) return null;
  if (/^(none|-|0|\[\])$/i.test(t)) return [];
  const sizes = t.split(/[\s,]+/).filter(Boolean).map(Number);
  return sizes.every((n) => Number.isInteger(n) && n > 0) ? sizes : undefined;
}

/** A fresh row: the given fields set, everything else inherited from the playground. */
function makeRow(fields = {}, extra = {}) {
  return { label: "", optimizer: "", learning_rate: null, l2: null, keep_prob: null,
    activation: "", hidden: null, init: "", ...fields, extra };
}

/** A row showing a whole lane config's sections (lessons send them whole). */
export function rowFromSections(label, { network = {}, optimizer = {}, regularization = {} }) {
  return makeRow(
    { label, optimizer: optimizer.name ?? "", learning_rate: optimizer.learning_rate ?? null,
      l2: regularization.l2 ?? null, keep_prob: regularization.keep_prob ?? null,
      activation: network.activation ?? "", hidden: network.hidden ?? null, init: network.init ?? "" },
    { network, optimizer, regularization },
  );
}

/** The row's lane for the configure message: {label, network?, optimizer?, regularization?}. */
function rowToLane(row, config) {
  const sections = {
    network: { ...row.extra.network },
    optimizer: { ...row.extra.optimizer },
    regularization: { ...row.extra.regularization },
  };
  for (const [field, , section, key] of COLUMNS) {
    const v = row[field];
    if (v !== null && v !== "" && v !== undefined) sections[section][key] = v;
  }
  const lane = { label: row.label.trim() || autoLabel(row, config) };
  for (const [name, body] of Object.entries(sections)) if (Object.keys(body).length) lane[name] = body;
  return lane;
}

/** "Adam" or "GD" (the row's optimizer, else the playground's). */
function autoLabel(row, config) {
  const name = row.optimizer || config.optimizer.name;
  return OPTIMIZER_LABELS[name] ?? name;
}

/** Mounts the lane table into container; onChange() after every edit. */
export function mountLaneTable(container, store, onChange) {
  let rows = [makeRow({ optimizer: "gd" }), makeRow({ optimizer: "adam", learning_rate: 0.01 })];
  const maxLanes = () => store.options?.limits?.max_lanes ?? rows.length; // the server's limit
  const tbody = h("tbody");
  const addButton = h("button", { type: "button", class: "t-button", testid: "race-add-lane", text: "+ Add lane" });
  const table = h("table", { class: "t-lanes" },
    h("thead", {}, h("tr", {}, h("th", { text: "" }), h("th", { text: "Label" }),
      ...COLUMNS.map(([, head]) => h("th", { text: head })), h("th", { text: "" }))),
    tbody);
  container.append(h("div", { class: "t-lanes-wrap" }, table));

  const menu = (name, value, testid, placeholder) => {
    const select = h("select", { testid, "aria-label": name },
      h("option", { value: "", text: `— ${placeholder ?? ""}` }),
      ...(store.options?.[name.split(":")[1]] ?? []).map((e) => h("option", { value: e.name, text: e.name.replace(/_/g, " ") })));
    select.value = value ?? "";
    return select;
  };

  const cell = (row, i, [field, head, section, key, kind, suffix]) => {
    const testid = `race-${suffix}-${i}`;
    const current = store.config[section]?.[key];
    let input;
    if (kind.startsWith("menu:")) input = menu(kind, row[field], testid, current);
    else {
      const value = kind === "hidden" ? (row.hidden ? formatHidden(row.hidden) : "") : (row[field] ?? "");
      input = h("input", { type: kind === "hidden" ? "text" : "number", step: "any", min: "0", value: String(value),
        testid, "aria-label": head,
        placeholder: kind === "hidden" ? formatHidden(current ?? []) : String(current ?? "") });
      if (field === "keep_prob") input.max = "1";
    }
    input.dataset.field = field;
    input.dataset.row = String(i);
    return h("td", {}, input);
  };

  const render = () => {
    if (!store.config) return;
    tbody.replaceChildren(...rows.map((row, i) => h("tr", { testid: `race-lane-${i}` },
      h("td", {}, h("span", { class: "t-swatch", style: `background:${LANE_COLORS[i]}` })),
      h("td", {}, h("input", { type: "text", value: row.label, placeholder: autoLabel(row, store.config),
        maxlength: "60", testid: `race-label-${i}`, "aria-label": "Label", "data-field": "label", "data-row": String(i) })),
      ...COLUMNS.map((col) => cell(row, i, col)),
      h("td", {}, h("button", { type: "button", class: "t-icon", testid: `race-remove-${i}`, text: "×",
        "aria-label": `Remove lane ${i}`, disabled: rows.length <= 1, "data-remove": String(i) })))));
    addButton.disabled = rows.length >= maxLanes();
  };

  const read = (input) => {
    const row = rows[Number(input.dataset.row)];
    const field = input.dataset.field;
    if (!row) return;
    if (field === "label" || input.tagName === "SELECT") row[field] = input.value;
    else if (field === "hidden") {
      const v = parseHidden(input.value);
      input.toggleAttribute("aria-invalid", v === undefined);
      if (v !== undefined) row.hidden = v;
    } else {
      const v = input.value.trim() === "" ? null : Number(input.value);
      const bad = v !== null && (!Number.isFinite(v) || v < 0 || (field === "keep_prob" && (v <= 0 || v > 1)));
      input.toggleAttribute("aria-invalid", bad);
      if (!bad) row[field] = v;
    }
    if (field === "optimizer") {
      const label = tbody.querySelector(`[data-field=label][data-row="${input.dataset.row}"]`);
      if (label) label.placeholder = autoLabel(row, store.config);
    }
    onChange();
  };
  tbody.addEventListener("input", (e) => e.target.dataset.field && read(e.target));
  tbody.addEventListener("change", (e) => e.target.dataset.field && read(e.target));
  tbody.addEventListener("click", (e) => {
    const i = e.target.closest("[data-remove]")?.dataset.remove;
    if (i === undefined || rows.length <= 1) return;
    rows.splice(Number(i), 1);
    render();
    onChange();
  });
  addButton.addEventListener("click", () => {
    if (rows.length >= maxLanes()) return;
    const used = new Set(rows.map((r) => r.optimizer || store.config.optimizer.name));
    const name = ORDER.find((o) => !used.has(o)) ?? "gd";
    rows.push(makeRow({ optimizer: name, learning_rate: TYPICAL_LR[name] ?? null }));
    render();
    onChange();
  });
  store.on("options", render);
  // The playground's values show as placeholders; updated in place so typing is never lost.
  const refreshPlaceholders = () => {
    for (const [field, , section, key, kind] of COLUMNS) {
      const current = store.config[section]?.[key];
      for (const input of tbody.querySelectorAll(`[data-field="${field}"]`)) {
        if (input.tagName === "SELECT") input.options[0].text = `— ${current ?? ""}`;
        else input.placeholder = kind === "hidden" ? formatHidden(current ?? []) : String(current ?? "");
      }
    }
    for (const input of tbody.querySelectorAll("[data-field=label]")) {
      input.placeholder = autoLabel(rows[Number(input.dataset.row)], store.config);
    }
  };
  store.on("config", refreshPlaceholders);
  render();
  return {
    addButton,
    rows: () => rows,
    setRows(next) {
      rows = next.slice(0, maxLanes());
      render();
    },
    lanes: () => rows.map((row) => rowToLane(row, store.config)),
  };
}
