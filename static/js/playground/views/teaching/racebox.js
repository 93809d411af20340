// One lane's box in the race: its small decision boundary with the training points, and its
// iteration, cost, accuracy, test accuracy and the iteration at which it reached the target.

import { h } from "../../dom.js";
import { LANE_COLORS, fitCanvas, paintBoundary, paintPoints, targetScale } from "../../../shared/canvas.js";
import { formatNumber, formatPercent } from "../../../shared/format.js";

const SIZE = 152;

/** A lane's box: {element, show(frame, reached), paintBoundary(grid, configured), note(text)}. */
export function laneBox(index, label) {
  const color = LANE_COLORS[index % LANE_COLORS.length];
  const canvas = h("canvas", { testid: `race-boundary-${index}`, role: "img", "aria-label": `Boundary of lane ${index}` });
  const out = (name, text) => h("output", { testid: `race-${name}-${index}`, text });
  const iteration = out("iteration", "0");
  const cost = out("cost", "–");
  const accuracy = out("accuracy", "–");
  const testAccuracy = out("test-accuracy", "–");
  const reached = out("reached", "not yet");
  const note = h("div", { class: "t-lane-note", testid: `race-note-${index}` });
  const item = (term, value) => h("div", {}, h("dt", { text: term }), h("dd", {}, value));
  const testItem = item("test accuracy", testAccuracy);
  testItem.hidden = true;
  const element = h("div", { class: "t-race-lane", testid: `race-result-${index}`, style: `--lane:${color}` },
    h("div", { class: "t-lane-title" }, h("span", { class: "t-swatch", style: `background:${color}` }), label),
    canvas,
    h("dl", {}, item("iteration", iteration), item("cost", cost), item("accuracy", accuracy), testItem,
      item("target reached at", reached)),
    note);
  const ctx = fitCanvas(canvas, SIZE, SIZE);
  ctx.fillStyle = "#eef0f1";
  ctx.fillRect(0, 0, SIZE, SIZE);

  return {
    element,
    /** Shows a frame's figures and the iteration the target was reached at (null: not yet). */
    show(frame, reachedAt) {
      iteration.textContent = frame ? String(frame.iteration) : "0";
      cost.textContent = frame ? formatNumber(frame.cost_train, 4) : "–";
      testItem.hidden = frame?.accuracy_test == null;
      testAccuracy.textContent = formatPercent(frame?.accuracy_test);
      accuracy.textContent = frame?.accuracy_train != null ? formatPercent(frame.accuracy_train)
        : frame?.rmse_train != null ? `rmse ${formatNumber(frame.rmse_train, 3)}` : "–";
      reached.textContent = reachedAt == null ? "not yet" : String(reachedAt);
      reached.classList.toggle("t-good", reachedAt != null);
    },
    /** Paints a decoded boundary grid with the session's training points on top. */
    paintBoundary(grid, configured) {
      const ctx = fitCanvas(canvas, SIZE, SIZE);
      const problem = configured?.problem ?? "classification";
      paintBoundary(ctx, grid, [0, 0, SIZE, SIZE], { problem });
      if (!configured) return;
      paintPoints(ctx, configured.train, {
        extent: grid.extent ?? configured.extent, rect: [0, 0, SIZE, SIZE], problem,
        scale: targetScale(configured.train), classes: configured.classes ?? 2, radius: 1.6, stroke: "rgba(255,255,255,0.8)", lineWidth: 0.5,
      });
    },
    /** A line under the figures (e.g. "diverged"). */
    note(text) {
      note.textContent = text;
    },
  };
}
