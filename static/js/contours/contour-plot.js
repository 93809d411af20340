// A contour plot on a canvas: a shaded grid of J, contour lines (marching squares), axes,
// and the mapping between plot coordinates (x, y) and canvas pixels. Only draws.

const MARGIN = { left: 44, right: 10, top: 10, bottom: 32 };
const SHADES = [[238, 246, 250], [198, 226, 238], [160, 200, 222], [247, 220, 180], [240, 180, 130]];
export const LANE_COLORS = ["#0877bd", "#e8710a", "#1e8e3e", "#8e24aa"];

/** Short label for a number. */
export function formatNumber(v, digits = 3) {
  if (v == null || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toFixed(digits)).toString();
}

/** About n round tick values covering [lo, hi]. */
function ticks(lo, hi, n = 5) {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Contour levels at quantiles of the values, denser near the lowest (where minima are). */
function levels(values, count = 14) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const out = [];
  for (let i = 1; i <= count; i++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor(((i / (count + 1)) ** 1.8) * sorted.length))];
    if (!out.length || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

/** The colour of a rank in [0, 1] (low J light blue, high J warm). */
function shade(t) {
  const x = Math.max(0, Math.min(1, t)) * (SHADES.length - 1);
  const i = Math.min(SHADES.length - 2, Math.floor(x));
  const f = x - i;
  return SHADES[i].map((c, k) => Math.round(c + (SHADES[i + 1][k] - c) * f));
}

export class Plot {
  /** A plot of grid[i][j] = J(xs[j], ys[i]) (ys ascending) on a canvas of CSS size `size`. */
  constructor(canvas, xs, ys, grid, size, labels = ["w1", "w2"]) {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
    canvas.style.width = `${size.width}px`;
    canvas.style.height = `${size.height}px`;
    this.ctx = canvas.getContext("2d");
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    Object.assign(this, { canvas, xs, ys, grid, size, labels });
    this.rect = {
      x: MARGIN.left, y: MARGIN.top,
      w: size.width - MARGIN.left - MARGIN.right, h: size.height - MARGIN.top - MARGIN.bottom,
    };
    this.extent = [xs[0], xs[xs.length - 1], ys[0], ys[ys.length - 1]];
  }

  /** Canvas pixel of a plot point. */
  toPixel(x, y) {
    const [x0, x1, y0, y1] = this.extent;
    return [this.rect.x + ((x - x0) / (x1 - x0)) * this.rect.w, this.rect.y + ((y1 - y) / (y1 - y0)) * this.rect.h];
  }

  /** Plot point of a canvas pixel (CSS pixels from the canvas's top left). */
  fromPixel(px, py) {
    const [x0, x1, y0, y1] = this.extent;
    return [x0 + ((px - this.rect.x) / this.rect.w) * (x1 - x0), y1 - ((py - this.rect.y) / this.rect.h) * (y1 - y0)];
  }

  /** Whether a canvas pixel lies inside the plotting area. */
  inside(px, py) {
    const r = this.rect;
    return px >= r.x && px <= r.x + r.w && py >= r.y && py <= r.y + r.h;
  }

  /** Shaded cells, contour lines and axes. */
  drawBackground() {
    const { ctx, grid, xs, ys, rect } = this;
    ctx.clearRect(0, 0, this.size.width, this.size.height);
    const flat = grid.flat();
    const sorted = flat.filter(Number.isFinite).sort((a, b) => a - b);
    const rank = (v) => {
      let lo = 0, hi = sorted.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
      return (lo / sorted.length) ** 0.6;
    };
    const image = new ImageData(xs.length, ys.length); // one pixel per grid point, row 0 at the top
    for (let i = 0; i < ys.length; i++) {
      for (let j = 0; j < xs.length; j++) {
        const v = grid[i][j];
        const [r, g, b] = Number.isFinite(v) ? shade(rank(v)) : [255, 255, 255];
        image.data.set([r, g, b, 255], ((ys.length - 1 - i) * xs.length + j) * 4);
      }
    }
    const small = document.createElement("canvas");
    small.width = xs.length;
    small.height = ys.length;
    small.getContext("2d").putImageData(image, 0, 0);
    const cw = rect.w / (xs.length - 1), ch = rect.h / (ys.length - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.x, rect.y, rect.w, rect.h);
    ctx.clip();
    ctx.imageSmoothingEnabled = true; // bilinear between grid points
    ctx.drawImage(small, rect.x - cw / 2, rect.y - ch / 2, rect.w + cw, rect.h + ch);
    ctx.strokeStyle = "rgba(27, 42, 51, 0.45)";
    ctx.lineWidth = 1;
    for (const level of levels(flat)) this.contour(level);
    ctx.restore();
    this.axes();
    this.background = ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Back to the background alone (drawn once, restored every frame). */
  restoreBackground() {
    if (this.background) this.ctx.putImageData(this.background, 0, 0);
    else this.drawBackground();
  }

  /** One contour line by marching squares, with linear interpolation along cell edges. */
  contour(level) {
    const { ctx, grid, xs, ys } = this;
    const at = (i, j, i2, j2) => {
      const a = grid[i][j], b = grid[i2][j2];
      const t = (level - a) / (b - a);
      return this.toPixel(xs[j] + (xs[j2] - xs[j]) * t, ys[i] + (ys[i2] - ys[i]) * t);
    };
    ctx.beginPath();
    for (let i = 0; i < ys.length - 1; i++) {
      for (let j = 0; j < xs.length - 1; j++) {
        const c = [grid[i][j], grid[i][j + 1], grid[i + 1][j + 1], grid[i + 1][j]];
        if (!c.every(Number.isFinite)) continue;
        const edges = [];
        const corners = [[i, j], [i, j + 1], [i + 1, j + 1], [i + 1, j]];
        for (let k = 0; k < 4; k++) {
          const n = (k + 1) % 4;
          if ((c[k] < level) !== (c[n] < level)) edges.push(at(...corners[k], ...corners[n]));
        }
        for (let k = 0; k + 1 < edges.length; k += 2) {
          ctx.moveTo(...edges[k]);
          ctx.lineTo(...edges[k + 1]);
        }
      }
    }
    ctx.stroke();
  }

  /** Frame, ticks and axis labels. */
  axes() {
    const { ctx, rect, extent, labels } = this;
    ctx.strokeStyle = "#8a969c";
    ctx.strokeRect(rect.x, rect.y, rect.w, rect.h);
    ctx.fillStyle = "#44525a";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of ticks(extent[0], extent[1], rect.w > 300 ? 6 : 4)) {
      const [px] = this.toPixel(v, extent[2]);
      ctx.fillText(formatNumber(v, 2), px, rect.y + rect.h + 4);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const v of ticks(extent[2], extent[3], rect.h > 300 ? 6 : 4)) {
      const [, py] = this.toPixel(extent[0], v);
      ctx.fillText(formatNumber(v, 2), rect.x - 4, py);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.font = "italic 12px system-ui, sans-serif";
    ctx.fillText(labels[0], rect.x + rect.w / 2, this.size.height - 1);
    ctx.save();
    ctx.translate(11, rect.y + rect.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(labels[1], 0, 0);
    ctx.restore();
  }

  /** A polyline through plot points, clipped to the plotting area. */
  path(points, color, width = 2, dash = []) {
    const { ctx, rect } = this;
    if (points.length < 1) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.x, rect.y, rect.w, rect.h);
    ctx.clip();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.lineJoin = "round";
    ctx.beginPath();
    points.forEach(([x, y], k) => (k ? ctx.lineTo(...this.toPixel(x, y)) : ctx.moveTo(...this.toPixel(x, y))));
    ctx.stroke();
    ctx.restore();
  }

  /** A filled dot (or ring) at a plot point. */
  dot(x, y, color, radius = 4, ring = false) {
    const { ctx } = this;
    const [px, py] = this.toPixel(x, y);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.lineWidth = 2;
    if (ring) {
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = color;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.strokeStyle = "#fff";
      ctx.stroke();
    }
  }

  /** A small filled mark, no outline (the recorded points of a path). */
  mark(x, y, color, radius = 2) {
    const [px, py] = this.toPixel(x, y);
    this.ctx.fillStyle = color;
    this.ctx.beginPath();
    this.ctx.arc(px, py, radius, 0, 2 * Math.PI);
    this.ctx.fill();
  }

  /** A cross marking a point (the minimum, or the final weights). */
  cross(x, y, color = "#1b2a33", size = 6) {
    const { ctx } = this;
    const [px, py] = this.toPixel(x, y);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(px - size, py - size);
    ctx.lineTo(px + size, py + size);
    ctx.moveTo(px + size, py - size);
    ctx.lineTo(px - size, py + size);
    ctx.stroke();
  }

  /** An arrow from a plot point along a plot-space direction (dx, dy), `length` pixels long. */
  arrow(x, y, dx, dy, color, length = 38) {
    const { ctx } = this;
    const [px, py] = this.toPixel(x, y);
    const sx = this.rect.w / (this.extent[1] - this.extent[0]);
    const sy = this.rect.h / (this.extent[3] - this.extent[2]);
    let vx = dx * sx, vy = -dy * sy;
    const norm = Math.hypot(vx, vy);
    if (!(norm > 0)) return;
    vx = (vx / norm) * length;
    vy = (vy / norm) * length;
    const ex = px + vx, ey = py + vy, angle = Math.atan2(vy, vx);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px, py);
    ctx.lineTo(ex, ey);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - 8 * Math.cos(angle - 0.45), ey - 8 * Math.sin(angle - 0.45));
    ctx.lineTo(ex - 8 * Math.cos(angle + 0.45), ey - 8 * Math.sin(angle + 0.45));
    ctx.closePath();
    ctx.fill();
  }
}
