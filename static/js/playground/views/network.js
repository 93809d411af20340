// The network drawing: a column of input features (click to toggle), one column per
// hidden layer (+/- neurons), the output neuron, each with its heatmap; links between.

import { h } from "../dom.js";
import { formatNumber } from "../../shared/format.js";
import { classCss, className } from "../../shared/palette.js";
import { drawMap, featureColumn, paintFeatures, prettyLabel, toggledFeatures } from "./features.js";
import { layoutLinks, linkLabel, paintLinks, unitName } from "./links.js";
import { hideTip, showTip } from "./tooltip.js";

/** Node size and gap in pixels so that a column of this many units stays about 340px high. */
function nodeSize(maxUnits) {
  if (maxUnits <= 8) return [38, 6];
  const gap = maxUnits <= 16 ? 4 : 2;
  return [Math.max(4, Math.floor(340 / maxUnits) - gap), gap];
}

/** Decoded neuron grids of hidden layer l (1-based); the server lists the inputs first. */
function neuronLayer(neurons, hiddenCount, l) {
  const layers = neurons?.layers ?? [];
  const offset = layers.length >= hiddenCount + 1 ? 1 : 0;
  return layers[offset + l - 1];
}

/** Mounts the network view into [data-view=network]. */
export function mountNetwork(root, store) {
  const box = root.querySelector("[data-view=network]");
  const count = root.querySelector("[data-role=layer-count]");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.classList.add("links");
  const cols = h("div", { class: "columns" });
  box.append(svg, cols);
  let columns = [];
  let links = [];
  let weights = null;
  let grids = null;
  let signature = "";

  const limits = () => store.options.limits; // the server's, from /api/options
  const outputUnits = () => store.configured?.lanes?.[0]?.layer_sizes?.at(-1) ?? 1;
  const hidden = () => store.config.network.hidden;

  root.addEventListener("click", (e) => {
    const t = e.target.closest("[data-action],[data-feature]");
    if (!t || !store.options) return;
    const sizes = [...hidden()];
    const l = Number(t.dataset.layer);
    if (t.dataset.feature) {
      if (!store.hidden("features")) {
        store.patch({ features: toggledFeatures(store.config.features, t.dataset.feature) });
      }
      return;
    }
    const action = t.dataset.action;
    if (action === "add-layer" && sizes.length < limits().max_hidden_layers) sizes.push(2);
    else if (action === "remove-layer" && sizes.length) sizes.pop();
    else if (action === "add-neuron" && sizes[l - 1] < limits().max_neurons) sizes[l - 1] += 1;
    else if (action === "remove-neuron" && sizes[l - 1] > 1) sizes[l - 1] -= 1;
    else return;
    store.patch({ "network.hidden": sizes });
  });

  const neuronButton = (label, action, l) => h("button", {
    type: "button", class: "round tiny", text: action === "add-neuron" ? "+" : "−", testid: `${action}-${l}`,
    "data-action": action, "data-layer": String(l),
    "aria-label": `${label} neuron ${action === "add-neuron" ? "to" : "from"} hidden layer ${l}`,
    hidden: store.hidden("neurons") || store.hidden("layers"),
  });
  const neuron = (l, i, cls = "node neuron") =>
    h("div", { class: cls, "data-layer": String(l), "data-unit": String(i), tabindex: "0", role: "button",
      "aria-label": `${cls.includes("output") ? "Output" : `Layer ${l}, neuron ${i + 1}`}: focus shows its map, Enter edits its bias` },
    h("canvas"));

  const build = () => {
    const sizes = hidden();
    count.textContent = `${sizes.length} hidden layer${sizes.length === 1 ? "" : "s"}`;
    const layerEls = [featureColumn(store)];
    sizes.forEach((units, idx) => {
      const l = idx + 1;
      const [size, gap] = nodeSize(Math.max(7, units)); // a layer's own size; features keep theirs
      layerEls.push(h("div", { class: "layer hidden-layer", "data-role": "layer-column", style: `--node:${size}px;--gap:${gap}px` },
        h("div", { class: "layer-head" },
          neuronButton("Add a", "add-neuron", l), neuronButton("Remove a", "remove-neuron", l),
          h("span", { class: "units", text: `${units} neuron${units === 1 ? "" : "s"}` }),
          h("span", { class: "slope", "data-slope": String(l) })),
        h("div", { class: "nodes" }, Array.from({ length: units }, (_, i) => neuron(l, i)))));
    });
    // K >= 3 classes: one softmax unit per class, outlined in its class colour.
    const K = outputUnits();
    layerEls.push(h("div", { class: `layer output-layer${K > 1 ? " softmax" : ""}`, "data-role": "layer-column" },
      h("div", { class: "layer-head" }, "Output", K > 1 ? h("span", { class: "units", text: `${K} classes` }) : null),
      h("div", { class: "nodes" }, Array.from({ length: K }, (_, k) => {
        const node = neuron(sizes.length + 1, k, "node neuron output");
        if (K > 1) node.style.borderColor = classCss(k, K);
        return node;
      }))));
    cols.replaceChildren(...layerEls);
    paintFeatures(cols, store.configured?.extent ?? [-6, 6, -6, 6]);
    paintNeurons();
    requestAnimationFrame(relayout);
  };

  const relayout = () => {
    const active = store.config.features;
    const featNodes = [...cols.querySelectorAll("[data-feature]")];
    columns = [active.map((f) => featNodes.find((n) => n.dataset.feature === f)).filter(Boolean)];
    for (const col of cols.querySelectorAll("[data-role=layer-column]")) {
      columns.push([...col.querySelectorAll("[data-unit]")]);
    }
    links = layoutLinks(svg, box, columns);
    paintLinks(links, weights);
  };

  const paintNeurons = () => {
    if (!grids) return;
    const sizes = hidden();
    const nres = grids.neurons?.resolution;
    for (const n of cols.querySelectorAll("[data-unit]")) {
      const l = Number(n.dataset.layer);
      const i = Number(n.dataset.unit);
      const canvas = n.querySelector("canvas");
      if (l === sizes.length + 1 && grids.boundary) {
        const b = grids.boundary;
        const mode = store.config.network.output === "classification" ? "probability" : "symmetric";
        if (i < (b.planes ?? 1)) drawMap(canvas, b.bytes, i * b.resolution * b.resolution, b.resolution, b.range, mode);
        continue;
      }
      const layer = neuronLayer(grids.neurons, sizes.length, l);
      if (!layer || i >= layer.units || !layer.bytes) continue;
      drawMap(canvas, layer.bytes, i * nres * nres, nres, layer.range, "symmetric");
    }
  };

  const featureLabel = (name) => store.options?.features?.find((f) => f.name === name)?.label ?? name;
  const featureLabels = () => store.config.features.map(featureLabel);

  // Hover: links show their weight, neurons and features show their map large.
  box.addEventListener("mouseover", (e) => {
    const path = e.target.closest("path[data-link]");
    const outputLayer = hidden().length + 1;
    if (path) return showTip(e, `${linkLabel(path.dataset.link, weights, featureLabels(), outputLayer)} · click to edit`);
    const node = e.target.closest("[data-unit],[data-feature]");
    if (!node) return;
    const l = Number(node.dataset.layer);
    const i = Number(node.dataset.unit);
    const bias = weights?.[`b${l}`]?.[i]?.[0];
    const softmaxUnit = l === outputLayer && outputUnits() > 1
      ? `softmax unit ${i + 1} (layer ${l}): the probability of ${className(i, store.legend)}` : null;
    const name = node.dataset.feature ? `Feature ${prettyLabel(featureLabel(node.dataset.feature))}`
      : softmaxUnit ?? unitName(l, i, [], outputLayer);
    const label = name[0].toUpperCase() + name.slice(1);
    const edit = node.dataset.feature ? "" : " · click to edit";
    showTip(e, bias == null ? label : `${label} · b = ${formatNumber(bias, 4)}${edit}`, node.querySelector("canvas"));
  });
  // The keyboard does what the mouse does: focus shows the tooltip (a neuron's map, a link's
  // weight), Enter or space clicks (the weight editor opens there).
  const at = (el, type) => {
    const r = el.getBoundingClientRect();
    return new MouseEvent(type, { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 });
  };
  const focusable = (el) => el?.closest?.("path[data-link],[data-unit]");
  box.addEventListener("focusin", (e) => {
    const el = focusable(e.target);
    if (el && el.matches(":focus-visible")) el.dispatchEvent(at(el, "mouseover"));
  });
  box.addEventListener("focusout", () => hideTip());
  box.addEventListener("keydown", (e) => {
    const el = focusable(e.target);
    if (!el || (e.key !== "Enter" && e.key !== " ") || el.dataset.feature) return;
    e.preventDefault();
    e.stopPropagation(); // space here is not play / pause
    el.dispatchEvent(at(el, "click"));
  });
  box.addEventListener("mouseout", (e) => {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) hideTip();
    else if (e.target.closest("path[data-link],[data-unit],[data-feature]")) hideTip();
  });

  store.on("options", build);
  store.on("config", () => {
    const sig = JSON.stringify([hidden(), store.config.features]);
    if (sig !== signature) {
      signature = sig;
      build();
    }
  });
  store.on("configured", () => {
    weights = null;
    grids = null;
    build();
  });
  store.on("frame", (frame) => {
    if ((frame.lane ?? 0) !== 0 || !frame.weights) return;
    weights = frame.weights;
    paintLinks(links, weights);
    for (const span of cols.querySelectorAll("[data-slope]")) {
      const a = weights[`slope${span.dataset.slope}`];
      const value = Array.isArray(a) ? a.flat(2)[0] : a;
      span.textContent = value == null ? "" : `α = ${formatNumber(value, 3)}`;
    }
  });
  store.on("grids", (g) => {
    if (g.lane !== 0) return;
    grids = { boundary: g.boundary ?? grids?.boundary, neurons: g.neurons ?? grids?.neurons };
    paintNeurons();
  });
  window.addEventListener("resize", () => requestAnimationFrame(relayout));
}
