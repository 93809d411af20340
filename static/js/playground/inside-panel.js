// The "Inside the network" section (#inside): while it is open the page asks the server for
// `inside` messages (docs/protocol.md) and draws each hidden layer's distributions of A, Z and
// dW, the saturated / dead shares, log10(update / weight) over time with the -3 guide, and the
// hidden space of a chosen layer and two of its units.

import { classCount } from "../shared/custom-points.js";
import { formatPercent } from "../shared/format.js";
import { h } from "./dom.js";
import { drawDistributions, drawRatios, drawSpace, layerColor } from "./inside-draw.js";

const HISTORY = 400; // ratio points kept per run
const CHART = { width: 300, height: 120 };
const SPACE = 260;
const KINDS = [
  ["activations", "activations A[l]"],
  ["preactivations", "pre-activations Z[l]"],
  ["weight_gradients", "weight gradients dW[l]"],
];

/** Mounts the panel into the template's #inside section (nothing when it is absent). */
export function mountInside(root, store, api) {
  const section = root.getElementById("inside");
  if (!section) return;
  const q = (role) => section.querySelector(`[data-role="${role}"]`);
  const details = q("inside-open");
  const layerSelect = q("inside-layer");
  const unitSelects = [q("inside-unit-x"), q("inside-unit-y")];
  const laneSelect = q("inside-lane");
  const charts = Object.fromEntries(KINDS.map(([key, title]) => {
    const canvas = h("canvas", { testid: `inside-${key}`, "aria-label": title });
    q("inside-charts").append(h("figure", { class: "inside-chart" }, canvas, h("figcaption", { text: title })));
    return [key, canvas];
  }));
  const ratioCanvas = q("inside-ratio");
  const spaceCanvas = q("inside-space");
  let history = [];
  let last = null;
  let watchedLane = 0;
  /** The watched lane's layer sizes (lanes of a race may differ). */
  const watchedSizes = () => {
    const lanes = store.configured?.lanes ?? [];
    return (lanes[watchedLane] ?? lanes[0])?.layer_sizes ?? [];
  };

  const choice = () => ({
    lane: Number(laneSelect.value || 0),
    layer: Number(layerSelect.value || 1),
    units: unitSelects.map((s) => Number(s.value || 0)),
  });
  const watch = () => api.send({ type: "inside", enabled: details.open, ...choice() });

  function fillLayers() {
    const lanes = store.configured?.lanes ?? [];
    laneSelect.replaceChildren(...lanes.map((l) => new Option(`${l.lane}: ${l.label}`, String(l.lane))));
    laneSelect.hidden = lanes.length < 2;
    laneSelect.value = String(Math.min(watchedLane, Math.max(0, lanes.length - 1)));
    const sizes = watchedSizes();
    const hidden = sizes.slice(1, -1);
    layerSelect.replaceChildren(...hidden.map((n, i) => new Option(`layer ${i + 1} (${n} units)`, String(i + 1))));
    fillUnits();
  }
  function fillUnits() {
    const n = watchedSizes()[Number(layerSelect.value || 1)] ?? 0;
    unitSelects.forEach((select, k) => {
      const before = select.value === "" ? k : Number(select.value);
      select.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(`unit ${i + 1}`, String(i))));
      select.value = String(before < n ? before : Math.min(k, Math.max(0, n - 1)));
    });
  }

  function render() {
    if (!last) return;
    const width = Math.max(180, Math.min(CHART.width, section.clientWidth - 24));
    for (const [key] of KINDS) drawDistributions(charts[key], last.layers, key, width, CHART.height);
    section.querySelector('[data-testid="inside-preactivations"] + figcaption').textContent =
      last.batch_norm ? "normalized pre-activations Z̃[l] = γ Z_norm + β" : "pre-activations Z[l]";
    drawRatios(ratioCanvas, history, Math.max(180, Math.min(2 * CHART.width, section.clientWidth - 24)), CHART.height + 20);
    const data = store.configured?.train;
    const problem = store.config?.network?.output ?? "classification";
    drawSpace(spaceCanvas, last.hidden_space, data, { problem, classes: classCount(store.config, store.options) ?? 2 },
      Math.max(160, Math.min(SPACE, section.clientWidth - 24)));
    q("inside-table").replaceChildren(...last.layers.map((layer) => h("tr", { testid: `inside-row-${layer.layer}` },
      h("th", { scope: "row" }, h("span", { class: "inside-swatch", style: `background:${layerColor(layer.layer)}` }), `layer ${layer.layer}`),
      h("td", { text: String(layer.units) }),
      h("td", { text: layer.saturated == null ? "–" : formatPercent(layer.saturated), testid: `inside-saturated-${layer.layer}` }),
      h("td", { text: layer.dead == null ? "–" : formatPercent(layer.dead), testid: `inside-dead-${layer.layer}` }),
      h("td", { text: layer.update_ratio == null ? "–" : layer.update_ratio.toFixed(2), testid: `inside-ratio-${layer.layer}` }))));
    q("inside-iteration").textContent = `iteration ${last.iteration}${last.batch_norm ? " · batch norm on" : ""}`;
  }

  store.on("configured", () => {
    history = [];
    last = null;
    fillLayers();
    if (details.open) watch();
  });
  store.on("message", (msg) => {
    if (msg.type !== "inside" || msg.lane !== choice().lane) return;
    last = msg;
    const prior = history[history.length - 1];
    if (prior && msg.iteration <= prior.iteration) history = history.filter((p) => p.iteration < msg.iteration);
    history.push({ iteration: msg.iteration, ratios: msg.layers.map((l) => l.update_ratio) });
    if (history.length > HISTORY) history = history.filter((_, i) => i % 2 === 0); // thin out, keep the span
    requestAnimationFrame(render);
  });
  details.addEventListener("toggle", watch);
  layerSelect.addEventListener("change", () => { fillUnits(); watch(); });
  laneSelect.addEventListener("change", () => {
    watchedLane = Number(laneSelect.value || 0);
    history = [];
    last = null;
    fillLayers();
    watch();
  });
  for (const select of unitSelects) select.addEventListener("change", watch);
  window.addEventListener("resize", () => requestAnimationFrame(render));
}
