// The forward and backward equations of the course written for this network: its real
// layer sizes, activation, output, regularization, dropout and optimizer update rule, with
// every matrix's shape. Rebuilt on each "config" / "configured"; t and α follow the frames.

import { esc, h, mountCard, num } from "./common.js";

const ACT = {
  tanh: { g: "tanh", prime: (l) => `1 − (${L("A", l)})<sup>2</sup>` },
  sigmoid: { g: "σ", prime: (l) => `${L("A", l)} ∗ (1 − ${L("A", l)})` },
  relu: { g: "ReLU", prime: (l) => `1 where ${L("Z", l)} &gt; 0, else 0` },
  leaky_relu: { g: "LeakyReLU", prime: (l, a) => `1 where ${L("Z", l)} &gt; 0, else ${a}` },
  linear: { g: "identity", prime: () => "1" },
};

/** X<sup>[l]</sup>: a symbol with the course's layer superscript. */
const L = (sym, l) => `${sym}<sup>[${l}]</sup>`;
const shape = (...dims) => `<code class="t-shape">(${dims.join(", ")})</code>`;
const row = (eq, note = "", attrs = "") => `<div class="t-eq"${attrs}><div class="t-lhs">${eq}</div><div class="t-note">${note}</div></div>`;

function unitWord(n) {
  return `${n} unit${n === 1 ? "" : "s"}`;
}

/** The HTML of all equations for a config, m examples and the live counters. */
export function renderEquations(config, m) {
  const sizes = [config.features.length, ...config.network.hidden, 1];
  const Lout = sizes.length - 1;
  const act = ACT[config.network.activation] ?? { g: esc(config.network.activation), prime: () => "g′" };
  const learned = config.network.learn_slope && config.network.activation === "leaky_relu";
  const slope = (l) => (learned ? `${L("s", l)} (learned)` : num(config.network.leaky_slope));
  const regression = config.network.output === "regression";
  const lambda = config.regularization.l2;
  const keep = config.regularization.keep_prob;
  const batch = config.optimizer.batch_size;
  const params = sizes.slice(1).reduce((s, n, i) => s + n * sizes[i] + n, 0);
  const mText = m == null ? "m" : `m = ${m}`;
  const g = (l) => (l === Lout ? (regression ? "identity" : "σ") : act.g);
  const out = [];

  const features = config.features.map((f) => esc(f.replace(/_/g, " "))).join(", ");
  const arch = [`${sizes[0]} input feature${sizes[0] === 1 ? "" : "s"}`,
    ...config.network.hidden.map((n) => `${n} ${esc(act.g)}`), `1 ${regression ? "linear" : "sigmoid"} output`].join(" → ");
  out.push(`<p class="t-summary">${arch}. ${Lout} layer${Lout === 1 ? "" : "s"} with parameters (L = ${Lout}), ` +
    `${params} parameters in all. X = ${L("A", 0)} is ${shape(sizes[0], "m")}: one column per example (${features}), ` +
    `${mText} training examples${batch ? `; each update uses a mini-batch of ${batch} columns, so m is ${batch} in the backward pass (the last batch of an epoch may be smaller)` : " (batch gradient descent: every update uses all m)"}.</p>`);

  out.push("<h3>Parameters</h3>");
  for (let l = 1; l <= Lout; l++) {
    const from = l === 1 ? `the input has ${sizes[0]} feature${sizes[0] === 1 ? "" : "s"}` : `layer ${l - 1} has ${unitWord(sizes[l - 1])}`;
    out.push(row(`${L("W", l)} is ${shape(sizes[l], sizes[l - 1])}`,
      `layer ${l} has ${unitWord(sizes[l])}, ${from}; ${L("b", l)} is ${shape(sizes[l], 1)}`,
      ` data-testid="equations-shape-W${l}"`));
  }

  out.push("<h3>Forward propagation</h3>");
  for (let l = 1; l <= Lout; l++) {
    out.push(row(`${L("Z", l)} = ${L("W", l)}${L("A", l - 1)} + ${L("b", l)}`,
      `${shape(sizes[l], "m")} = ${shape(sizes[l], sizes[l - 1])} ${shape(sizes[l - 1], "m")} + ${shape(sizes[l], 1)} <span class="t-aside">b broadcast over the m columns</span>`));
    const a = l === Lout ? `${L("A", l)} = ${g(l)}(${L("Z", l)}) = Ŷ` : `${L("A", l)} = ${esc(act.g)}(${L("Z", l)})`;
    out.push(row(a, `${shape(sizes[l], "m")}${config.network.activation === "leaky_relu" && l < Lout ? `, slope ${slope(l)} for z &lt; 0` : ""}`));
    if (keep < 1 && l < Lout) {
      out.push(row(`${L("D", l)} = (rand${shape(sizes[l], "m")} &lt; ${num(keep)});  ${L("A", l)} = ${L("A", l)} ∗ ${L("D", l)} / ${num(keep)}`,
        "inverted dropout: drop units, divide by keep_prob so the expected value stays the same", " class=\"t-eq t-dropout\""));
    }
  }
  const penalty = lambda > 0 ? ` + (${num(lambda)} / 2m) Σ<sub>l</sub> ‖${L("W", "l")}‖<sub>F</sub><sup>2</sup>` : "";
  out.push(row(regression
    ? `J = (1/2m) Σ<sub>i</sub> (a<sup>(i)</sup> − y<sup>(i)</sup>)<sup>2</sup>${penalty}`
    : `J = −(1/m) Σ<sub>i</sub> [y<sup>(i)</sup> log a<sup>(i)</sup> + (1 − y<sup>(i)</sup>) log(1 − a<sup>(i)</sup>)]${penalty}`,
  regression ? "mean squared error" : `cross-entropy${lambda > 0 ? " + L2 penalty, λ = " + num(lambda) : ""}`));

  out.push("<h3>Backward propagation</h3>");
  out.push(row(`d${L("Z", Lout)} = ${L("A", Lout)} − Y`, `${shape(1, "m")}: ${regression ? "identity output with squared error" : "sigmoid with cross-entropy"} gives this simple form`));
  for (let l = Lout; l >= 1; l--) {
    const reg = lambda > 0 ? ` + (${num(lambda)}/m) ${L("W", l)}` : "";
    out.push(row(`d${L("W", l)} = (1/m) d${L("Z", l)} ${L("A", l - 1)}<sup>T</sup>${reg}`,
      `${shape(sizes[l], sizes[l - 1])} = ${shape(sizes[l], "m")} ${shape("m", sizes[l - 1])}`));
    out.push(row(`d${L("b", l)} = (1/m) Σ<sub>columns</sub> d${L("Z", l)}`, `${shape(sizes[l], 1)}, keepdims=True`));
    if (l > 1) {
      const k = l - 1;
      const drop = keep < 1 ? ` ∗ ${L("D", k)} / ${num(keep)}` : "";
      out.push(row(`d${L("Z", k)} = ${L("W", l)}<sup>T</sup> d${L("Z", l)}${drop} ∗ ${esc(act.g)}′(${L("Z", k)})`,
        `${shape(sizes[k], "m")} = ${shape(sizes[k], sizes[l])} ${shape(sizes[l], "m")} ∗ ${shape(sizes[k], "m")}, with ${esc(act.g)}′(${L("Z", k)}) = ${act.prime(k, slope(k))}`));
      if (learned) {
        out.push(row(`d${L("s", k)} = (1/m) Σ (${L("W", l)}<sup>T</sup> d${L("Z", l)}${drop}) ∗ min(${L("Z", k)}, 0)`,
          `${shape(1, 1)}: the slope of layer ${k} is a parameter too, updated like the weights`));
      }
    }
  }
  out.push(...updateRule(config));
  return out.join("");
}

