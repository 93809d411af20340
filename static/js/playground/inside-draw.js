// Drawing the "inside the network" panel: per-layer distributions as lines (one colour per
// layer, as Karpathy's makemore lectures draw them), the update-to-weight ratio over time with
// its -3 guide, and the hidden space (the grid and the data in two units of one layer).

import { LAYER_COLORS, fitCanvas, pointColor } from "../shared/canvas.js";
import { formatNumber } from "../shared/format.js";

const PAD = { left: 34, right: 8, top: 8, bottom: 18 };
const MUTED = "#6b6b6b";
const GUIDE = -3; // log10(update / weight) of a healthy learning rate

/** The colour of hidden layer l (1-based). */
export const layerColor = (l) => LAYER_COLORS[(l - 1) % LAYER_COLORS.length];

/** Plots the histograms {counts, low, high} of each layer as density lines on one canvas. */
export function drawDistributions(canvas, layers, key, width, height) {
  const ctx = fitCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  const shown = layers.filter((l) => l[key] && l[key].counts.length);
  if (!shown.length) return;
  const low = Math.min(...shown.map((l) => l[key].low));
  const high = Math.max(...shown.map((l) => l[key].high));
  const span = high > low ? high - low : 1;
  const densities = shown.map((l) => {
    const { counts, low: a, high: b } = l[key];
    const total = counts.reduce((s, c) => s + c, 0) || 1;
    const bin = (b - a) / counts.length || 1;
    return counts.map((c, i) => [a + (i + 0.5) * bin, c / total / bin]);
  });
  const top = Math.max(1e-12, ...densities.flat().map(([, d]) => d));
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const X = (v) => PAD.left + ((v - low) / span) * plotW;
  const Y = (d) => PAD.top + plotH - (d / top) * plotH;
  axes(ctx, width, height, [formatNumber(low, 2), formatNumber((low + high) / 2, 2), formatNumber(high, 2)]);
  shown.forEach((layer, i) => {
    ctx.strokeStyle = layerColor(layer.layer);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    densities[i].forEach(([v, d], j) => (j ? ctx.lineTo(X(v), Y(d)) : ctx.moveTo(X(v), Y(d))));
    ctx.stroke();
  });
}

function axes(ctx, width, height, xLabels) {
  ctx.strokeStyle = "#c8c8c8";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(PAD.left, PAD.top);
  ctx.lineTo(PAD.left, height - PAD.bottom);
  ctx.lineTo(width - PAD.right, height - PAD.bottom);
  ctx.stroke();
  ctx.fillStyle = MUTED;
  ctx.font = "10px system-ui, sans-serif";
  ctx.textBaseline = "top";
  const plotW = width - PAD.left - PAD.right;
  xLabels.forEach((text, i) => {
    ctx.textAlign = i === 0 ? "left" : i === xLabels.length - 1 ? "right" : "center";
    ctx.fillText(text, PAD.left + (i / (xLabels.length - 1)) * plotW, height - PAD.bottom + 3);
  });
}

/** Plots log10(update / weight) per layer against the iteration, with the -3 guide line.
 * history: [{iteration, ratios: [r1, r2, ...] (null when unknown)}]. */
export function drawRatios(canvas, history, width, height) {
  const ctx = fitCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  const values = history.flatMap((h) => h.ratios.filter((r) => r != null));
  const low = Math.min(GUIDE - 1, ...values.map(Math.floor));
  const high = Math.max(GUIDE + 1, ...values.map(Math.ceil));
  const first = history[0]?.iteration ?? 0;
  const last = Math.max(first + 1, history[history.length - 1]?.iteration ?? 1);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const X = (t) => PAD.left + ((t - first) / (last - first)) * plotW;
  const Y = (r) => PAD.top + ((high - r) / (high - low)) * plotH;
  axes(ctx, width, height, [String(first), String(last)]);
  ctx.fillStyle = MUTED;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let r = low; r <= high; r++) ctx.fillText(String(r), PAD.left - 4, Y(r));
  ctx.strokeStyle = "#888";
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(PAD.left, Y(GUIDE));
  ctx.lineTo(width - PAD.right, Y(GUIDE));
  ctx.stroke();
  ctx.setLineDash([]);
  const layers = Math.max(0, ...history.map((h) => h.ratios.length));
  for (let l = 0; l < layers; l++) {
    ctx.strokeStyle = layerColor(l + 1);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (const point of history) {
      const r = point.ratios[l];
      if (r == null) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(X(point.iteration), Y(r));
      else ctx.moveTo(X(point.iteration), Y(r));
      pen = true;
    }
    ctx.stroke();
    const latest = [...history].reverse().find((p) => p.ratios[l] != null);
    if (latest) { // the newest value as a dot: a lone point has no line yet
      ctx.fillStyle = layerColor(l + 1);
      ctx.beginPath();
      ctx.arc(X(latest.iteration), Y(latest.ratios[l]), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** Draws the hidden space: the warped input grid's lines and the training points, in the
 * coordinates of two units of one hidden layer. data: {x: [[x1, x2]], y} as configured. */
export function drawSpace(canvas, space, data, { problem, classes }, size) {
  const ctx = fitCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  if (!space) return;
  const [gx, gy] = space.grid;
  const [dx, dy] = space.data;
  const xs = [...gx, ...dx].filter(Number.isFinite);
  const ys = [...gy, ...dy].filter(Number.isFinite);
  const pad = 10;
  const [x0, x1] = spread(xs);
  const [y0, y1] = spread(ys);
  const X = (v) => pad + ((v - x0) / (x1 - x0)) * (size - 2 * pad);
  const Y = (v) => size - pad - ((v - y0) / (y1 - y0)) * (size - 2 * pad);
  const r = space.resolution;
  ctx.strokeStyle = "rgba(90, 90, 90, 0.35)";
  ctx.lineWidth = 1;
  for (let line = 0; line < r; line++) {
    for (const along of [(k) => line * r + k, (k) => k * r + line]) { // rows, then columns
      ctx.beginPath();
      for (let k = 0; k < r; k++) {
        const i = along(k);
        if (k) ctx.lineTo(X(gx[i]), Y(gy[i]));
        else ctx.moveTo(X(gx[i]), Y(gy[i]));
      }
      ctx.stroke();
    }
  }
  ctx.strokeStyle = "#fff";
  dx.forEach((v, i) => {
    ctx.beginPath();
    ctx.arc(X(v), Y(dy[i]), 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = pointColor(Number(data?.y?.[i] ?? 0), problem, 1, classes);
    ctx.fill();
    ctx.stroke();
  });
}

/** [min, max] of values, widened a little (and to a unit interval when flat). */
function spread(values) {
  if (!values.length) return [-1, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = hi > lo ? (hi - lo) * 0.04 : 0.5;
  return [lo - margin, hi + margin];
}
