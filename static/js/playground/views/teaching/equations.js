// The forward and backward equations of the course, typeset with KaTeX and written for this
// network: its real layer sizes, activation, output, regularization, dropout and optimizer
// update rule, with every matrix's shape. Rebuilt on each "config" / "configured"; t and α
// follow the frames.

import { classCount } from "../../../shared/custom-points.js";
import { esc, h } from "../../dom.js";
import { formatNumber } from "../../../shared/format.js";
import { math, texNumber, typesetWhenSeen } from "../../tex.js";
import { mountCard } from "./teaching-card.js";

/** Each activation's name in TeX and its derivative g′(Z[l]) written with A[l] or Z[l]. */
const ACTIVATIONS = {
  tanh: { g: "\\tanh", prime: (l) => `1 - (${L("A", l)})^2` },
  sigmoid: { g: "\\sigma", prime: (l) => `${L("A", l)} * (1 - ${L("A", l)})` },
  relu: { g: "\\operatorname{ReLU}", prime: (l) => cases("1", `${L("Z", l)} > 0`, "0") },
  leaky_relu: { g: "\\operatorname{LeakyReLU}", prime: (l, a) => cases("1", `${L("Z", l)} > 0`, a) },
  linear: { g: "\\operatorname{id}", prime: () => "1" },
};
const OPTIMIZER_NAMES = { gd: "gradient descent", momentum: "Momentum", rmsprop: "RMSprop", adam: "Adam" };

/** A symbol with the course's layer superscript, W^{[l]}, and optionally more after it (T). */
const L = (sym, l, more = "") => `${sym}^{[${l}]${more}}`;
const cases = (value, when, otherwise) => `\\begin{cases} ${value} & ${when} \\\\ ${otherwise} & \\text{otherwise} \\end{cases}`;
const shape = (...dims) => `<code class="t-shape">(${dims.join(", ")})</code>`;
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

const row = (tex, note = "", attrs = "") =>
  `<div class="t-eq"${attrs}><div class="t-lhs">${math(tex)}</div><div class="t-note">${note}</div></div>`;

/** The HTML of all equations for a config, m examples and the live counters; K classes
 * (3 or more: a softmax output of K units). */
