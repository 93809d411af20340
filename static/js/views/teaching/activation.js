// Activation explorer and vanishing gradients: g(z) and g'(z) of the hidden activation as
// the core computes them (GET /api/activations/{name}), the learned leaky slopes, and the
// norm of every layer's dW over the iterations (log scale) from the frames' grad_norms.

import { drawChart, getJSON, h, mountCard, num, pushPoint, sci, throttled } from "./common.js";

const PLOT = { width: 300, height: 200 };
const NORMS = { width: 400, height: 200 };
const LAYER_COLORS = ["#b3261e", "#e8710a", "#c9a400", "#1e8e3e", "#0877bd", "#5b3cc4", "#a142f4", "#444"];

/** Mounts the activation explorer into #teaching. */
export function mountActivation(root, store) {
  const { body } = mountCard(root, {
    name: "activation", title: "Activations and vanishing gradients", testid: "activation-panel",
  });
  const title = h("div", { class: "t-subtitle", testid: "activation-name" });
  const plot = h("canvas", { testid: "activation-plot", role: "img", "aria-label": "g(z) and its derivative" });
  const slopes = h("p", { class: "t-slopes", testid: "learned-slopes", hidden: true });
  const norms = h("canvas", { testid: "grad-norm-chart", role: "img", "aria-label": "Gradient norm per layer over iterations" });
  const normLegend = h("div", { class: "t-legend", testid: "grad-norm-legend" });
  const starving = h("p", { class: "t-insight", testid: "grad-norm-insight" });
  const linearNote = h("p", { class: "t-note-box", testid: "linear-note", hidden: true,
    html: "<b>Linear hidden units:</b> a composition of linear maps is one linear map, " +
      "W<sup>[2]</sup>(W<sup>[1]</sup>x + b<sup>[1]</sup>) + b<sup>[2]</sup> = W′x + b′, so the boundary stays a " +
      "straight line however deep the network is. That is why hidden activations must be non-linear." });
  body.append(h("div", { class: "t-activation" },
    h("div", {}, title, plot,
      h("div", { class: "t-legend" }, h("span", { class: "t-key" }, h("span", { class: "t-swatch line", style: "background:#0877bd" }), "g(z)"),
        h("span", { class: "t-key" }, h("span", { class: "t-swatch line dashed" }), "g′(z)")), slopes),
    h("div", {}, h("div", { class: "t-subtitle", text: "‖dW[l]‖ per layer (Frobenius norm, log scale)" }), norms, normLegend)),
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

  const drawPlot = () => {
    if (!curve) return;
    const pts = (ys) => curve.z.map((z, i) => [z, ys[i]]);
    drawChart(plot, { ...PLOT, xRange: [curve.z[0], curve.z[curve.z.length - 1]], xLabel: "z", zeroLine: true,
      lines: [{ points: pts(curve.value), color: "#0877bd", width: 2 },
        { points: pts(curve.derivative), color: "#1b2a33", width: 1.5, dash: [5, 3] }] });
  };

  const load = async () => {
    const config = store.config.network;
    const slope = learned?.[0] ?? config.leaky_slope ?? 0.01;
    const name = config.activation;
    const key = `${name}?slope=${Number(slope.toPrecision(3))}`;
    if (key === wanted) return;
    wanted = key;
    title.textContent = `g = ${name.replace(/_/g, " ")}${name === "leaky_relu" ? ` (slope ${num(slope)}${learned ? ", learned by layer 1" : ""})` : ""}`;
    linearNote.hidden = name !== "linear";
    try {
      if (!cache.has(key)) cache.set(key, getJSON(`api/activations/${encodeURIComponent(name)}?slope=${Math.min(0.99, Math.max(0, slope))}`));
      const data = await cache.get(key);
      if (key !== wanted) return;
      curve = data;
      plot.dataset.activation = data.name ?? name;
      drawPlot();
    } catch (err) {
      cache.delete(key);
      wanted = "";
      title.textContent = `g = ${name}: could not load the curve (${err.message})`;
    }
  };

  const drawNorms = throttled(() => {
    drawChart(norms, { ...NORMS, log: true, xLabel: "iteration",
      lines: history.map((points, l) => ({ points, color: LAYER_COLORS[l % LAYER_COLORS.length] })) });
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

  const legendFor = (count) => normLegend.replaceChildren(...Array.from({ length: count }, (_, l) =>
    h("span", { class: "t-key" }, h("span", { class: "t-swatch line", style: `background:${LAYER_COLORS[l % LAYER_COLORS.length]}` }),
      h("span", { html: `dW<sup>[${l + 1}]</sup>` }))));

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
  load();
  drawNorms();
}
