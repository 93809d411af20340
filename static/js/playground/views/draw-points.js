// Draw mode on the boundary canvas: a click adds a point of the chosen class (or, for
// regression, of the target the slider sets); shift-click or the eraser removes the nearest
// point; "clear" empties the drawing. The first edit turns the points on show into the
// custom dataset's (nothing changes before it). The points are in data
// coordinates rounded to 4 decimals; until they are complete the panel says what is missing
// (playground.js sends nothing until then).

import { CUSTOM, classCount, configuredPoints, customMissing, isCustom, round4 } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { classCss, className } from "../../shared/palette.js";
import { dataPoint, pixelDistance } from "./boundary.js";

const ERASE_RADIUS = 24; // CSS pixels: the eraser takes the nearest point within this

/** Index of the point nearest to p within the eraser's reach on the canvas, or -1. */
function nearest(canvas, points, p) {
  let best = -1;
  let bestDistance = ERASE_RADIUS;
  points.forEach((q, i) => {
    const d = pixelDistance(canvas, q, p);
    if (d <= bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

/** Mounts the draw tools ([data-view=draw]) and the clicks on the boundary canvas. */
export function mountDraw(root, store) {
  const box = root.querySelector("[data-view=draw]");
  const canvas = root.querySelector("[data-view=boundary]");
  let chosen = 0; // the class a click adds
  let erasing = false;

  const picker = h("div", { class: "class-picker", role: "radiogroup", "aria-label": "Class of new points" });
  const more = h("button", { type: "button", class: "round tiny", testid: "draw-add-class", text: "+",
    "aria-label": "Add a class", title: "One more class" });
  const eraser = h("button", { type: "button", class: "text-chip", testid: "draw-eraser", text: "eraser",
    "aria-pressed": "false", title: "Click a point to remove it (or shift-click in any tool)" });
  const clear = h("button", { type: "button", class: "text-chip", testid: "draw-clear", text: "clear" });
  const target = h("input", { type: "range", min: "-1", max: "1", step: "0.05", value: "0.5", testid: "draw-target",
    "aria-label": "Target value of new points" });
  const targetOut = h("output", { text: "0.5" });
  const targetRow = h("label", { class: "draw-target" }, "target y = ", targetOut, target);
  const note = h("p", { class: "draw-note", testid: "draw-status", "aria-live": "polite" });
  box.append(h("div", { class: "draw-row" }, picker, more, eraser, clear), targetRow, note);

  // The points being edited: the custom ones, or (until the first edit turns them into custom
  // points) those on show, so that a built-in dataset can be edited too.
  const custom = () => isCustom(store.config);
  const points = () => (custom() ? store.config.dataset.points ?? [] : configuredPoints(store.configured));
  const regression = () => store.config.network.output === "regression";
  const shownClasses = () => (store.configured?.problem === "classification" ? store.configured.classes : null);
  const K = () => (custom() ? classCount(store.config, store.options) : shownClasses()) ?? 2;
  const most = () => store.options?.custom?.classes?.max ?? 8;
  const setPoints = (next, extra = {}) => store.patch({
    ...(custom() ? {} : { "dataset.classes": shownClasses() }), "dataset.name": CUSTOM, "dataset.points": next, ...extra,
  });

  const render = () => {
    const on = Boolean(store.view.draw);
    box.hidden = !on;
    canvas.classList.toggle("drawing", on);
    if (!on || !store.config) return;
    const classes = K();
    if (chosen >= classes) chosen = classes - 1;
    picker.hidden = more.hidden = regression();
    targetRow.hidden = !regression();
    if (regression()) { // the slider spans the targets drawn so far, and at least -1 to 1
      const reach = Math.max(1, ...points().map((p) => Math.abs(p[2])));
      target.min = String(-reach);
      target.max = String(reach);
      target.step = String(reach / 20);
    }
    picker.replaceChildren(...Array.from({ length: regression() ? 0 : classes }, (_, k) => h("button", {
      type: "button", class: "class-swatch", role: "radio", "aria-checked": String(k === chosen && !erasing),
      testid: `draw-class-${k}`, title: className(k, store.legend), style: `--swatch:${classCss(k, classes)}`,
      onclick: () => { chosen = k; erasing = false; render(); },
    }, className(k, store.legend))));
    more.disabled = classes >= most();
    eraser.setAttribute("aria-pressed", String(erasing));
    const missing = customMissing(store.config, store.options);
    const n = points().length;
    note.dataset.state = missing ? "missing" : "ready";
    const adds = regression() ? "a point with the target above" : `a point of ${className(chosen, store.legend)}`;
    const action = erasing ? "Eraser: click a point to remove it." : `Click to add ${adds}; shift-click removes the nearest.`;
    note.textContent = missing ? `${n} point${n === 1 ? "" : "s"}: nothing is sent yet, ${missing}. ${action}`
      : `${n} points. ${action}`;
  };

  more.addEventListener("click", () => {
    chosen = K();
    erasing = false;
    setPoints(points(), { "dataset.classes": Math.min(most(), K() + 1) });
  });
  eraser.addEventListener("click", () => {
    erasing = !erasing;
    render();
  });
  clear.addEventListener("click", () => setPoints([]));
  target.addEventListener("input", () => {
    targetOut.textContent = target.value;
  });

  canvas.addEventListener("click", (e) => {
    if (!store.view.draw || !store.configured) return;
    const p = dataPoint(canvas, e.clientX, e.clientY);
    if (!p) return;
    const list = points();
    if (erasing || e.shiftKey) {
      const i = nearest(canvas, list, p);
      if (i >= 0) setPoints(list.filter((_, j) => j !== i));
      return;
    }
    const third = regression() ? round4(target.value) : chosen;
    setPoints([...list, [round4(p[0]), round4(p[1]), third]]);
  });

  store.on("view", render);
  store.on("config", render);
  store.on("configured", render);
  store.on("legend", render);
}
