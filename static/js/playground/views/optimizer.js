// The optimizer's own hyperparameters (gd: none; momentum: beta; rmsprop: beta, epsilon;
// adam: beta1, beta2, epsilon), rebuilt from /api/options whenever the optimizer changes;
// epsilon sits in the top bar's advanced panel.

import { h } from "../dom.js";
import { syncControls, refreshVisibility } from "./controls.js";

const LABELS = { beta: "β", beta1: "β₁", beta2: "β₂", epsilon: "ε" };
/** Hyperparameters that live in the top bar's advanced panel. */
const ADVANCED = new Set(["epsilon"]);

function paramField(name, spec) {
  const id = `ctl-opt-${name}`;
  return h("div", { class: "field sub", "data-control": name },
    h("label", { for: id, text: LABELS[name] ?? name }),
    h("input", {
      id, type: "number", step: "any", min: spec?.min == null ? null : String(spec.min),
      max: spec?.max == null ? null : String(spec.max), title: spec?.description, testid: `optimizer-param-${name}`,
      "data-path": `optimizer.${name}`, "data-kind": "num",
      "aria-label": `${name} (${spec?.description ?? "optimizer hyperparameter"})`,
    }));
}

/** Mounts the optimizer hyperparameter fields into [data-view=optimizer-params], the rarely
 * changed ones (ε) into the advanced panel's [data-view=advanced-optimizer-params]. */
export function mountOptimizerParams(root, store) {
  const box = root.querySelector("[data-view=optimizer-params]");
  const advancedBox = root.querySelector("[data-view=advanced-optimizer-params]");
  let shown = null;
  const render = () => {
    const name = store.config.optimizer.name;
    if (!store.options || name === shown) return;
    shown = name;
    const entry = store.options.optimizers.find((o) => o.name === name);
    const params = Object.entries(entry?.hyperparameters ?? {});
    const fields = (advanced) => params.filter(([p]) => ADVANCED.has(p) === advanced).map(([p, spec]) => paramField(p, spec));
    box.replaceChildren(...fields(false));
    advancedBox.replaceChildren(...fields(true));
    for (const el of [box, advancedBox]) {
      syncControls(el, store);
      refreshVisibility(el, store);
    }
  };
  store.on("options", render);
  store.on("config", render);
}
