// The coarse-to-fine picture: each trial's objective against its learning rate (log x axis).

const COLORS = { complete: "#0877bd", pruned: "#9aa5ab", failed: "#c0392b", running: "#f59322" };
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };
const LR = "optimizer.learning_rate";

/** Points {x, y, state}: x the learning rate (or the trial number), y the value (or the last
 * reported figure while running or once pruned); failed trials sit on the top edge. */
function scatterPoints(view) {
  const byRate = view.trials.some((t) => LR in t.params);
  const points = view.trials.map((t) => {
    return {
      x: byRate ? t.params[LR] : t.number,
      y: t.value ?? t.last_report ?? null,
      state: t.state,
      number: t.number,
    };
  });
  return { byRate, points };
}

/** [lo, hi] of values, widened a little (and made non-empty). */
function extent(values, log) {
  const v = values.filter((x) => x != null && Number.isFinite(x) && (!log || x > 0));
  if (!v.length) return log ? [1e-3, 10] : [0, 1];
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (log) return [lo / 1.5, hi * 1.5];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** Draws the scatter of a sweep view on a canvas. */
export function drawScatter(canvas, view) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px sans-serif";
  ctx.fillStyle = "#5f6b72";
  if (!view || !view.trials.length) {
    ctx.fillText("Trials appear here as they run.", PAD.left, height / 2);
    return;
  }
  const { byRate, points } = scatterPoints(view);
  const [x0, x1] = extent(points.map((p) => p.x), byRate);
  const [y0, y1] = extent(points.map((p) => p.y), false);
  const fx = byRate ? (x) => Math.log10(x) : (x) => x;
  const X = (x) => PAD.left + ((fx(x) - fx(x0)) / (fx(x1) - fx(x0))) * (width - PAD.left - PAD.right);
  const Y = (y) => height - PAD.bottom - ((y - y0) / (y1 - y0)) * (height - PAD.top - PAD.bottom);
  ctx.strokeStyle = "#dde2e5";
  ctx.strokeRect(PAD.left, PAD.top, width - PAD.left - PAD.right, height - PAD.top - PAD.bottom);
  if (byRate) {
    for (let e = Math.ceil(Math.log10(x0)); e <= Math.floor(Math.log10(x1)); e += 1) {
      ctx.fillText(`1e${e}`, X(10 ** e) - 12, height - PAD.bottom + 16);
    }
  }
  ctx.fillText(byRate ? "learning rate (log scale)" : "trial", width / 2 - 50, height - 6);
  // Five ticks on y; on a trial-number x axis, whole trial numbers.
  const tick = (text, x, y) => ctx.fillText(text, x, y);
  for (let k = 0; k <= 4; k++) {
    const y = y0 + ((y1 - y0) * k) / 4;
    tick(Number(y.toPrecision(3)).toString(), 4, Y(y) + 4);
    ctx.strokeStyle = "#eef1f3";
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(y));
    ctx.lineTo(width - PAD.right, Y(y));
    ctx.stroke();
  }
  if (!byRate) {
    const every = Math.max(1, Math.ceil((Math.floor(x1) - Math.ceil(x0) + 1) / 8));
    for (let n = Math.ceil(x0); n <= x1; n += every) tick(String(n), X(n) - 3, height - PAD.bottom + 16);
  }
  ctx.save();
  ctx.translate(14, height / 2 + 40);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(view.request.objective, 0, 0);
  ctx.restore();
  for (const p of points) {
    ctx.fillStyle = COLORS[p.state] ?? "#5f6b72";
    ctx.beginPath();
    ctx.arc(X(p.x), p.y == null ? PAD.top : Y(p.y), 5, 0, 2 * Math.PI);
    ctx.fill();
  }
  const best = view.best;
  if (best && byRate) {
    ctx.strokeStyle = "#1b2a33";
    ctx.beginPath();
    ctx.arc(X(best.params[LR]), Y(best.value), 8, 0, 2 * Math.PI);
    ctx.stroke();
  }
}
