// The input-feature column of the network: x1, x2, x1², x2², x1x2, sin x1, sin x2, each a
// button (click toggles it) drawn as a little heatmap of the feature over the data extent.

import { h } from "../dom.js";
import { makeLut, paintGrid, sampleFunction } from "../../shared/canvas.js";

/** Each input feature as a function of the raw point (x1, x2). */
const FEATURES = {
  x1: (a) => a, x2: (a, b) => b, x1_squared: (a) => a * a, x2_squared: (a, b) => b * b,
  x1_x2: (a, b) => a * b, sin_x1: (a) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
};
const RESOLUTION = 24;
const cache = { extent: "", maps: {} };

/** Typeset a feature label: "x1^2" -> "x₁²", "sin x1" -> "sin(x₁)", "x1*x2" -> "x₁x₂". */
export function prettyLabel(label) {
  return label.replace(/x1/g, "x₁").replace(/x2/g, "x₂").replace(/\^2/g, "²").replace(/\*/g, "")
    .replace(/_/g, " ").replace(/sin (x.)/, "sin($1)");
}

/** Paints a grid of bytes (from offset) into a canvas at its native resolution. */
export function drawMap(canvas, bytes, offset, res, range, mode) {
  canvas.width = canvas.height = res;
  paintGrid(canvas.getContext("2d"), bytes, offset, res, makeLut(range, mode), [0, 0, res, res]);
}

/** The feature column (one toggle button per feature of the options) for a config. */
export function featureColumn(store) {
  const feats = store.options?.features ?? Object.keys(FEATURES).map((name) => ({ name }));
  const nodes = feats.map((f) => h("button", {
    type: "button", class: "node feature", testid: `feature-${f.name}`, "data-feature": f.name, "data-layer": "0",
    "aria-pressed": String(store.config.features.includes(f.name)), "aria-label": `${prettyLabel(f.label ?? f.name)} (feature)`,
    title: f.description ?? f.name,
  }, h("canvas"), h("span", { class: "node-label", text: prettyLabel(f.label ?? f.name) })));
  const locked = store.hidden("features") ? " locked" : "";
  return h("div", { class: `layer features${locked}` }, h("div", { class: "layer-head", text: "Features" }),
    h("div", { class: "nodes" }, nodes));
}

/** Draws every feature button's heatmap over the data extent (cached per extent). */
export function paintFeatures(container, extent) {
  const key = JSON.stringify(extent);
  if (key !== cache.extent) {
    cache.extent = key;
    cache.maps = {};
    for (const [name, f] of Object.entries(FEATURES)) {
      cache.maps[name] = sampleFunction(f, extent, RESOLUTION);
    }
  }
  for (const b of container.querySelectorAll("[data-feature]")) {
    const map = cache.maps[b.dataset.feature];
    if (map) drawMap(b.querySelector("canvas"), map.bytes, 0, map.resolution, map.range, "symmetric");
  }
}

/** The config's features after clicking one (never fewer than one). */
export function toggledFeatures(features, name) {
  const next = features.includes(name) ? features.filter((f) => f !== name) : [...features, name];
  return next.length ? next : features;
}
