// Shared helpers of the teaching panels: element building, cards in #teaching, REST
// fetches relative to the page, lane colours and a small line chart (linear or log y).

import { fitCanvas, formatNumber, niceTicks } from "../../draw.js";
import { apiFetch } from "../../token.js";

/** Lane colours of the race (also used for layers in the gradient-norm chart). */
export const LANE_COLORS = ["#0877bd", "#e8710a", "#1e8e3e", "#a142f4"];

/** Creates an element: h("div", {class: "x", testid: "y", text: "z"}, ...children). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value;
    else if (key === "testid") node.dataset.testid = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c != null));
  return node;
}

/** Appends a card (titled <article>) to #teaching; returns {card, head, body}. */
export function mountCard(root, { name, title, testid, intro }) {
  const section = root.getElementById("teaching");
  const head = h("header", { class: "t-card-head" }, h("h2", { text: title }));
  const body = h("div", { class: "t-card-body" });
  if (intro) body.append(h("p", { class: "t-intro", html: intro }));
  // data-control: a classroom link's hide flags (hide=race or hide=teaching) hide the card.
  const card = h("article", { class: `t-card t-card-${name}`, testid, "aria-label": title,
    "data-control": `teaching ${name}` }, head, body);
  section.append(card);
  return { card, head, body };
}

/** GET a JSON document relative to the page (works behind a path prefix). */
export async function getJSON(path) {
  const response = await apiFetch(new URL(path, window.location.href));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** Escapes text for innerHTML. */
export const esc = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** A number as the course writes it: 0.01, 1e-8, 1.2. */
export function num(v) {
  if (v == null || Number.isNaN(v)) return "–";
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return Number(v.toPrecision(3)).toExponential();
  return String(Number(v.toPrecision(4)));
}

/** Scientific notation for a relative difference: 3.1e-9. */
export const sci = (v) => (v == null ? "–" : v === 0 ? "0" : v.toExponential(1));

/** Appends a point, keeping at most max points (halving the older ones). */
export function pushPoint(series, point, max = 3000) {
  if (!Number.isFinite(point[1])) return;
  series.push(point);
  if (series.length > max) {
    const kept = series.filter((_, i) => i % 2 === 0 || i === series.length - 1);
    series.splice(0, series.length, ...kept);
  }
}

const PAD = { left: 46, right: 10, top: 8, bottom: 22 };

/** Draws lines {points: [[x, y]], color, width, dash} with axes; log = log10 y scale.
 * xRange/yRange fix an axis, xLabel names the x axis; returns the mapping for overlays. */
export function drawChart(canvas, { width, height, lines, log = false, xRange, yRange, xLabel, zeroLine }) {
  const ctx = fitCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  const pw = width - PAD.left - PAD.right;
  const ph = height - PAD.top - PAD.bottom;
  const pts = lines.flatMap((l) => l.points).filter((p) => Number.isFinite(p[1]) && (!log || p[1] > 0));
  let [x0, x1] = xRange ?? [Math.min(0, ...pts.map((p) => p[0])), Math.max(10, ...pts.map((p) => p[0]))];
  if (!(x1 > x0)) x1 = x0 + 1;
  const ty = (v) => (log ? Math.log10(v) : v);
  let [y0, y1] = yRange ?? [
    pts.length ? Math.min(...pts.map((p) => ty(p[1]))) : 0,
    pts.length ? Math.max(...pts.map((p) => ty(p[1]))) : 1,
  ];
  if (log) {
    y0 = Math.floor(y0);
    y1 = Math.max(Math.ceil(y1), y0 + 1);
  } else if (!yRange) {
    y0 = Math.min(0, y0);
    y1 = y1 > y0 ? y1 + (y1 - y0) * 0.05 : y0 + 1;
  }
  const toX = (v) => PAD.left + ((v - x0) / (x1 - x0)) * pw;
  const toY = (v) => PAD.top + ph - ((ty(v) - y0) / (y1 - y0)) * ph;
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillStyle = "#4a5358";
  ctx.strokeStyle = "#e3e6e8";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const decades = Array.from({ length: y1 - y0 + 1 }, (_, i) => y0 + i);
  const yTicks = !log ? niceTicks(y0, y1, 4)
    : decades.length <= 2 ? decades.flatMap((d, i) => (i < decades.length - 1 ? [d, d + Math.log10(2), d + Math.log10(5)] : [d]))
      : decades.filter((_, i, a) => a.length <= 7 || i % 2 === 0);
  for (const t of yTicks) {
    const y = Math.round(PAD.top + ph - ((t - y0) / (y1 - y0)) * ph) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(log ? logLabel(t) : formatNumber(t, 3), PAD.left - 4, y);
  }
  if (zeroLine && !log && y0 < 0 && y1 > 0) {
    ctx.strokeStyle = "#9aa3a8";
    ctx.beginPath();
    ctx.moveTo(PAD.left, Math.round(toY(0)) + 0.5);
    ctx.lineTo(width - PAD.right, Math.round(toY(0)) + 0.5);
    ctx.stroke();
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const labelRoom = xLabel ? ctx.measureText(xLabel).width + 24 : 0;
  for (const t of niceTicks(x0, x1, 5)) {
    if (!xRange && !Number.isInteger(t)) continue;
    if (toX(t) > width - PAD.right - labelRoom) continue;
    ctx.fillText(formatNumber(t, 2), toX(t), height - PAD.bottom + 5);
  }
  if (xLabel) {
    ctx.textAlign = "right";
    ctx.fillText(xLabel, width - PAD.right, height - PAD.bottom + 5);
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top, pw, ph);
  ctx.clip();
  for (const line of lines) {
    const points = line.points.filter((p) => Number.isFinite(p[1]) && (!log || p[1] > 0));
    if (!points.length) continue;
    ctx.strokeStyle = line.color;
    ctx.lineWidth = line.width ?? 1.6;
    ctx.setLineDash(line.dash ?? []);
    ctx.beginPath();
    points.forEach(([x, y], i) => (i ? ctx.lineTo(toX(x), toY(y)) : ctx.moveTo(toX(x), toY(y))));
    if (points.length === 1) ctx.lineTo(toX(points[0][0]) + 2, toY(points[0][1]));
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
  return { toX, toY, rect: [PAD.left, PAD.top, pw, ph] };
}

/** Label of a log10 tick: 1e-3, or 0.2 / 50 between decades. */
function logLabel(t) {
  if (Number.isInteger(t)) return t >= -2 && t <= 3 ? String(10 ** t) : `1e${t}`;
  const v = 10 ** t;
  return Math.abs(Math.log10(v)) < 3 ? String(Number(v.toPrecision(1))) : v.toExponential(0);
}

/** Calls fn at most once per animation frame. */
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

/** Pretty optimizer names. */
export const OPTIMIZER_LABELS = { gd: "GD", momentum: "Momentum", rmsprop: "RMSprop", adam: "Adam" };
