// The Share dialog: the link to this playground (config, drawing options and which controls
// to hide from students), a button that copies it, and a checkbox per hideable control.

import { h } from "../dom.js";
import { linkHash } from "../../shared/pointlink.js";
import { controlName } from "../../shared/config-link.js";

/** Controls a classroom link can hide (their data-control names) and their labels. */
const HIDEABLE = [
  ["datasets", "Dataset picker"], ["classes", "Classes"], ["own_data", "CSV upload / download"],
  ["draw", "Draw points"], ["test_fraction", "Test data ratio"], ["noise", "Noise"],
  ["batch_size", "Batch size"], ["regenerate", "Regenerate data"], ["features", "Features"],
  ["layers", "Layers and neurons"], ["edit_weights", "Editing weights by hand"], ["optimizer", "Optimizer"],
  ["learning_rate", "Learning rate"],
  ["activation", "Activation"], ["problem", "Problem type"], ["init", "Initialization"],
  ["l2", "L2 λ"], ["l1", "L1 λ₁"], ["keep_prob", "Keep prob"], ["advanced", "Advanced settings"],
  ["teaching", "All teaching panels"], ["race", "Optimizer race"], ["gradcheck", "Gradient check"],
];

/** The link to the page for a config, hide set, view flags, class names and speed (custom
 * points are packed, hence a promise). */
async function shareLink(config, hide, view, legend = null, speed = undefined) {
  const url = new URL(window.location.href);
  url.hash = await linkHash(config, hide, view, legend, speed);
  return url.href;
}

/** Mounts the Share button ([data-view=share]) and its dialog. */
export function mountShare(root, store) {
  const button = root.querySelector("[data-view=share]");
  const link = h("input", { type: "text", readonly: true, class: "share-link", testid: "share-link", "aria-label": "Link to this playground" });
  const copied = h("span", { class: "share-copied", testid: "share-copied", "aria-live": "polite" });
  const copy = h("button", { type: "button", class: "t-button primary", testid: "share-copy", text: "Copy link" });
  const close = h("button", { type: "button", class: "t-button", testid: "share-close", text: "Close" });
  const boxes = HIDEABLE.map(([name, label]) => h("label", { class: "check" },
    h("input", { type: "checkbox", value: name, testid: `share-hide-${name}` }), label));
  const dialog = h("dialog", { class: "share-dialog", testid: "share-dialog", "aria-labelledby": "share-title" },
    h("h2", { id: "share-title", text: "Share this playground" }),
    h("p", { class: "hint", text: "The link holds the whole configuration and how the page draws it. " +
      "Tick the controls that students following the link should not see." }),
    h("div", { class: "share-row" }, link, copy, copied),
    h("fieldset", { class: "share-hide" }, h("legend", { text: "Hide from students" }), boxes),
    h("div", { class: "share-row end" }, close));
  document.body.append(dialog);

  const chosen = () => new Set(boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => controlName(b.value)));
  const refresh = async () => {
    link.value = await shareLink(store.config, chosen(), store.view, store.legend, store.speed);
    copied.textContent = "";
  };

  button.addEventListener("click", () => {
    if (!store.config) return;
    for (const label of boxes) label.firstChild.checked = store.hidden(label.firstChild.value);
    dialog.showModal();
    refresh().then(() => link.select());
  });
  dialog.addEventListener("change", refresh);
  close.addEventListener("click", () => dialog.close());
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.value);
      copied.textContent = "Copied.";
    } catch {
      link.select();
      copied.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
    }
  });
}
