// The output: the decision-boundary heatmap (or regression surface) with the training
// points, optional test points, a discretize toggle, and axes with ticks and titles.

import { fitCanvas, makeLut, niceTicks, paintGrid, paintPoints, targetScale, throttled } from "../draw.js";
import { formatNumber } from "../format.js";

const SIZE = 320;
const PAD = { left: 44, bottom: 36, top: 6, right: 8 };

/** Mounts the boundary plot on canvas[data-view=boundary] with its toggles. */
export function mountBoundary(root, store) {
  const canvas = root.querySelector("[data-view=boundary]");
  const legend = root.querySelector("[data-role=output-legend]");
  let grid = null;

  // The colour scale says what the colours mean: a probability, or the predicted value.
  const showLegend = (problem) => {
    const [lo, hi] = grid?.range ?? [-1, 1];
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; // the symmetric scale of makeLut
    const classification = problem === "classification";
    legend.querySelector("[data-role=scale-title]").textContent = classification
      ? "Colour = ŷ, the probability of class 1" : "Colour = ŷ, the predicted value";
    legend.querySelector("[data-role=scale-low]").textContent = classification ? "0 (class 0)" : formatNumber(-m, 2);
    legend.querySelector("[data-role=scale-high]").textContent = classification ? "1 (class 1)" : formatNumber(m, 2);
  };

  const draw = () => {
    const ctx = fitCanvas(canvas, SIZE, SIZE);
    const rect = [PAD.left, PAD.top, SIZE - PAD.left - PAD.right, SIZE - PAD.top - PAD.bottom];
    const data = store.configured;
    const problem = data?.problem ?? store.config?.network.output ?? "classification";
    const extent = grid?.extent ?? data?.extent ?? [-6, 6, -6, 6];
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.fillStyle = "#eef0f1";
    ctx.fillRect(...rect);
    if (grid) {
      const mode = problem === "classification" ? "probability" : "symmetric";
      const discrete = Boolean(store.view.discretize);
      const lut = makeLut(grid.range, mode, discrete, 0.3);
      paintGrid(ctx, grid.bytes, 0, grid.resolution, lut, rect, !discrete);
    }
    if (data) {
      const scale = targetScale(data.train, data.test);
      const stroke = problem === "regression" ? "rgba(0,0,0,0.35)" : "#ffffff";
      paintPoints(ctx, data.train, { extent, rect, problem, scale, stroke });
      if (store.view.show_test && data.test?.x?.length) {
        paintPoints(ctx, data.test, { extent, rect, problem, scale, stroke: "#222222" });
      }
    }
    drawAxes(ctx, extent, rect);
    showLegend(problem);
  };
  const request = throttled(draw);

  store.on("view", request);
  store.on("configured", () => {
    grid = null;
    request();
  });
  store.on("grids", (g) => {
    if (g.lane !== 0 || !g.boundary) return;
    grid = g.boundary;
    request();
  });
  store.on("config", request);
  draw();
}

/** The frame, ticks and the axis titles x₁ (across) and x₂ (up) around the plot rectangle. */
function drawAxes(ctx, [x0, x1, y0, y1], [px, py, pw, ph]) {
  const toX = (v) => px + ((v - x0) / (x1 - x0)) * pw;
  const toY = (v) => py + ((y1 - v) / (y1 - y0)) * ph;
  ctx.strokeStyle = "#9aa3a8";
  ctx.fillStyle = "#4a5358";
  ctx.lineWidth = 1;
  ctx.font = "10px system-ui, sans-serif";
  ctx.strokeRect(px + 0.5, py + 0.5, pw - 1, ph - 1);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of niceTicks(x0, x1, 6)) {
    const x = Math.round(toX(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, py + ph);
    ctx.lineTo(x, py + ph + 4);
    ctx.stroke();
    ctx.fillText(formatNumber(t, 2), x, py + ph + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of niceTicks(y0, y1, 6)) {
    const y = Math.round(toY(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px - 4, y);
    ctx.lineTo(px, y);
    ctx.stroke();
    ctx.fillText(formatNumber(t, 2), px - 6, y);
  }
  ctx.font = "12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText("x₁", px + pw / 2, py + ph + 34);
  ctx.save();
  ctx.translate(12, py + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText("x₂", 0, 0);
  ctx.restore();
}
