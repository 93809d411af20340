// Live gradient check: asks the server to compare backprop's gradients with centred
// differences on the lane's current weights, and colours the relative differences with
// the course's thresholds (< 1e-7 right, ~1e-5 look closer, > 1e-3 a bug).

import { esc, h } from "../../dom.js";
import { formatScientific as sci } from "../../../shared/format.js";
import { math, typesetWhenSeen } from "../../tex.js";
import { mountCard } from "./teaching-card.js";

/** "good" | "warn" | "bad" for a relative difference. */
function grade(difference) {
  if (difference == null || !Number.isFinite(difference)) return "bad";
  if (difference < 1e-7) return "good";
  return difference < 1e-3 ? "warn" : "bad";
}

const VERDICTS = {
  correct: "Backprop is right: the difference is below 1e-7.",
  "look closer": "Look closer: between 1e-7 and 1e-3 a gradient may be slightly wrong (or the cost has a kink, e.g. ReLU at 0).",
  bug: "A bug: above 1e-3 the analytic gradient and the numerical one disagree.",
};

/** Mounts the gradient-check panel into #teaching. */
export function mountGradcheck(root, store, api) {
  const { card, body } = mountCard(root, {
    name: "gradcheck", title: "Gradient check", testid: "gradcheck-panel",
    intro: `For each parameter ${math("\\theta_i")}, nudge it by ${math("\\varepsilon = 10^{-7}")} both ways: the ` +
      `centred difference ${math("d\\theta_{approx,i} = \\frac{J(\\theta + \\varepsilon) - J(\\theta - \\varepsilon)}{2\\varepsilon}", true)}` +
      `estimates ${math("\\partial J / \\partial \\theta_i")} with error ${math("O(\\varepsilon^2)")}, and backprop's ` +
      `${math("d\\theta")} must match it. The check reports, with dropout off, ` +
      `${math("\\frac{\\lVert d\\theta - d\\theta_{approx} \\rVert_2}{\\lVert d\\theta \\rVert_2 + \\lVert d\\theta_{approx} \\rVert_2}", true)}`,
  });
  typesetWhenSeen(card);
  const run = h("button", { type: "button", class: "t-button primary", testid: "gradcheck-run", text: "Check the gradients" });
  const lane = h("select", { testid: "gradcheck-lane", "aria-label": "Lane to check", hidden: true });
  const verdict = h("p", { class: "t-verdict", testid: "gradcheck-verdict", "aria-live": "polite" });
  const result = h("div", { class: "t-gradcheck-result", testid: "gradcheck-result" });
  body.append(h("div", { class: "t-toolbar" }, run, lane), verdict, result,
    h("p", { class: "t-scale" },
      h("span", { class: "t-chip good", text: "< 1e-7 right" }),
      h("span", { class: "t-chip warn", text: "≈ 1e-5 look closer" }),
      h("span", { class: "t-chip bad", text: "> 1e-3 a bug" })));

  let waiting = false;
  run.addEventListener("click", () => {
    if (api.send({ type: "gradcheck", lane: Number(lane.value || 0) })) {
      waiting = true;
      run.disabled = true;
      verdict.textContent = "Checking…";
      verdict.className = "t-verdict";
    }
  });

  store.on("configured", (msg) => {
    const lanes = msg.lanes ?? [];
    lane.replaceChildren(...lanes.map((l) => h("option", { value: String(l.lane), text: `lane ${l.lane}: ${l.label}` })));
    lane.hidden = lanes.length < 2;
    result.replaceChildren();
    verdict.textContent = "";
    verdict.className = "t-verdict";
  });

  store.on("gradcheck", (msg) => {
    waiting = false;
    run.disabled = false;
    const g = grade(msg.difference);
    verdict.className = `t-verdict ${g}`;
    verdict.innerHTML = `<b>${esc(msg.verdict)}</b> — relative difference <b class="t-num">${sci(msg.difference)}</b>` +
      `${msg.examples ? ` on ${msg.examples} examples` : ""}. ${esc(VERDICTS[msg.verdict] ?? "")}`;
    const rows = Object.entries(msg.per_parameter ?? {}).map(([name, d]) => {
      const m = /^([a-zA-Z]+)(\d+)$/.exec(name);
      const label = m ? `${m[1]}<sup>[${m[2]}]</sup>` : esc(name);
      return h("tr", { class: grade(d), testid: `gradcheck-${name}` },
        h("th", { html: label }), h("td", { class: "t-num", text: sci(d) }),
        h("td", {}, h("span", { class: "t-bar", style: `--w:${barWidth(d).toFixed(1)}` })));
    });
    result.replaceChildren(h("table", { class: "t-diffs" },
      h("thead", {}, h("tr", {}, h("th", { text: "parameter" }), h("th", { text: "difference" }), h("th", { text: "" }))),
      h("tbody", {}, ...rows)));
  });

  // A check the server refuses (say, too many parameters) says why here, where it was asked.
  store.on("error", ({ message }) => {
    if (!waiting) return;
    waiting = false;
    run.disabled = false;
    verdict.className = "t-verdict bad";
    verdict.textContent = `The check could not run: ${String(message ?? "refused").replace(/^lane: /, "")}.`;
    result.replaceChildren();
  });
}

/** Bar length for a difference on a log scale from 1e-12 (empty) to 1 (full). */
function barWidth(d) {
  if (!(d > 0)) return 0;
  return Math.max(2, Math.min(100, ((Math.log10(d) + 12) / 12) * 100));
}
