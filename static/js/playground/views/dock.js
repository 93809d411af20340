// On a phone the output column sits far below the controls, so a compact output is docked at
// the bottom of the screen while the real one is out of view: a small copy of the decision
// boundary, the cost so far as a sparkline, the iteration and cost, and play / pause.

import { h } from "../dom.js";
import { formatNumber } from "../../shared/format.js";
import { RECT, SIZE } from "./boundary.js";

const MAX_POINTS = 400;

/** Draws the cost points as a line filling the canvas (y from the smallest to the largest). */
function drawSparkline(canvas, points) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (points.length < 2) return;
  const ys = points.map((p) => p[1]);
  const lo = Math.min(...ys), hi = Math.max(...ys);
  const x0 = points[0][0], x1 = points[points.length - 1][0];
  const x = (v) => 2 + ((v - x0) / (x1 - x0 || 1)) * (width - 4);
  const y = (v) => height - 3 - ((v - lo) / (hi - lo || 1)) * (height - 6);
  ctx.strokeStyle = "#1b2a33";
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([i, c], k) => (k ? ctx.lineTo(x(i), y(c)) : ctx.moveTo(x(i), y(c))));
  ctx.stroke();
}

/** Mounts the docked output (data-testid=dock); shown by CSS on narrow screens only. */
export function mountDock(root, store, api) {
  const boundary = root.querySelector("[data-testid=boundary]");
  if (!boundary) return;
  const mini = h("canvas", { class: "dock-boundary", testid: "dock-boundary", width: 88, height: 88, role: "img",
    "aria-label": "The decision boundary, small: the output below shows it whole" });
  const spark = h("canvas", { class: "dock-chart", testid: "dock-chart", width: 120, height: 44, role: "img",
    "aria-label": "Training cost over the iterations so far" });
  const iteration = h("output", { testid: "dock-iteration", text: "0" });
  const cost = h("output", { testid: "dock-cost", text: "–" });
  const play = h("button", { type: "button", class: "round dock-play", testid: "dock-play", "aria-label": "Play",
    onclick: () => api.toggle() }, h("span", { "aria-hidden": "true", text: "▶" }));
  const jump = h("button", { type: "button", class: "link-button dock-jump", testid: "dock-jump", text: "Output ↓",
    onclick: () => root.querySelector(".output-column")?.scrollIntoView({ behavior: "smooth", block: "start" }) });
  const dock = h("aside", { class: "dock", testid: "dock", "aria-label": "The output at a glance" },
    play, mini,
    h("div", { class: "dock-figures" }, h("span", {}, "Iteration ", iteration), h("span", {}, "Cost ", cost), jump),
    spark);
  root.body.append(dock);

  const points = [];
  let queued = false;
  const paint = () => {
    queued = false;
    if (getComputedStyle(dock).display === "none") return;
    const ctx = mini.getContext("2d");
    ctx.clearRect(0, 0, mini.width, mini.height);
    const k = boundary.width / SIZE; // the plot only, without its axes
    if (boundary.width && boundary.height) {
      ctx.drawImage(boundary, RECT[0] * k, RECT[1] * k, RECT[2] * k, RECT[3] * k, 0, 0, mini.width, mini.height);
    }
    drawSparkline(spark, points);
  };
  const schedule = () => {
    if (!queued) requestAnimationFrame(paint);
    queued = true;
  };

  store.on("configured", () => {
    points.length = 0;
    iteration.textContent = "0";
    cost.textContent = "–";
    schedule();
  });
  store.on("frame", (f) => {
    if ((f.lane ?? 0) !== 0 || f.replay) return;
    iteration.textContent = String(f.iteration ?? 0);
    if (f.cost_train != null) {
      cost.textContent = formatNumber(f.cost_train, 3);
      const last = points[points.length - 1];
      if (last && last[0] === f.iteration) points.pop();
      points.push([f.iteration, f.cost_train]);
      if (points.length > MAX_POINTS) points.splice(0, points.length, ...points.filter((_, i) => i % 2 === 0));
    }
    schedule();
  });
  store.on("grids", schedule);
  store.on("status", ({ state }) => {
    const running = state === "running";
    play.setAttribute("aria-label", running ? "Pause" : "Play");
    play.firstChild.textContent = running ? "❚❚" : "▶";
    play.classList.toggle("playing", running);
  });
  store.on("held", ({ reason }) => { play.disabled = Boolean(reason); });

  // Docked only while the real output is off screen.
  new IntersectionObserver(([entry]) => {
    dock.classList.toggle("away", entry.isIntersecting);
    schedule();
  }, { threshold: 0.35 }).observe(boundary);
}
