// Per-class accuracy and the confusion matrix of lane 0 (frame.confusion): rows are the true
// classes, columns the predicted ones, each cell shaded by its row's share in the class colour.

import { customMissing } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { formatPercent } from "../../shared/format.js";
import { classCss, className } from "../../shared/palette.js";

/** The table of one set's figures ({matrix, per_class_accuracy}) for K classes. */
function confusionTable(figures, K, legend, title) {
  const head = h("tr", {}, h("th", { class: "corner", text: "true ↓ predicted →" }),
    Array.from({ length: K }, (_, p) => h("th", { scope: "col", title: className(p, legend) },
      h("span", { class: "swatch", style: `background:${classCss(p, K)}` }), String(p))),
    h("th", { scope: "col", text: "accuracy" }));
  const rows = figures.matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return h("tr", {}, h("th", { scope: "row", title: className(t, legend) },
      h("span", { class: "swatch", style: `background:${classCss(t, K)}` }), className(t, legend)),
    row.map((n, p) => h("td", {
      text: String(n), "data-cell": `${t},${p}`, class: t === p ? "hit" : "",
      style: n ? `background:color-mix(in srgb, ${classCss(t, K)} ${Math.round((n / total) * 70)}%, white)` : "",
    })),
    h("td", { class: "per-class", testid: `per-class-${title}-${t}`, text: formatPercent(figures.per_class_accuracy[t]) }));
  });
  return h("table", { class: "confusion-table", testid: `confusion-${title}` },
    h("caption", { text: title === "train" ? "Training set" : "Test set" }), h("thead", {}, head), h("tbody", {}, rows));
}

/** Mounts the confusion matrices ([data-view=confusion]) under the metrics. */
export function mountConfusion(root, store) {
  const box = root.querySelector("[data-view=confusion]");
  let last = "";

  const render = (confusion) => {
    const unsent = Boolean(customMissing(store.config, store.options)); // figures of other points
    const key = JSON.stringify([confusion, store.legend, unsent]);
    if (key === last) return;
    last = key;
    box.hidden = !confusion?.train || unsent;
    if (box.hidden) return box.replaceChildren();
    const K = confusion.classes;
    box.replaceChildren(h("div", { class: "confusion-title", text: "Per-class accuracy and confusion matrix" }),
      h("div", { class: "confusion-tables" }, confusionTable(confusion.train, K, store.legend, "train"),
        confusion.test ? confusionTable(confusion.test, K, store.legend, "test") : null));
  };
  store.on("frame", (f) => {
    if ((f.lane ?? 0) === 0) render(f.confusion);
  });
  const again = () => render(store.frames.get(0)?.confusion);
  store.on("legend", again);
  store.on("config", again);
  store.on("configured", () => render(null));
}
