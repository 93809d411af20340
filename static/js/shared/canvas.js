// Drawing helpers shared by the views: colours, grid decoding, heatmaps, data points,
// canvas sizing and the one requestAnimationFrame throttle.

import { BLUE, ORANGE, classColors, css } from "./palette.js";

const WHITE = [232, 234, 235];

/** Colours of the race's lanes. */
export const LANE_COLORS = ["#0877bd", "#e8710a", "#1e8e3e", "#a142f4"];
/** Colours of the layers in the gradient-norm chart (layer 1 red). */
export const LAYER_COLORS = ["#b3261e", "#e8710a", "#c9a400", "#1e8e3e", "#0877bd", "#5b3cc4", "#a142f4", "#444"];

/** Positive values are blue, negative orange (TF Playground's palette). */
export const POSITIVE = "#0877bd";
/** Colour of negative values. */
export const NEGATIVE = "#f59322";

const mix = (a, b, t) => a.map((x, i) => Math.round(x + (b[i] - x) * t));

/** RGB of a position t in [0, 1] on the orange-white-blue scale. */
function colorAt(t) {
  const u = Math.min(1, Math.max(0, t));
  return u < 0.5 ? mix(ORANGE, WHITE, u * 2) : mix(WHITE, BLUE, (u - 0.5) * 2);
}

/** CSS colour of a label/target value: class k's colour of K (two: 1 blue, 0 orange), or a
 * target on the orange-white-blue scale. */
export function pointColor(y, problem, scale = 1, classes = 2) {
  if (problem === "regression") return css(colorAt(0.5 + y / (2 * (scale || 1))));
  if (classes > 2) return css(classColors(classes)[Math.round(y)] ?? [128, 128, 128]);
  return css(colorAt(y < 0.5 ? 0 : 1));
}

/** A grid's bytes as a Uint8Array: base64 text ("u8-deflate-base64") or the bytes of a binary
 * message ("u8" as they are, "u8-deflate" inflated). */
export async function decodeBytes(data, encoding = "u8-deflate-base64") {
  const raw = typeof data === "string" ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) : data;
  if (!encoding.includes("deflate")) return raw;
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** 256-entry RGB lookup from byte to colour; mode "probability" (t = v) or "symmetric";
 * soften in [0, 1] blends towards white so that data points stand out on top. */
export function makeLut(range, mode, discretize = false, soften = 0) {
  const [lo, hi] = range;
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const lut = new Uint8ClampedArray(256 * 3);
  for (let b = 0; b < 256; b++) {
    const v = lo + ((hi - lo) * b) / 255;
    let t = mode === "probability" ? v : 0.5 + v / (2 * m);
    if (discretize) t = t < 0.5 ? 0.15 : 0.85;
    lut.set(colorAt(t).map((c) => c + (255 - c) * soften), b * 3);
  }
  return lut;
}

let scratch = null;

