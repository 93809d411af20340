// The network drawing: a column of input features (click to toggle), one column per
// hidden layer (+/- neurons), the output neuron, each with its heatmap; links between.

import { formatNumber, makeLut, paintGrid, sampleFunction } from "../draw.js";
import { layoutLinks, linkLabel, paintLinks } from "./links.js";
import { hideTip, showTip } from "./tooltip.js";

/** Each input feature as a function of the raw point (x1, x2). */
export const FEATURES = {
  x1: (a) => a, x2: (a, b) => b, x1_squared: (a) => a * a, x2_squared: (a, b) => b * b,
  x1_x2: (a, b) => a * b, sin_x1: (a) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
};
const FEATURE_RES = 24;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** Typeset a feature label: "x1^2" -> "x₁²", "sin x1" -> "sin(x₁)", "x1*x2" -> "x₁x₂". */
export function prettyLabel(label) {
  return label.replace(/x1/g, "x₁").replace(/x2/g, "x₂").replace(/\^2/g, "²").replace(/\*/g, "")
    .replace(/_/g, " ").replace(/sin (x.)/, "sin($1)");
}

function nodeSize(maxUnits) {
  return maxUnits <= 8 ? 38 : Math.max(9, Math.floor(320 / maxUnits) - 4);
}

/** Decoded neuron grids of hidden layer l (1-based); the server lists the inputs first. */
export function neuronLayer(neurons, hiddenCount, l) {
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
  const cols = el("div", "columns");
  box.append(svg, cols);
  let columns = [];
  let links = [];
  let weights = null;
  let grids = null;
  let signature = "";
  let featureMaps = {};
  let lastExtent = "";

  const limits = () => store.options?.limits ?? { max_hidden_layers: 6, max_neurons: 8 };
  const hidden = () => store.config.network.hidden;

  root.addEventListener("click", (e) => {
    const t = e.target.closest("[data-action],[data-feature]");
    if (!t) return;
    const h = [...hidden()];
    const l = Number(t.dataset.layer);
    if (t.dataset.feature) {
      if (store.hidden("features")) return;
      const on = store.config.features.includes(t.dataset.feature);
      const next = on ? store.config.features.filter((f) => f !== t.dataset.feature)
        : [...store.config.features, t.dataset.feature];
      if (next.length) store.patch({ features: next });
      return;
    }
    const action = t.dataset.action;
    if (action === "add-layer" && h.length < limits().max_hidden_layers) h.push(2);
    else if (action === "remove-layer" && h.length) h.pop();
    else if (action === "add-neuron" && h[l - 1] < limits().max_neurons) h[l - 1] += 1;
    else if (action === "remove-neuron" && h[l - 1] > 1) h[l - 1] -= 1;
    else return;
    store.patch({ "network.hidden": h });
  });

  const neuronButton = (label, action, l) => {
    const b = el("button", "round tiny", action === "add-neuron" ? "+" : "−");
    Object.assign(b.dataset, { action, layer: l, testid: `${action}-${l}` });
    b.type = "button";
    b.setAttribute("aria-label", `${label} neuron ${action === "add-neuron" ? "to" : "from"} hidden layer ${l}`);
    return b;
  };

  const build = () => {
    const h = hidden();
    const feats = store.options?.features ?? Object.keys(FEATURES).map((name) => ({ name }));
    const size = nodeSize(Math.max(feats.length, ...h, 1));
    box.style.setProperty("--node", `${size}px`);
    count.textContent = `${h.length} hidden layer${h.length === 1 ? "" : "s"}`;
    const layerEls = [];
    const featCol = el("div", "layer features");
    featCol.append(el("div", "layer-head", "Features"));
    const featNodes = el("div", "nodes");
    for (const f of feats) {
      const b = el("button", "node feature");
      b.type = "button";
      Object.assign(b.dataset, { feature: f.name, testid: `feature-${f.name}`, layer: 0 });
      const on = store.config.features.includes(f.name);
      b.setAttribute("aria-pressed", String(on));
      b.setAttribute("aria-label", `Feature ${f.label ?? f.name}`);
      b.title = f.description ?? f.name;
      b.append(el("canvas"), el("span", "node-label", prettyLabel(f.label ?? f.name)));
      featNodes.append(b);
    }
    featCol.append(featNodes);
    featCol.classList.toggle("locked", store.hidden("features"));
    layerEls.push(featCol);
    h.forEach((units, idx) => {
      const l = idx + 1;
      const col = el("div", "layer hidden-layer");
      col.dataset.layer = l;
      const head = el("div", "layer-head");
      const buttons = [neuronButton("Add a", "add-neuron", l), neuronButton("Remove a", "remove-neuron", l)];
      for (const b of buttons) b.hidden = store.hidden("neurons") || store.hidden("layers");
      head.append(...buttons, el("span", "units", `${units} neuron${units === 1 ? "" : "s"}`));
      const nodes = el("div", "nodes");
      for (let i = 0; i < units; i++) {
        const n = el("div", "node neuron");
        Object.assign(n.dataset, { layer: l, unit: i });
        n.append(el("canvas"));
        nodes.append(n);
      }
      col.append(head, nodes);
      layerEls.push(col);
    });
    const out = el("div", "layer output-layer");
    const outNode = el("div", "node neuron output");
    Object.assign(outNode.dataset, { layer: h.length + 1, unit: 0 });
    outNode.append(el("canvas"));
    const outNodes = el("div", "nodes");
    outNodes.append(outNode);
    out.append(el("div", "layer-head", "Output"), outNodes);
    layerEls.push(out);
    cols.replaceChildren(...layerEls);
    paintFeatures();
    paintNeurons();
    requestAnimationFrame(relayout);
  };

  const relayout = () => {
    const active = store.config.features;
    const featNodes = [...cols.querySelectorAll(".feature")];
    columns = [active.map((f) => featNodes.find((n) => n.dataset.feature === f)).filter(Boolean)];
    for (const col of cols.querySelectorAll(".hidden-layer, .output-layer")) {
      columns.push([...col.querySelectorAll(".neuron")]);
    }
    links = layoutLinks(svg, box, columns);
    paintLinks(links, weights);
  };

  const paintFeatures = () => {
    const extent = store.configured?.extent ?? [-6, 6, -6, 6];
    if (JSON.stringify(extent) !== lastExtent) {
      lastExtent = JSON.stringify(extent);
      featureMaps = {};
      for (const [name, f] of Object.entries(FEATURES)) {
        featureMaps[name] = sampleFunction(f, extent, FEATURE_RES);
      }
    }
    for (const b of cols.querySelectorAll(".feature")) {
      const map = featureMaps[b.dataset.feature];
      if (map) drawMap(b.querySelector("canvas"), map.bytes, 0, map.resolution, map.range, "symmetric");
    }
  };

  const drawMap = (canvas, bytes, offset, res, range, mode) => {
    canvas.width = canvas.height = res;
    paintGrid(canvas.getContext("2d"), bytes, offset, res, makeLut(range, mode), [0, 0, res, res]);
  };

  const paintNeurons = () => {
    if (!grids) return;
    const h = hidden();
    const nres = grids.neurons?.resolution;
    for (const n of cols.querySelectorAll(".neuron")) {
      const l = Number(n.dataset.layer);
      const i = Number(n.dataset.unit);
      const canvas = n.querySelector("canvas");
      if (l === h.length + 1 && grids.boundary) {
        const b = grids.boundary;
        const mode = store.config.network.output === "classification" ? "probability" : "symmetric";
        drawMap(canvas, b.bytes, 0, b.resolution, b.range, mode);
        continue;
      }
      const layer = neuronLayer(grids.neurons, h.length, l);
      if (!layer || i >= layer.units || !layer.bytes) continue;
      drawMap(canvas, layer.bytes, i * nres * nres, nres, layer.range, "symmetric");
    }
  };

  // Hover: links show their weight, neurons and features show their map large.
  box.addEventListener("mouseover", (e) => {
    const path = e.target.closest("path.link");
    if (path) return showTip(e, linkLabel(path.dataset.link, weights));
    const node = e.target.closest(".node");
    if (!node) return;
    const l = Number(node.dataset.layer);
    const i = Number(node.dataset.unit);
    const bias = weights?.[`b${l}`]?.[i]?.[0];
    const label = node.dataset.feature ? `Feature ${node.dataset.feature}`
      : l === hidden().length + 1 ? "Output ŷ" : `Layer ${l}, neuron ${i}`;
    showTip(e, bias == null ? label : `${label} · b = ${formatNumber(bias, 4)}`,
      node.querySelector("canvas"));
  });
  box.addEventListener("mouseout", (e) => {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) hideTip();
    else if (e.target.closest("path.link, .node")) hideTip();
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
  });
  store.on("grids", (g) => {
    if (g.lane !== 0) return;
    grids = { boundary: g.boundary ?? grids?.boundary, neurons: g.neurons ?? grids?.neurons };
    paintNeurons();
  });
  window.addEventListener("resize", () => requestAnimationFrame(relayout));
}
