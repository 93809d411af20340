// Activation explorer and vanishing gradients: g(z) and g'(z) of the hidden activation as
// the core computes them (GET /api/activations/{name}), the learned leaky slopes, and the
// norm of every layer's dW over the iterations (log scale) from the frames' grad_norms.

import { lineChart, pushPoint } from "../../chart.js";
import { h } from "../../dom.js";
import { LAYER_COLORS, throttled } from "../../../shared/canvas.js";
import { formatNumber as num, formatScientific as sci } from "../../../shared/format.js";
import { getJSON, mountCard } from "./teaching-card.js";

const CURVES = [
  { label: "g(z)", color: "#0877bd", width: 2 },
  { label: "g′(z)", color: "#1b2a33", width: 1.5, dash: [5, 3] },
];
const layerSeries = (count) => Array.from({ length: count }, (_, l) =>
  ({ label: `dW[${l + 1}]`, color: LAYER_COLORS[l % LAYER_COLORS.length], width: 2 }));

/** Mounts the activation explorer into #teaching. */
export function mountActivation(root, store) {
  const { body } = mountCard(root, {
    name: "activation", title: "Activations and vanishing gradients", testid: "activation-panel",
  });
  const title = h("div", { class: "t-subtitle", testid: "activation-name" });
  const plotBox = h("div", { class: "chart" });
  const slopes = h("p", { class: "t-slopes", testid: "learned-slopes", hidden: true });
  const normsBox = h("div", { class: "chart" });
  const starving = h("p", { class: "t-insight", testid: "grad-norm-insight" });
  const linearNote = h("p", { class: "t-note-box", testid: "linear-note", hidden: true,
    html: "<b>Linear hidden units:</b> a composition of linear maps is one linear map, " +
      "W<sup>[2]</sup>(W<sup>[1]</sup>x + b<sup>[1]</sup>) + b<sup>[2]</sup> = W′x + b′, so the boundary stays a " +
      "straight line however deep the network is. That is why hidden activations must be non-linear." });
  body.append(h("div", { class: "t-activation" },
    h("div", {}, title, plotBox, slopes),
    h("div", {}, h("div", { class: "t-subtitle", text: "‖dW[l]‖ per layer (Frobenius norm, log scale)" }), normsBox)),
  linearNote, starving,
  h("p", { class: "t-intro", html: "Backprop multiplies by g′(Z) once per layer. σ′ is at most 0.25, so in a deep " +
    "sigmoid network the first layers' gradients shrink layer after layer and those layers barely learn; " +
    "ReLU's g′ is 1 for every active unit, so its gradients reach the first layer. Try six hidden layers of 8 " +
    "with sigmoid (Xavier init), then with ReLU (He init), and watch the red line (layer 1)." }));

  let curve = null; // {name, z, value, derivative}
  let wanted = "";
  let history = []; // per layer [[iteration, norm]]
  let learned = null;
  let zero = false; // every layer's gradient norm is exactly 0
  let firstNorms = null; // {iteration, norms} of the first frame after iteration 0
  const cache = new Map();
  const plot = lineChart(plotBox, { xLabel: "z", yLabel: "g(z), g′(z)", yFloor: null, height: 220,
    testid: "activation-plot", label: "g(z) and its derivative", series: CURVES });
  plot.setGuides([0]);
  const norms = lineChart(normsBox, { xLabel: "iteration", xIntegers: true, yLabel: "‖dW[l]‖", log: true, height: 220,
    testid: "grad-norm-chart", legendTestid: "grad-norm-legend", label: "Gradient norm per layer over iterations",
    series: layerSeries(2) });

  const drawPlot = () => {
    if (!curve) return;
    const pts = (ys) => curve.z.map((z, i) => [z, ys[i]]);
    plot.update([pts(curve.value), pts(curve.derivative)]);
  };

  const load = async () => {
    const config = store.config.network;
    const slope = learned?.[0] ?? config.leaky_slope ?? 0.01;
    const name = config.activation;
    const key = `${name}?slope=${Number(slope.toPrecision(3))}`;
    if (key === wanted) return;
    wanted = key;
    // The curve is core's own, at the slope the layer really has (the API takes the
    // hyperparameter's range; a learned slope lives in [0, 1]).
    const spec = store.options?.activations?.find((a) => a.name === "leaky_relu")?.hyperparameters?.leaky_slope ?? {};
    const plotted = Math.min(spec.max ?? 1, Math.max(spec.min ?? 0, slope));
    const shown = plotted === slope ? "" : `, drawn at ${num(plotted)}`;
    title.textContent = `g = ${name.replace(/_/g, " ")}${name === "leaky_relu" ? ` (slope ${num(slope)}${learned ? ", learned by layer 1" : ""}${shown})` : ""}`;
    linearNote.hidden = name !== "linear";
    try {
      if (!cache.has(key)) cache.set(key, getJSON(`api/activations/${encodeURIComponent(name)}?slope=${Number(plotted.toPrecision(3))}`));
      const data = await cache.get(key);
      if (key !== wanted) return;
      curve = data;
      plot.canvas().dataset.activation = data.name ?? name;
      plot.canvas().dataset.slope = String(data.slope);
      drawPlot();
    } catch (err) {
      cache.delete(key);
      wanted = "";
      title.textContent = `g = ${name}: could not load the curve (${err.message})`;
    }
  };

  const drawNorms = throttled(() => {
    norms.update(history);
    if (zero) {
      starving.textContent = "Every ‖dW‖ is 0: units that start equal stay equal (zero weights never break the symmetry), so nothing learns.";
      return;
    }
    const first = firstNorms?.norms ?? [];
    const last = history.map((s) => s[s.length - 1]?.[1]);
    if (first.length < 2 || !(first[0] > 0) || !(first[first.length - 1] > 0)) {
      starving.textContent = "";
      return;
    }
    const ratio = first[0] / first[first.length - 1];
    const L = first.length;
    const verdict = ratio < 0.1 ? "the gradient shrinks on its way back, so the first layer is starving (vanishing gradients)."
      : ratio > 10 ? "the gradient grows on its way back (exploding gradients)."
        : "the gradient reaches the first layer.";
    const when = firstNorms.iteration === 1 ? "At the first update" : `At iteration ${firstNorms.iteration}`;
    starving.innerHTML = `${when} ‖dW<sup>[1]</sup>‖ was <b>${sci(ratio)}</b> × ‖dW<sup>[${L}]</sup>‖: ${verdict} ` +
      `<span class="t-muted">Now: ${sci(last[0])} and ${sci(last[L - 1])}.</span>`;
  });

  const legendFor = (count) => norms.setSeries(layerSeries(count));

  store.on("config", () => load());
  store.on("configured", () => {
    history = [];
    zero = false;
    firstNorms = null;
    learned = null;
    slopes.hidden = true;
    legendFor(store.config.network.hidden.length + 1);
    load();
    drawNorms();
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0) return;
    if (Array.isArray(f.grad_norms)) {
      zero = f.iteration > 0 && f.grad_norms.every((v) => v === 0);
      if (!firstNorms && f.iteration > 0) firstNorms = { iteration: f.iteration, norms: f.grad_norms };
      if (history.length !== f.grad_norms.length) {
        history = f.grad_norms.map(() => []);
        legendFor(f.grad_norms.length);
      }
      f.grad_norms.forEach((v, l) => {
        const s = history[l];
        if (v != null && v > 0 && (!s.length || s[s.length - 1][0] < f.iteration)) pushPoint(s, [f.iteration, v], 1500);
      });
      drawNorms();
    }
    const names = Object.keys(f.weights ?? {}).filter((k) => /^slope\d+$/.test(k)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    if (names.length) {
      learned = names.map((k) => Number(f.weights[k][0][0]));
      slopes.hidden = false;
      slopes.innerHTML = "Learned leaky slopes: " + learned.map((s, i) => `layer ${i + 1}: <b>${num(s)}</b>`).join(", ");
      load();
    }
  });
}
