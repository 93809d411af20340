// The page's one line chart, over the vendored uPlot: the cost chart, the race, the gradient
// norms and the activation explorer all draw through lineChart(). Every chart has axis titles,
// a legend that shows the values under the cursor, a linear or log y scale, and optional
// horizontal guides (a target cost, the zero line). Series are lists of [x, y] points. Away
// from the cursor the legend shows the latest values, so it reads as a live figure.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { throttled } from "../shared/canvas.js";
import { formatNumber } from "../shared/format.js";

const DEFAULT_HEIGHT = 200;
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];
const MAX_POINTS = 3000;

/** Appends [x, y] to a series; past max points every other older point is dropped. */
export function pushPoint(series, point, max = MAX_POINTS) {
  if (!Number.isFinite(point[1])) return;
  series.push(point);
  if (series.length > max) {
    const kept = series.filter((_, i) => i % 2 === 0 || i === series.length - 1);
    series.splice(0, series.length, ...kept);
  }
}

/** The uPlot data of point lists: one sorted x array, one y array per series (null = gap). */
function alignedData(lines, log = false) {
  const usable = (y) => Number.isFinite(y) && (!log || y > 0);
  const tables = lines.map((points) => {
    const kept = points.filter(([, y]) => usable(y));
    return [kept.map((p) => p[0]), kept.map((p) => p[1])];
  });
  const nonEmpty = tables.filter((t) => t[0].length);
  if (!nonEmpty.length) return [[], ...lines.map(() => [])];
  if (tables.length === 1) return tables[0];
  // uPlot.join wants at least one point per table: empty ones join as all-null columns.
  const joined = uPlot.join(tables.map((t) => (t[0].length ? t : [[nonEmpty[0][0][0]], [null]])));
  return joined;
}

const tickLabels = (u, splits) => splits.map((v) => (v == null ? "" : formatNumber(v, 3)));

/** A line chart in container. spec: {xLabel, yLabel, log, height, testid, label (aria),
 * legendTestid, series: [{label, color, width, dash}], xRange, xIntegers (ticks at whole
 * numbers, at least 0..10: iterations), yFloor (linear y starts at or below it; default 0,
 * null for none)}. Returns {update(lines), setSeries(defs), setLog(on),
 * setGuides(values), canvas(), plot()}: update() redraws at most once per frame. */
export function lineChart(container, spec) {
  let series = spec.series ?? [];
  let log = Boolean(spec.log);
  let lines = series.map(() => []);
  let guides = [];
  let plot = null;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const yFloor = spec.yFloor === undefined ? 0 : spec.yFloor;

  const drawGuides = (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = "rgba(27,42,51,0.55)";
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    for (const value of guides) {
      if (value == null || (log && !(value > 0))) continue;
      const y = Math.round(u.valToPos(value, "y", true)) + 0.5;
      if (y < bbox.top || y > bbox.top + bbox.height) continue;
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
    }
    ctx.restore();
  };

  const yRange = (u, min, max) => {
    if (log) return uPlot.rangeLog(min ?? 0.1, max ?? 1, 10, true);
    if (min == null || max == null) return [yFloor ?? 0, 1];
    const lo = yFloor == null ? min : Math.min(yFloor, min);
    const hi = max > lo ? max + (max - lo) * 0.05 : lo + 1;
    return [lo, hi];
  };

  const xRange = (u, min, max) => {
    if (spec.xRange) return spec.xRange;
    if (min == null || max == null) return [0, 10];
    return spec.xIntegers ? [Math.min(0, min), Math.max(max, min + 10)] : [min, max > min ? max : min + 1];
  };

  const options = () => ({
    width: Math.max(200, container.clientWidth || spec.width || 320),
    height,
    legend: { show: true, live: true, markers: { dash: (u, i) => (u.series[i].dash ? "dashed" : "solid") } },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: { time: false, range: xRange },
      y: log ? { distr: 3, log: 10, range: yRange } : { range: yRange },
    },
    axes: [
      { label: spec.xLabel, labelSize: 18, size: 34, values: tickLabels, incrs: spec.xIntegers ? INTEGER_STEPS : undefined, font: "11px system-ui, sans-serif", labelFont: "12px system-ui, sans-serif" },
      { label: spec.yLabel, labelSize: 18, size: 48, values: tickLabels, font: "11px system-ui, sans-serif", labelFont: "12px system-ui, sans-serif" },
    ],
    series: [
      { label: spec.xLabel, value: (u, v) => (v == null ? "–" : formatNumber(v, 3)) },
      ...series.map((s) => ({
        label: s.label, stroke: s.color, width: s.width ?? 2, dash: s.dash, spanGaps: true,
        points: { show: false }, value: (u, v) => formatNumber(v, 4),
      })),
    ],
    hooks: { draw: [drawGuides] },
  });

  const data = () => alignedData(series.map((_, i) => lines[i] ?? []), log);

  const build = () => {
    plot?.destroy();
    plot = new uPlot(options(), data(), container);
    const canvas = plot.ctx.canvas;
    if (spec.testid) canvas.dataset.testid = spec.testid;
    canvas.dataset.yScale = log ? "log" : "linear";
    canvas.setAttribute("role", "img");
    if (spec.label) canvas.setAttribute("aria-label", spec.label);
    if (spec.legendTestid) plot.root.querySelector(".u-legend")?.setAttribute("data-testid", spec.legendTestid);
    plot.over.addEventListener("mouseenter", () => { hovering = true; });
    plot.over.addEventListener("mouseleave", () => {
      hovering = false;
      requestAnimationFrame(showLatest); // after uPlot has cleared the legend
    });
    showLatest();
  };

  let hovering = false;
  /** The legend at the last point (the latest values) unless the cursor is on the plot. */
  const showLatest = () => {
    const n = plot?.data?.[0]?.length ?? 0;
    if (!hovering && n) plot.setLegend({ idx: n - 1 }, false);
  };
  const redraw = throttled(() => {
    plot.setData(data());
    showLatest();
  });

  new ResizeObserver(() => {
    const width = Math.max(200, container.clientWidth);
    if (plot && width !== plot.width) plot.setSize({ width, height });
  }).observe(container);
  build();

  return {
    /** Replaces every series' points (one list per series) and redraws. */
    update(next) {
      lines = next;
      redraw();
    },
    /** Changes the series (labels, colours); rebuilds only when they differ. */
    setSeries(defs) {
      if (JSON.stringify(defs) === JSON.stringify(series)) return;
      series = defs;
      build();
    },
    /** Switches the y axis between linear and log10. */
    setLog(on) {
      if (Boolean(on) === log) return;
      log = Boolean(on);
      build();
    },
    /** Dashed horizontal lines at these y values. */
    setGuides(values) {
      guides = values;
      plot.redraw(false, false);
    },
    /** The canvas the lines are drawn on. */
    canvas: () => plot.ctx.canvas,
    /** The uPlot instance (for tests and the console). */
    plot: () => plot,
  };
}
