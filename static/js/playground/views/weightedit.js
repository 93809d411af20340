// Editing one weight by hand: a click on a link (W[l] from unit j to unit i) or on a neuron
// (its bias b[l]) opens a number box there; Enter sends the `edit` message, and the server's
// exact frame that answers it redraws links, heatmaps, boundary and costs at once. A link
// with hide=edit_weights turns editing off.

import { h } from "../dom.js";
import { formatNumber } from "../../shared/format.js";
import { linkLabel, unitName } from "./links.js";
import { hideTip } from "./tooltip.js";

/** The parameter a click names: {name, row, column, title}, or null. */
function target(e, store) {
  const outputLayer = store.config.network.hidden.length + 1;
  const path = e.target.closest("path[data-link]");
  const features = store.config.features.map((f) => store.options?.features?.find((o) => o.name === f)?.label ?? f);
  if (path) {
    const [l, i, j] = path.dataset.link.split(",").map(Number);
    return { name: `W${l}`, row: i, column: j, title: linkLabel(path.dataset.link, null, features, outputLayer).replace(/ = –$/, "") };
  }
  const node = e.target.closest("[data-unit]");
  if (!node || node.dataset.feature) return null;
  const l = Number(node.dataset.layer);
  const i = Number(node.dataset.unit);
  return { name: `b${l}`, row: i, column: 0, title: `b[${l}] of ${unitName(l, i, features, outputLayer)}` };
}

/** Mounts the weight editor on the network view ([data-view=network]). */
export function mountWeightEdit(root, store, api) {
  const box = root.querySelector("[data-view=network]");
  const title = h("div", { class: "w-edit-title", testid: "weight-edit-title" });
  const limit = () => store.options?.limits?.max_edit ?? Infinity; // the server's bound on |value| (docs/protocol.md `edit`)
  const input = h("input", { type: "number", step: "any", testid: "weight-edit-value", "aria-label": "New value" });
  const note = h("div", { class: "w-edit-note", testid: "weight-edit-note", role: "status" });
  const editor = h("form", { class: "w-edit", testid: "weight-edit", hidden: true, noValidate: true, "aria-label": "Edit a weight" },
    title, h("div", { class: "w-edit-row" }, input,
      h("button", { type: "submit", class: "t-button primary", text: "Set", testid: "weight-edit-set" }),
      h("button", { type: "button", class: "t-button", text: "×", "aria-label": "Close", onclick: () => close() })),
    note);
  document.body.append(editor); // over the page: the network view scrolls sideways
  let editing = null; // {name, row, column}
  store.on("options", () => {
    input.min = String(-limit());
    input.max = String(limit());
  });

  const close = () => {
    editor.hidden = true;
    editing = null;
  };
  const current = () => {
    const w = store.frames.get(0)?.weights?.[editing.name]?.[editing.row]?.[editing.column];
    return w == null ? null : w;
  };

  box.addEventListener("click", (e) => {
    if (editor.contains(e.target) || !store.config || store.hidden("edit_weights")) return;
    const t = target(e, store);
    if (!t) return;
    editing = t;
    hideTip();
    title.textContent = `${t.title}`;
    const w = current();
    input.value = w == null ? "" : String(Number(w.toPrecision(6)));
    note.textContent = "Enter sets it in the live network; the optimizer's averages keep theirs.";
    editor.hidden = false;
    const x = Math.min(e.clientX - 20, document.documentElement.clientWidth - editor.offsetWidth - 6);
    editor.style.left = `${Math.max(6, x) + window.scrollX}px`;
    editor.style.top = `${e.clientY + 10 + window.scrollY}px`;
    input.focus();
    input.select();
  });

  editor.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = Number(input.value);
    if (!editing || input.value.trim() === "" || !Number.isFinite(value) || Math.abs(value) > limit()) {
      note.textContent = `Type a number from ${formatNumber(-limit())} to ${formatNumber(limit())}.`;
      input.setAttribute("aria-invalid", "true");
      return;
    }
    input.removeAttribute("aria-invalid");
    const { name, row, column } = editing;
    if (api.send({ type: "edit", lane: 0, name, row, column, value })) {
      note.textContent = `Set to ${formatNumber(value, 4)}.`;
    } else note.textContent = "Not sent: the server cannot be reached.";
  });
  document.addEventListener("click", (e) => { // a click elsewhere closes the box
    if (!editor.hidden && !editor.contains(e.target) && !box.contains(e.target)) close();
  });
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  store.on("error", ({ field, message }) => {
    if (editing && ["name", "row", "column", "value", "lane"].includes(field)) note.textContent = message;
  });
  store.on("configured", close);
  store.on("config", ({ changes }) => {
    if (changes && ("network.hidden" in changes || "features" in changes)) close();
  });
}
