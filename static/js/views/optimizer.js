// The optimizer's own hyperparameters (gd: none; momentum: beta; rmsprop: beta, epsilon;
// adam: beta1, beta2, epsilon), rebuilt from /api/options whenever the optimizer changes.

import { syncControls, refreshVisibility } from "./controls.js";

const LABELS = { beta: "β", beta1: "β₁", beta2: "β₂", epsilon: "ε" };

function paramField(name, spec) {
  const wrap = document.createElement("div");
  wrap.className = "field sub";
  wrap.dataset.control = name;
  const id = `ctl-opt-${name}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = LABELS[name] ?? name;
  const input = document.createElement("input");
  Object.assign(input, { id, type: "number", step: "any" });
  if (spec?.min != null) input.min = spec.min;
  if (spec?.max != null) input.max = spec.max;
  if (spec?.description) input.title = spec.description;
  input.dataset.testid = `optimizer-param-${name}`;
  input.dataset.path = `optimizer.${name}`;
  input.dataset.kind = "num";
  input.setAttribute("aria-label", `${name} (${spec?.description ?? "optimizer hyperparameter"})`);
  wrap.append(label, input);
  return wrap;
}

/** Mounts the optimizer hyperparameter fields into [data-view=optimizer-params]. */
export function mountOptimizerParams(root, store) {
  const box = root.querySelector("[data-view=optimizer-params]");
  let shown = null;
  const render = () => {
    const name = store.config.optimizer.name;
    if (!store.options || name === shown) return;
    shown = name;
    const entry = store.options.optimizers.find((o) => o.name === name);
    const params = Object.entries(entry?.hyperparameters ?? {});
    box.replaceChildren(...params.map(([p, spec]) => paramField(p, spec)));
    syncControls(box, store);
    refreshVisibility(box, store);
  };
  store.on("options", render);
  store.on("config", render);
}
