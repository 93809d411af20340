// The output: the decision-boundary heatmap (or regression surface) with the training
// points, optional test points, a discretize toggle, and axes with ticks and titles. With
// K >= 3 classes each pixel is the a_k-weighted mean of the class colours (discretize: the
// argmax's colour). In draw mode it shows the points being drawn over a steady extent.

import { classCount, customMissing, isCustom, pointsExtent, unionExtent } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { fitCanvas, niceTicks, paintBoundary, paintPoints, targetScale, throttled } from "../../shared/canvas.js";
import { formatNumber } from "../../shared/format.js";
import { classCss, className } from "../../shared/palette.js";

export const SIZE = 320; // CSS pixels of the canvas (before the device's pixel ratio)
const PAD = { left: 44, bottom: 36, top: 6, right: 8 };
export const RECT = [PAD.left, PAD.top, SIZE - PAD.left - PAD.right, SIZE - PAD.top - PAD.bottom];
const SOFTEN = 0.3;

/** The data point (x1, x2) under a click on the boundary canvas, or null outside the plot. */
export function dataPoint(canvas, clientX, clientY) {
  const extent = JSON.parse(canvas.dataset.extent ?? "null");
  if (!extent) return null;
  const box = canvas.getBoundingClientRect();
  const px = ((clientX - box.left) / box.width) * SIZE;
  const py = ((clientY - box.top) / box.height) * SIZE;
  const [left, top, width, height] = RECT;
  if (px < left || px > left + width || py < top || py > top + height) return null;
  const [x0, x1, y0, y1] = extent;
  return [x0 + ((px - left) / width) * (x1 - x0), y1 - ((py - top) / height) * (y1 - y0)];
}

/** Distance in CSS pixels between two data points on the canvas's current extent. */
export function pixelDistance(canvas, a, b) {
  const [x0, x1, y0, y1] = JSON.parse(canvas.dataset.extent);
  const box = canvas.getBoundingClientRect();
  const scale = box.width / SIZE;
  const dx = ((a[0] - b[0]) / (x1 - x0)) * RECT[2] * scale;
  const dy = ((a[1] - b[1]) / (y1 - y0)) * RECT[3] * scale;
  return Math.hypot(dx, dy);
}

/** The part of rect that the extent `inner` covers inside the extent `outer`. */
function subRect([left, top, width, height], outer, inner) {
  const [x0, x1, y0, y1] = outer;
  const sx = width / (x1 - x0);
  const sy = height / (y1 - y0);
  return [left + (inner[0] - x0) * sx, top + (y1 - inner[3]) * sy, (inner[1] - inner[0]) * sx, (inner[3] - inner[2]) * sy];
}

/** Mounts the boundary plot on canvas[data-view=boundary] with its toggles. */
export function mountBoundary(root, store) {
  const canvas = root.querySelector("[data-view=boundary]");
  const legend = root.querySelector("[data-role=output-legend]");
  const classLegend = legend.querySelector("[data-role=class-legend]");
  let grid = null;
  let drawFrame = null; // draw mode's steady extent, set when it starts

  const classesNow = () => grid?.classes ?? store.configured?.classes ?? 2;

  // The colour scale says what the colours mean: a probability, the classes, or the value.
  const showLegend = (problem, K) => {
    const [lo, hi] = grid?.range ?? [-1, 1];
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; // the symmetric scale of makeLut
    const classification = problem === "classification";
    const many = classification && K > 2;
    const names = store.legend;
    legend.querySelector("[data-role=scale-title]").textContent = many
      ? "Colour = the class colours mixed by the probabilities aₖ (discretize: the most likely class)"
      : classification ? "Colour = ŷ, the probability of class 1" : "Colour = ŷ, the predicted value";
    legend.querySelector("[data-role=scale-row]").hidden = many;
    legend.querySelector("[data-role=scale-low]").textContent = classification ? `0 (${className(0, names)})` : formatNumber(-m, 2);
    legend.querySelector("[data-role=scale-high]").textContent = classification ? `1 (${className(1, names)})` : formatNumber(m, 2);
    classLegend.hidden = !many;
    if (many) {
      classLegend.replaceChildren(...Array.from({ length: K }, (_, k) => h("span", { class: "class-key" },
        h("span", { class: "swatch", style: `background:${classCss(k, K)}` }), className(k, names))));
    }
  };

  // Draw mode: the points being drawn (sent or not) over the extent draw mode began with.
  const drawnSet = () => {
    const points = store.config.dataset.points ?? [];
    return { x: points.map((p) => [p[0], p[1]]), y: points.map((p) => p[2]) };
  };

  const draw = () => {
    const ctx = fitCanvas(canvas, SIZE, SIZE);
    const data = store.configured;
    const problem = data?.problem ?? store.config?.network.output ?? "classification";
    const drawing = Boolean(store.view.draw) && isCustom(store.config);
    const K = drawing ? classCount(store.config, store.options) ?? 2 : classesNow();
    let extent = grid?.extent ?? data?.extent ?? [-6, 6, -6, 6];
    if (drawing) extent = drawFrame = unionExtent(drawFrame ?? extent, pointsExtent(store.config.dataset.points));
    canvas.dataset.extent = JSON.stringify(extent);
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.fillStyle = "#eef0f1";
    ctx.fillRect(...RECT);
    const unsent = drawing && customMissing(store.config, store.options); // no run of these points yet
    if (grid && !unsent) {
      const discrete = Boolean(store.view.discretize);
      const where = grid.extent ? subRect(RECT, extent, grid.extent) : RECT;
      ctx.save();
      ctx.beginPath();
      ctx.rect(...RECT);
      ctx.clip();
      paintBoundary(ctx, grid, where, { problem, discretize: discrete, soften: SOFTEN });
      ctx.restore();
    }
    const stroke = problem === "regression" ? "rgba(0,0,0,0.35)" : "#ffffff";
    if (drawing) {
      const set = drawnSet();
      paintPoints(ctx, set, { extent, rect: RECT, problem, scale: targetScale(set), classes: K, stroke, radius: 4 });
    } else if (data) {
      const scale = targetScale(data.train, data.test);
      paintPoints(ctx, data.train, { extent, rect: RECT, problem, scale, classes: K, stroke });
      if (store.view.show_test && data.test?.x?.length) {
        paintPoints(ctx, data.test, { extent, rect: RECT, problem, scale, classes: K, stroke: "#222222" });
      }
    }
    drawAxes(ctx, extent, RECT);
    showLegend(problem, K);
  };
  const request = throttled(draw);

  store.on("view", (view) => {
    if (!view.draw) drawFrame = null;
    request();
  });
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
  store.on("legend", request);
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