/** Fills a res x res image with fill(rgba, i) per pixel and draws it scaled into rect. */
function blit(ctx, res, fill, rect, smooth) {
  scratch ??= document.createElement("canvas");
  if (scratch.width !== res) scratch.width = scratch.height = res;
  const sctx = scratch.getContext("2d");
  const img = sctx.createImageData(res, res);
  for (let i = 0; i < res * res; i++) {
    fill(img.data, i);
    img.data[i * 4 + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(scratch, rect[0], rect[1], rect[2], rect[3]);
}

/** Paints resolution^2 bytes (row 0 = top) from offset into ctx's rectangle via a LUT. */
export function paintGrid(ctx, bytes, offset, res, lut, rect, smooth = true) {
  blit(ctx, res, (px, i) => {
    const b = bytes[offset + i] * 3;
    px[i * 4] = lut[b];
    px[i * 4 + 1] = lut[b + 1];
    px[i * 4 + 2] = lut[b + 2];
  }, rect, smooth);
}

/** Paints K probability planes (K r x r byte grids one after another, a_k = byte / 255): each
 * pixel the a_k-weighted mean of the class colours, or with discretize the colour of the
 * argmax; soften in [0, 1] blends towards white as makeLut does. */
function paintMix(ctx, bytes, res, colors, rect, { discretize = false, soften = 0 } = {}) {
  const K = colors.length;
  const plane = res * res;
  const soft = colors.map((c) => c.map((v) => v + (255 - v) * soften));
  blit(ctx, res, (px, i) => {
    let r = 0, g = 0, b = 0, total = 0, best = 0;
    for (let k = 0; k < K; k++) {
      const a = bytes[k * plane + i];
      if (a > bytes[best * plane + i]) best = k;
      r += a * soft[k][0];
      g += a * soft[k][1];
      b += a * soft[k][2];
      total += a;
    }
    if (discretize || !total) [r, g, b] = soft[best];
    else [r, g, b] = [r / total, g / total, b / total];
    px[i * 4] = r;
    px[i * 4 + 1] = g;
    px[i * 4 + 2] = b;
  }, rect, !discretize);
}

/** Paints a decoded frame boundary ({bytes, resolution, range, planes}) into rect: K >= 3
 * planes as the mix of the class colours, else one grid on the orange-white-blue scale. */
export function paintBoundary(ctx, grid, rect, { problem = "classification", discretize = false, soften = 0.3 } = {}) {
  if ((grid.planes ?? 1) > 1) {
    paintMix(ctx, grid.bytes, grid.resolution, classColors(grid.planes), rect, { discretize, soften });
    return;
  }
  const lut = makeLut(grid.range, problem === "regression" ? "symmetric" : "probability", discretize, soften);
  paintGrid(ctx, grid.bytes, 0, grid.resolution, lut, rect, !discretize);
}

/** Grid of f(x1, x2) sampled over the extent as bytes with its range, for local heatmaps. */
export function sampleFunction(f, extent, res) {
  const [x0, x1, y0, y1] = extent;
  const values = new Float32Array(res * res);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const x = x0 + ((x1 - x0) * (c + 0.5)) / res;
      const y = y1 - ((y1 - y0) * (r + 0.5)) / res;
      values[r * res + c] = f(x, y);
    }
  }
  const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1;
  const bytes = Uint8Array.from(values, (v) => Math.round(((v + m) / (2 * m)) * 255));
  return { bytes, range: [-m, m], resolution: res };
}

/** About n round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** Sizes a canvas's backing store to its CSS size times devicePixelRatio; returns ctx. */
export function fitCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
  if (canvas.height !== Math.round(height * dpr)) canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Paints a data set's points ({x: [[x1, x2]], y}) over the extent [x0, x1, y0, y1] into
 * rect [left, top, width, height]: filled by label or target, outlined by `stroke`. */
export function paintPoints(ctx, set, { extent, rect, problem, scale = 1, classes = 2, radius = 3, stroke = "#fff", lineWidth = 1 }) {
  const [x0, x1, y0, y1] = extent;
  const [left, top, width, height] = rect;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = stroke;
  set.x.forEach(([a, b], i) => {
    ctx.beginPath();
    ctx.arc(left + ((a - x0) / (x1 - x0)) * width, top + ((y1 - b) / (y1 - y0)) * height, radius, 0, 2 * Math.PI);
    ctx.fillStyle = pointColor(Number(set.y[i]), problem, scale, classes);
    ctx.fill();
    if (stroke) ctx.stroke();
  });
  ctx.restore();
}

/** The largest |y| of the given sets: the scale of regression targets' colours. */
export function targetScale(...sets) {
  return Math.max(1e-9, ...sets.flatMap((set) => (set?.y ?? []).map((v) => Math.abs(Number(v)))));
}

/** fn wrapped to run at most once per animation frame, however often it is called. */
export function throttled(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}