function updateRule(config) {
  const o = config.optimizer;
  const name = { gd: "gradient descent", momentum: "Momentum", rmsprop: "RMSprop", adam: "Adam" }[o.name] ?? esc(o.name);
  const out = [`<h3>Update: ${name}, for every ${L("W", "l")} and ${L("b", "l")}</h3>`];
  const alpha = o.decay > 0 ? "α" : `α`;
  if (o.name === "momentum") {
    out.push(row(`v<sub>dW</sub> = ${num(o.beta)} v<sub>dW</sub> + ${num(1 - o.beta)} dW`, `β = ${num(o.beta)}: an average of about ${Math.round(1 / (1 - o.beta))} steps; v starts at 0`));
    out.push(row(`W = W − ${alpha} v<sub>dW</sub>`, "(the same with v<sub>db</sub> for b)"));
  } else if (o.name === "rmsprop") {
    out.push(row(`s<sub>dW</sub> = ${num(o.beta)} s<sub>dW</sub> + ${num(1 - o.beta)} dW<sup>2</sup>`, `β = ${num(o.beta)}, squares element-wise`));
    out.push(row(`W = W − ${alpha} dW / (√s<sub>dW</sub> + ${num(o.epsilon)})`, `ε = ${num(o.epsilon)} keeps the division finite`));
  } else if (o.name === "adam") {
    out.push(row(`v<sub>dW</sub> = ${num(o.beta1)} v<sub>dW</sub> + ${num(1 - o.beta1)} dW;  s<sub>dW</sub> = ${num(o.beta2)} s<sub>dW</sub> + ${num(1 - o.beta2)} dW<sup>2</sup>`, `β₁ = ${num(o.beta1)}, β₂ = ${num(o.beta2)}`));
    out.push(row(`v̂ = v<sub>dW</sub> / (1 − ${num(o.beta1)}<sup>t</sup>);  ŝ = s<sub>dW</sub> / (1 − ${num(o.beta2)}<sup>t</sup>)`, `bias correction; t = <span data-live="t">0</span> updates so far`));
    out.push(row(`W = W − ${alpha} v̂ / (√ŝ + ${num(o.epsilon)})`, `ε = ${num(o.epsilon)}`));
  } else {
    out.push(row(`W = W − ${alpha} dW;  b = b − ${alpha} db`, ""));
  }
  out.push(row(o.decay > 0 ? `α = ${num(o.learning_rate)} / (1 + ${num(o.decay)} · epoch)` : `α = ${num(o.learning_rate)}`,
    o.decay > 0 ? `learning-rate decay; now α = <span data-live="alpha">${num(o.learning_rate)}</span>` : "the learning rate"));
  return out;
}

/** Mounts the equations panel (data-testid=equations) into #teaching. */
export function mountEquations(root, store) {
  const { body } = mountCard(root, {
    name: "equations", title: "The equations, with this network's shapes", testid: "equations-panel",
    intro: "What the server computes on every update, written for the network above. Examples are columns; " +
      "<code>∗</code> is element-wise.",
  });
  const box = h("div", { class: "t-equations", testid: "equations" });
  body.append(box);
  let last = "";
  const render = () => {
    const html = renderEquations(store.config, store.configured?.train?.x?.length ?? null);
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
    if (alpha && f.learning_rate != null) alpha.textContent = num(f.learning_rate);
  });
  render();
}