function renderEquations(config, m, K = 2) {
  const softmax = config.network.output !== "regression" && K > 2;
  const sizes = [config.features.length, ...config.network.hidden, softmax ? K : 1];
  const Lout = sizes.length - 1;
  const name = config.network.activation;
  const act = ACTIVATIONS[name] ?? { g: `\\operatorname{${name.replace(/_/g, "")}}`, prime: () => "g'" };
  const learned = config.network.learn_slope && name === "leaky_relu";
  const slope = (l) => (learned ? L("s", l) : texNumber(config.network.leaky_slope));
  const regression = config.network.output === "regression";
  const lambda = config.regularization.l2;
  const lambda1 = config.regularization.l1 ?? 0;
  const keep = config.regularization.keep_prob;
  const batch = config.optimizer.batch_size;
  const bn = Boolean(config.network.batch_norm);
  const normed = (l) => bn && l < Lout; // batch norm on hidden layers: b dropped, gamma and beta learned
  const Zof = (l) => (normed(l) ? L("\\tilde{Z}", l) : L("Z", l)); // what g is applied to
  const params = sizes.slice(1).reduce((s, n, i) => s + n * sizes[i] + (normed(i + 1) ? 2 * n : n), 0);
  const g = (l) => (l === Lout ? (regression ? "\\operatorname{id}" : softmax ? "\\operatorname{softmax}" : "\\sigma") : act.g);
  const out = [];

  const features = config.features.map((f) => esc(f.replace(/_/g, " "))).join(", ");
  const arch = [plural(sizes[0], "input feature"), ...config.network.hidden.map((n) => `${n} ${esc(name.replace(/_/g, " "))}`),
    softmax ? `${K} softmax outputs (one per class)` : `1 ${regression ? "linear" : "sigmoid"} output`].join(" → ");
  out.push(`<p class="t-summary">${arch}. ${plural(Lout, "layer")} with parameters (L = ${Lout}), ` +
    `${params} parameters in all. ${math(`X = ${L("A", 0)}`)} is ${shape(sizes[0], "m")}: one column per example (${features}), ` +
    `${m == null ? "m" : `m = ${m}`} training examples${batch ? `; each update uses a mini-batch of ${batch} columns, so m is ${batch} in the backward pass (the last batch of an epoch may be smaller)` : " (batch gradient descent: every update uses all m)"}.</p>`);

  out.push("<h3>Parameters</h3>");
  for (let l = 1; l <= Lout; l++) {
    const from = l === 1 ? `the input has ${plural(sizes[0], "feature")}` : `layer ${l - 1} has ${plural(sizes[l - 1], "unit")}`;
    if (normed(l)) {
      out.push(row(`${L("W", l)} \\in \\mathbb{R}^{${sizes[l]} \\times ${sizes[l - 1]}}, \\quad ${L("\\gamma", l)}, ${L("\\beta", l)} \\in \\mathbb{R}^{${sizes[l]} \\times 1}`,
        `W[${l}] is ${shape(sizes[l], sizes[l - 1])}: layer ${l} has ${plural(sizes[l], "unit")}, ${from}; ` +
        `γ[${l}] and β[${l}] are ${shape(sizes[l], 1)} (learned like W; γ starts at 1, β at 0); no b[${l}]: the mean subtraction would cancel it`,
        ` data-testid="equations-shape-W${l}"`));
      continue;
    }
    out.push(row(`${L("W", l)} \\in \\mathbb{R}^{${sizes[l]} \\times ${sizes[l - 1]}}, \\quad ${L("b", l)} \\in \\mathbb{R}^{${sizes[l]} \\times 1}`,
      `W[${l}] is ${shape(sizes[l], sizes[l - 1])}: layer ${l} has ${plural(sizes[l], "unit")}, ${from}; ` +
      `b[${l}] is ${shape(sizes[l], 1)}`, ` data-testid="equations-shape-W${l}"`));
  }

  out.push("<h3>Forward propagation</h3>");
  for (let l = 1; l <= Lout; l++) {
    if (normed(l)) out.push(...batchNormForward(l, sizes));
    else out.push(row(`${L("Z", l)} = ${L("W", l)} ${L("A", l - 1)} + ${L("b", l)}`,
      `${shape(sizes[l], "m")} = ${shape(sizes[l], sizes[l - 1])} ${shape(sizes[l - 1], "m")} + ${shape(sizes[l], 1)} <span class="t-aside">b broadcast over the m columns</span>`));
    const a = l === Lout ? `${L("A", l)} = ${g(l)}(${L("Z", l)}) = \\hat{Y}` : `${L("A", l)} = ${act.g}(${Zof(l)})`;
    const leak = name === "leaky_relu" && l < Lout ? `, slope ${math(slope(l))} for z &lt; 0${learned ? " (learned)" : ""}` : "";
    out.push(row(a, `${shape(sizes[l], "m")}${leak}`));
    if (softmax && l === Lout) {
      out.push(row(`a_k = \\frac{e^{z_k}}{\\sum_{j=1}^{${K}} e^{z_j}}, \\quad k = 1, \\dots, ${K}`,
        "softmax: every column of A holds the K class probabilities, which sum to 1 (computed with the column's largest z subtracted, so e^z never overflows)",
        ' data-testid="equations-softmax"'));
    }
    if (keep < 1 && l < Lout) {
      const k = texNumber(keep);
      out.push(row(`${L("D", l)} = (\\operatorname{rand}(${sizes[l]}, m) < ${k}), \\quad ${L("A", l)} = ${L("A", l)} * ${L("D", l)} / ${k}`,
        "inverted dropout: drop units, divide by keep_prob so the expected value stays the same", ' class="t-eq t-dropout"'));
    }
  }
  const l2Term = lambda > 0 ? ` + \\frac{${texNumber(lambda)}}{2m} \\sum_{l} \\lVert ${L("W", "l")} \\rVert_F^2` : "";
  const l1Term = lambda1 > 0 ? ` + \\frac{${texNumber(lambda1)}}{m} \\sum_{l} \\sum |${L("W", "l")}|` : "";
  const penalty = l2Term + l1Term;
  const penaltyWords = [lambda > 0 && `L2 penalty, λ = ${formatNumber(lambda, 4)}`,
    lambda1 > 0 && `L1 penalty, λ₁ = ${formatNumber(lambda1, 4)}`].filter(Boolean).join(" + ");
  const costNote = `${penaltyWords ? ` + ${penaltyWords}` : ""}. ` +
    "The page shows J and the loss alone beside it; the test cost is the loss alone (no penalty)";
  out.push(softmax ? row(`J = -\\frac{1}{m} \\sum_{i=1}^{m} \\sum_{k=1}^{${K}} y_k^{(i)} \\log a_k^{(i)}${penalty}`,
    `categorical cross-entropy; Y is one-hot ${shape(K, "m")}${costNote}`, ' data-testid="equations-cost"') : row(regression
    ? `J = \\frac{1}{2m} \\sum_{i=1}^{m} (a^{(i)} - y^{(i)})^2${penalty}`
    : `J = -\\frac{1}{m} \\sum_{i=1}^{m} \\Big[ y^{(i)} \\log a^{(i)} + (1 - y^{(i)}) \\log (1 - a^{(i)}) \\Big]${penalty}`,
  `${regression ? "mean squared error" : "cross-entropy"}${costNote}`, ' data-testid="equations-cost"'));

  out.push("<h3>Backward propagation</h3>");
  out.push(row(`d${L("Z", Lout)} = ${L("A", Lout)} - Y`, softmax
    ? `${shape(K, "m")}: still A − Y. Why: the softmax Jacobian ∂a_j/∂z_k = a_j(δ_jk − a_k) times dJ/da_j = −y_j/a_j gives dz_k = −y_k + a_k Σ_j y_j = a_k − y_k, since a one-hot y sums to 1`
    : `${shape(1, "m")}: ${regression ? "identity output with squared error" : "sigmoid with cross-entropy"} gives this simple form`,
  ' data-testid="equations-dZ"'));
  for (let l = Lout; l >= 1; l--) {
    const reg = (lambda > 0 ? ` + \\frac{${texNumber(lambda)}}{m} ${L("W", l)}` : "") +
      (lambda1 > 0 ? ` + \\frac{${texNumber(lambda1)}}{m} \\operatorname{sign}(${L("W", l)})` : "");
    out.push(row(`d${L("W", l)} = \\frac{1}{m} \\, d${L("Z", l)} \\, ${L("A", l - 1, "T")}${reg}`,
      `${shape(sizes[l], sizes[l - 1])} = ${shape(sizes[l], "m")} ${shape("m", sizes[l - 1])}`));
    if (!normed(l)) out.push(row(`d${L("b", l)} = \\frac{1}{m} \\sum_{\\text{columns}} d${L("Z", l)}`, `${shape(sizes[l], 1)}, keepdims=True`));
    if (l > 1) {
      const k = l - 1;
      const drop = keep < 1 ? ` * ${L("D", k)} / ${texNumber(keep)}` : "";
      if (normed(k)) {
        out.push(...batchNormBackward(k, l, sizes, act.g, drop));
        continue;
      }
      out.push(row(`d${L("Z", k)} = ${L("W", l, "T")} d${L("Z", l)}${drop} * ${act.g}'(${L("Z", k)})`,
        `${shape(sizes[k], "m")} = ${shape(sizes[k], sizes[l])} ${shape(sizes[l], "m")} ∗ ${shape(sizes[k], "m")}, with ${math(`${act.g}'(${L("Z", k)}) = ${act.prime(k, slope(k))}`)}`));
      if (learned) {
        out.push(row(`d${L("s", k)} = \\frac{1}{m} \\sum (${L("W", l, "T")} d${L("Z", l)}${drop}) * \\min(${L("Z", k)}, 0)`,
          `${shape(1, 1)}: the slope of layer ${k} is a parameter too, updated like the weights`));
        out.push(row(`${L("s", k)} = \\min(\\max(${L("s", k)}, 0), 1)`,
          "after every update the learned slope is projected back into [0, 1] (clipped), the range a leaky ReLU's slope is meant to have", ' data-testid="equations-slope-projection"'));
      }
    }
  }
  out.push(...updateRule(config.optimizer));
  return out.join("");
}

/** Batch norm's forward lines for hidden layer l (course 2, week 3), with its shapes. */
function batchNormForward(l, sizes) {
  const n = sizes[l];
  return [
    row(`${L("Z", l)} = ${L("W", l)} ${L("A", l - 1)}`,
      `${shape(n, "m")} = ${shape(n, sizes[l - 1])} ${shape(sizes[l - 1], "m")} <span class="t-aside">no b: batch norm's β takes its place</span>`,
      ` data-testid="equations-bn-${l}"`),
    row(`\\mu^{[${l}]} = \\frac{1}{m} \\sum_{i} z^{[${l}](i)}, \\quad (\\sigma^{[${l}]})^2 = \\frac{1}{m} \\sum_{i} (z^{[${l}](i)} - \\mu^{[${l}]})^2`,
      `${shape(n, 1)} each: the mean and variance of every unit over the mini-batch`),
    row(`${L("Z", l)}_{\\text{norm}} = \\frac{${L("Z", l)} - \\mu^{[${l}]}}{\\sqrt{(\\sigma^{[${l}]})^2 + \\varepsilon}}, \\quad ${L("\\tilde{Z}", l)} = ${L("\\gamma", l)} * ${L("Z", l)}_{\\text{norm}} + ${L("\\beta", l)}`,
      `${shape(n, "m")}; ε = 10⁻⁵; γ, β ${shape(n, 1)} broadcast over the columns. At inference (test cost, boundary) μ and σ² are running averages: ` +
      `μ ← 0.9 μ + 0.1 μ<sub>batch</sub>, σ² likewise (unbiased batch variance)`),
  ];
}

/** Batch norm's backward lines for hidden layer k, reached from layer l = k + 1. */
function batchNormBackward(k, l, sizes, g, drop) {
  const n = sizes[k];
  const Zt = L("\\tilde{Z}", k);
  const Zn = `${L("Z", k)}_{\\text{norm}}`;
  return [
    row(`d${Zt} = ${L("W", l, "T")} d${L("Z", l)}${drop} * ${g}'(${Zt})`,
      `${shape(n, "m")} = ${shape(n, sizes[l])} ${shape(sizes[l], "m")} ∗ ${shape(n, "m")}`),
    row(`d${L("\\gamma", k)} = \\frac{1}{m} \\sum_{\\text{columns}} d${Zt} * ${Zn}, \\quad d${L("\\beta", k)} = \\frac{1}{m} \\sum_{\\text{columns}} d${Zt}`,
      `${shape(n, 1)} each`, ` data-testid="equations-bn-back-${k}"`),
    row(`d${L("Z", k)} = \\frac{1}{\\sqrt{(\\sigma^{[${k}]})^2 + \\varepsilon}} \\Big( \\hat{g} - \\operatorname{mean}(\\hat{g}) - ${Zn} * \\operatorname{mean}(\\hat{g} * ${Zn}) \\Big), \\quad \\hat{g} = ${L("\\gamma", k)} * d${Zt}`,
      `${shape(n, "m")}; means over the m columns: every example's z moved μ and σ², so the gradient flows through them too`),
  ];
}

function updateRule(o) {
  const n = texNumber;
  const out = [`<h3>Update: ${OPTIMIZER_NAMES[o.name] ?? esc(o.name)}, for every ${math(L("W", "l"))} and ${math(L("b", "l"))}</h3>`];
  if (o.name === "momentum") {
    out.push(row(`v_{dW} = ${n(o.beta)} \\, v_{dW} + ${n(1 - o.beta)} \\, dW`, `β = ${formatNumber(o.beta, 4)}: an average of about ${Math.round(1 / (1 - o.beta))} steps; v starts at 0`));
    out.push(row("W = W - \\alpha \\, v_{dW}", `(the same with ${math("v_{db}")} for b)`));
  } else if (o.name === "rmsprop") {
    out.push(row(`s_{dW} = ${n(o.beta)} \\, s_{dW} + ${n(1 - o.beta)} \\, dW^2`, `β = ${formatNumber(o.beta, 4)}, squares element-wise`));
    out.push(row(`W = W - \\alpha \\frac{dW}{\\sqrt{s_{dW}} + ${n(o.epsilon)}}`, `ε = ${math(n(o.epsilon))} keeps the division finite`));
  } else if (o.name === "adam") {
    out.push(row(`v_{dW} = ${n(o.beta1)} \\, v_{dW} + ${n(1 - o.beta1)} \\, dW, \\quad s_{dW} = ${n(o.beta2)} \\, s_{dW} + ${n(1 - o.beta2)} \\, dW^2`,
      `β₁ = ${formatNumber(o.beta1, 4)}, β₂ = ${formatNumber(o.beta2, 4)}`));
    out.push(row(`\\hat{v}_{dW} = \\frac{v_{dW}}{1 - ${n(o.beta1)}^{t}}, \\quad \\hat{s}_{dW} = \\frac{s_{dW}}{1 - ${n(o.beta2)}^{t}}`,
      'bias correction; t = <span data-live="t">0</span> updates so far'));
    out.push(row(`W = W - \\alpha \\frac{\\hat{v}_{dW}}{\\sqrt{\\hat{s}_{dW}} + ${n(o.epsilon)}}`, `ε = ${math(n(o.epsilon))}`));
  } else {
    out.push(row("W = W - \\alpha \\, dW, \\quad b = b - \\alpha \\, db"));
  }
  out.push(row(o.decay > 0 ? `\\alpha = \\frac{${n(o.learning_rate)}}{1 + ${n(o.decay)} \\cdot \\text{epoch}}` : `\\alpha = ${n(o.learning_rate)}`,
    o.decay > 0 ? `learning-rate decay; now α = <span data-live="alpha">${formatNumber(o.learning_rate, 4)}</span>` : "the learning rate"));
  return out;
}

/** Mounts the equations panel (data-testid=equations) into #teaching. */
export function mountEquations(root, store) {
  const { card, body } = mountCard(root, {
    name: "equations", title: "The equations, with this network's shapes", testid: "equations-panel",
    intro: "What the server computes on every update, written for the network above. Examples are columns; " +
      "<code>∗</code> is element-wise.",
  });
  const box = h("div", { class: "t-equations", testid: "equations" });
  body.append(box);
  typesetWhenSeen(card);
  let last = "";
  const render = () => {
    if (!store.config) return;
    const html = renderEquations(store.config, store.configured?.train?.x?.length ?? null,
      classCount(store.config, store.options) ?? 2);
    if (html === last) return;
    last = html;
    box.innerHTML = html;
  };
  store.on("config", render);
  store.on("configured", render);
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0) return;
    const t = box.querySelector("[data-live=t]");
    if (t) t.textContent = String(f.iteration);
    const alpha = box.querySelector("[data-live=alpha]");
    if (alpha && f.learning_rate != null) alpha.textContent = formatNumber(f.learning_rate, 4);
  });
}
