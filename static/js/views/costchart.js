// Cost over iterations: training and test cost (full sets, dropout off) and, when dropout
// is on, the noisy per-iteration cost the optimizer actually descended.

import { fitCanvas, formatNumber, niceTicks } from "../draw.js";

const W = 320;
const H = 130;
const PAD = { left: 40, right: 8, top: 8, bottom: 20 };
const MAX_POINTS = 2000;
const STYLE = {
  noisy: { color: "rgba(245,147,34,0.45)", width: 1 },
  train: { color: "#1b2a33", width: 1.6 },
  test: { color: "#0877bd", width: 1.6, dash: [4, 3] },
};

function push(series, point) {
  if (!Number.isFinite(point[1])) return;
  series.push(point);
  if (series.length > MAX_POINTS) {
    const kept = series.filter((_, i) => i % 2 === 0 || i === series.length - 1);
    series.splice(0, series.length, ...kept);
  }
}

/** Ticks 1, 2, 5 x 10^k (or only 10^k over many decades) between 10^lo and 10^hi. */
export function logTicks(lo, hi) {
  const steps = hi - lo > 3 ? [1] : [1, 2, 5];
  const ticks = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= lo && Math.log10(v) <= hi) ticks.push(v);
    }
  }
  return ticks;
}

/** Mounts the cost chart on canvas[data-view=cost-chart]. */
export function mountCostChart(root, store) {
  const canvas = root.querySelector("[data-view=cost-chart]");
  const noisyLegend = root.querySelector("[data-role=noisy-legend]");
  const logBox = root.querySelector("[data-option=cost-log]");
  const series = { noisy: [], train: [], test: [] };
  let queued = false;

  const draw = () => {
    queued = false;
    const ctx = fitCanvas(canvas, W, H);
    ctx.clearRect(0, 0, W, H);
    const pts = [...series.train, ...series.test, ...series.noisy];
    const xMax = Math.max(10, ...pts.map((p) => p[0]));
    const yMax = Math.max(1e-6, ...pts.map((p) => p[1])) * 1.05;
    const pw = W - PAD.left - PAD.right;
    const ph = H - PAD.top - PAD.bottom;
    const toX = (v) => PAD.left + (v / xMax) * pw;
    const log = logBox.checked;
    const lo = log ? Math.log10(Math.max(1e-12, Math.min(yMax / 10, ...pts.map((p) => p[1]).filter((v) => v > 0)))) : 0;
    const hi = log ? Math.log10(yMax) : yMax;
    const scale = (v) => (log ? Math.log10(Math.max(v, 1e-12)) : v);
    const toY = (v) => PAD.top + ph - ((Math.min(Math.max(scale(v), lo), hi) - lo) / (hi - lo || 1)) * ph;
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "#4a5358";
    ctx.strokeStyle = "#e3e6e8";
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const yTicks = log ? logTicks(lo, hi) : niceTicks(0, yMax, 4);
    for (const t of yTicks) {
      const y = Math.round(toY(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(W - PAD.right, y);
      ctx.stroke();
      ctx.fillText(formatNumber(t, 3), PAD.left - 4, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of niceTicks(0, xMax, 5).filter(Number.isInteger)) {
      const label = formatNumber(t, 0);
      const x = Math.min(toX(t), W - ctx.measureText(label).width / 2 - 1);
      ctx.fillText(label, x, H - PAD.bottom + 5);
    }
    for (const name of ["noisy", "train", "test"]) {
      const s = series[name];
      if (!s.length) continue;
      const { color, width, dash } = STYLE[name];
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.setLineDash(dash ?? []);
      ctx.beginPath();
      s.forEach(([x, y], i) => (i ? ctx.lineTo(toX(x), toY(y)) : ctx.moveTo(toX(x), toY(y))));
      if (s.length === 1) ctx.lineTo(toX(s[0][0]) + 1, toY(s[0][1]));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    noisyLegend.hidden = series.noisy.length === 0;
  };

  const request = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(draw);
    }
  };

  logBox.addEventListener("change", request);
  store.on("configured", () => {
    for (const s of Object.values(series)) s.length = 0;
    request();
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0) return;
    if (f.noisy && f.costs?.length) {
      const n = f.costs.length;
      const stride = Math.max(1, Math.floor(n / 50));
      for (let k = (n - 1) % stride; k < n; k += stride) {
        push(series.noisy, [f.iteration - n + 1 + k, f.costs[k]]);
      }
    }
    if (f.cost_train != null) push(series.train, [f.iteration, f.cost_train]);
    if (f.cost_test != null) push(series.test, [f.iteration, f.cost_test]);
    request();
  });
  draw();
}
