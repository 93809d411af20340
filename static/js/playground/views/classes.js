// The "classes" slider: K for the datasets that take it (options.datasets[i].classes.max > 2)
// and for the user's own points; it edits dataset.classes (in the link as classes=).

import { classCount, classesRange } from "../../shared/custom-points.js";

/** Mounts the classes slider ([data-view=classes]); controls.js shows it when it applies. */
export function mountClasses(root, store) {
  const box = root.querySelector("[data-view=classes]");
  const input = box.querySelector("input");
  const readout = box.querySelector("[data-role=classes-readout]");

  const sync = () => {
    const range = classesRange(store.config, store.options);
    if (!range) return;
    input.min = String(range.min);
    input.max = String(range.max);
    const K = classCount(store.config, store.options);
    if (document.activeElement !== input) input.value = String(K);
    readout.textContent = String(K);
  };
  input.addEventListener("input", () => {
    readout.textContent = input.value;
  });
  input.addEventListener("change", () => store.patch({ "dataset.classes": Number(input.value) }));
  store.on("options", sync);
  store.on("config", sync);
}
