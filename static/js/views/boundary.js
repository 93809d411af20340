// The output: the decision-boundary heatmap (or regression surface) with the training
// points, optional test points, a discretize toggle, and axes with ticks.

import { fitCanvas, formatNumber, makeLut, niceTicks, paintGrid, pointColor } from "../draw.js";

const SIZE = 320;
const PAD = { left: 34, bottom: 26, top: 6, right: 8 };

/** Mounts the boundary plot on canvas[data-view=boundary] with its toggles. */
export function mountBoundary(root, store) {
  const canvas = root.querySelector("[data-view=boundary]");
  const showTest = root.querySelector("[data-option=show-test]");
  const discretize = root.querySelector("[data-option=discretize]");
  let grid = null;
  let queued = false;

  const plotRect = () => [PAD.left, PAD.top, SIZE - PAD.left - PAD.right, SIZE - PAD.top - PAD.bottom];

  const draw = () => {
    queued = false;
    const ctx = fitCanvas(canvas, SIZE, SIZE);
    const [px, py, pw, ph] = plotRect();
    const data = store.configured;
    const problem = data?.problem ?? store.config.network.output;
    const extent = grid?.extent ?? data?.extent ?? [-6, 6, -6, 6];
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.fillStyle = "#eef0f1";
    ctx.fillRect(px, py, pw, ph);
    if (grid) {
      const mode = problem === "classification" ? "probability" : "symmetric";
      const lut = makeLut(grid.range, mode, discretize.checked, 0.3);
      paintGrid(ctx, grid.bytes, 0, grid.resolution, lut, [px, py, pw, ph], !discretize.checked);
    }
    const [x0, x1, y0, y1] = extent;
    const toX = (v) => px + ((v - x0) / (x1 - x0)) * pw;
    const toY = (v) => py + ((y1 - v) / (y1 - y0)) * ph;
    if (data) {
      const all = [...data.train.y, ...(data.test?.y ?? [])].map(Number);
      const scale = Math.max(...all.map(Math.abs), 1e-9);
      const drawPoints = (set, stroke) => {
        ctx.lineWidth = 1;
        ctx.strokeStyle = stroke;
        set.x.forEach(([a, b], i) => {
          ctx.beginPath();
          ctx.arc(toX(a), toY(b), 3, 0, 2 * Math.PI);
          ctx.fillStyle = pointColor(Number(set.y[i]), problem, scale);
          ctx.fill();
          ctx.stroke();
        });
      };
      ctx.save();
      ctx.beginPath();
      ctx.rect(px, py, pw, ph);
      ctx.clip();
      drawPoints(data.train, problem === "regression" ? "rgba(0,0,0,0.35)" : "#ffffff");
      if (showTest.checked && data.test?.x?.length) drawPoints(data.test, "#222222");
      ctx.restore();
    }
    drawAxes(ctx, extent, toX, toY, [px, py, pw, ph]);
  };

  const request = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(draw);
    }
  };

  showTest.addEventListener("change", request);
  discretize.addEventListener("change", request);
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

function drawAxes(ctx, extent, toX, toY, [px, py, pw, ph]) {
  const [x0, x1, y0, y1] = extent;
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
}
