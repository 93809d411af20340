// Export and import: "Download" saves {config, weights, iteration} of lane 0 as JSON;
// "Load" reads such a file and configures the session with its config and
// initial_weights, so training continues from those weights (the counter restarts at 0);
// the page takes the file's config only once the server has accepted it.

import { h } from "../../dom.js";
import { mergeConfig } from "../../../shared/config-link.js";
import { mountCard } from "./teaching-card.js";

const PARAMETER = /^[Wb]\d+$/; // what configure's initial_weights accepts

/** The file's name: descent-<dataset>-<iteration>.json. */
const fileName = (config, iteration) => `descent-${config.dataset?.name ?? "run"}-iteration-${iteration}.json`;

/** Mounts the export/import panel into #teaching. */
export function mountTransfer(root, store, api) {
  const { body } = mountCard(root, {
    name: "transfer", title: "Save and load weights", testid: "transfer-panel",
    intro: "Download the configuration with lane 0's current weights; load such a file to continue training from those weights.",
  });
  const download = h("button", { type: "button", class: "t-button", testid: "export", text: "⤓ Download" });
  const file = h("input", { type: "file", accept: "application/json,.json", testid: "import", class: "t-file" });
  const load = h("label", { class: "t-button" }, "⤒ Load…", file);
  const status = h("p", { class: "t-muted", testid: "transfer-status", "aria-live": "polite" });
  body.append(h("div", { class: "t-toolbar" }, download, load), status);

  let latest = null; // {weights, iteration} of lane 0's last frame that carried weights
  let pending = null; // {name, iteration, dropped} of a file the server is checking
  store.on("configured", (msg) => {
    latest = null;
    if (!pending) return;
    const lane0 = msg.lanes?.find((l) => l.lane === 0) ?? msg.lanes?.[0];
    if (lane0?.config) store.load(lane0.config, { configure: false }); // the session runs it already
    const { name, iteration, dropped } = pending;
    pending = null;
    status.textContent = `Loaded ${name}: weights of iteration ${iteration}; training continues from them.` +
      (dropped.length ? ` (${dropped.join(", ")} start from the config.)` : "");
  });
  store.on("error", ({ message }) => {
    if (!pending) return;
    status.textContent = `Could not load ${pending.name}, nothing changed: ${message ?? "the server refused it"}`;
    pending = null;
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) === 0 && f.weights) latest = { weights: f.weights, iteration: f.iteration };
  });

  download.addEventListener("click", () => {
    if (!latest) {
      status.textContent = "No weights yet: wait for the first frame.";
      return;
    }
    const doc = { config: store.config, weights: latest.weights, iteration: latest.iteration };
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" }));
    const a = h("a", { href: url, download: fileName(store.config, latest.iteration), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    status.textContent = `Saved the weights of iteration ${latest.iteration}.`;
  });

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      const doc = JSON.parse(await chosen.text());
      if (!doc || typeof doc.config !== "object" || typeof doc.weights !== "object") {
        throw new Error("expected {\"config\": ..., \"weights\": ...}");
      }
      const weights = Object.fromEntries(Object.entries(doc.weights).filter(([k]) => PARAMETER.test(k)));
      const dropped = Object.keys(doc.weights).filter((k) => !PARAMETER.test(k));
      // Nothing changes until the server accepts the file: then the page takes its config.
      if (store.status.state === "running") api.pause();
      const config = mergeConfig(store.options.defaults, doc.config);
      if (!api.send({ type: "configure", config, initial_weights: weights })) throw new Error("the server cannot be reached");
      pending = { name: chosen.name, iteration: doc.iteration ?? "?", dropped };
      status.textContent = `Checking ${chosen.name}…`;
    } catch (err) {
      status.textContent = `Could not load ${chosen.name}: ${err.message}`;
    } finally {
      file.value = "";
    }
  });
}
