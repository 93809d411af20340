// The real network's landscape: a lesson's config trained by POST /api/landscape, its cost on
// the plane through the final weights, the projected path with start and end, and beside it
// each point's true cost against the plane's (they differ wherever the path leaves the plane).

import { apiFetch } from "../shared/token.js";
import { LANE_COLORS, Plot, formatNumber } from "./contour-plot.js";
import { detailSentence } from "../shared/sentence.js";

const TRUE = "#1b2a33";
const PLANE = "#e8710a";

function plotSize(container) {
  const width = Math.max(240, Math.min(620, container.clientWidth - 24)); // minus padding
  return { width, height: Math.round(width * 0.92) };
}

/** Each lane's true cost (solid) and the plane's cost (dashed) over the iterations. */
function drawCosts(canvas, lanes) {
  const width = Math.max(220, Math.min(460, canvas.parentElement.clientWidth - 24));
  const height = 170;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = height * dpr;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const box = { x: 44, y: 8, w: width - 54, h: height - 34 };
  const values = lanes.flatMap((l) => l.path.flatMap((p) => [p.cost, p.cost_on_plane])).filter(Number.isFinite);
  const lo = Math.min(...values), hi = Math.max(...values);
  const last = Math.max(...lanes.map((l) => l.path[l.path.length - 1].iteration)) || 1;
  const x = (i) => box.x + (i / last) * box.w;
  const y = (v) => box.y + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * box.h;
  ctx.strokeStyle = "#8a969c";
  ctx.strokeRect(box.x, box.y, box.w, box.h);
  ctx.fillStyle = "#44525a";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "right";
  ctx.fillText(formatNumber(hi, 3), box.x - 4, box.y + 8);
  ctx.fillText(formatNumber(lo, 3), box.x - 4, box.y + box.h);
  ctx.textAlign = "center";
  ctx.fillText("iteration", box.x + box.w / 2, height - 4);
  ctx.fillText("0", box.x, height - 16);
  ctx.fillText(String(last), box.x + box.w - 8, height - 16);
  lanes.forEach((lane, i) => {
    const color = lanes.length > 1 ? LANE_COLORS[i] : TRUE;
    for (const [key, stroke, dash] of [["cost", color, []], ["cost_on_plane", lanes.length > 1 ? color : PLANE, [5, 3]]]) {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 2 + 1.5 * (lanes.length - 1 - i); // earlier lanes wider: overlaps show
      ctx.setLineDash(dash);
      ctx.beginPath();
      lane.path.forEach((p, k) => (k ? ctx.lineTo(x(p.iteration), y(p[key])) : ctx.moveTo(x(p.iteration), y(p[key]))));
      ctx.stroke();
    }
  });
  ctx.setLineDash([]);
}

function pathTable(path) {
  const every = Math.max(1, Math.ceil(path.length / 12));
  const chosen = path.filter((_, k) => k % every === 0 || k === path.length - 1);
  const rows = chosen.map((p) => `<tr><td>${p.iteration}</td><td>${formatNumber(p.alpha, 3)}</td>
    <td>${formatNumber(p.beta, 3)}</td><td>${formatNumber(p.cost, 4)}</td>
    <td>${formatNumber(p.cost_on_plane, 4)}</td>
    <td>${formatNumber(p.cost_on_plane - p.cost, 3)}</td></tr>`);
  return `<table data-testid="landscape-table"><thead><tr><th>iteration</th><th>α</th><th>β</th>
    <th>true J</th><th>plane J</th><th>plane − true</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function mountNetwork(root, lessons, limits) {
  const choice = root.querySelector("[data-testid=landscape-lesson]");
  const iterations = root.querySelector("[data-testid=landscape-iterations]");
  const resolution = root.querySelector("[data-testid=landscape-resolution]");
  const directions = root.querySelector("[data-testid=landscape-directions]");
  const run = root.querySelector("[data-testid=landscape-run]");
  const status = root.querySelector("[data-testid=landscape-status]");
  const canvas = root.querySelector("[data-testid=landscape-plot]");
  const holder = root.querySelector("[data-view=landscape-plot]");
  const variance = root.querySelector("[data-testid=explained-variance]");
  const costs = root.querySelector("[data-testid=landscape-costs]");
  const table = root.querySelector("[data-view=landscape-table]");
  const tableLane = root.querySelector("[data-testid=landscape-table-lane]");
  const legend = root.querySelector("[data-view=landscape-legend]");
  const configs = []; // {lanes: [{label, config}], iterations}: one lane, or a whole lesson's race
  const head = (lesson) => lesson.title.split(":")[0];
  const shared = (lesson) => lessons.filter((other) => head(other) === head(lesson)).length > 1;
  for (const lesson of lessons) {
    const short = shared(lesson) ? lesson.title : head(lesson); // a name no other lesson has
    for (const lane of lesson.lanes) {
      configs.push({ lanes: [lane], iterations: lesson.iterations });
      choice.add(new Option(`${short} — ${lane.label}`, String(configs.length - 1)));
    }
    if (lesson.lanes.length > 1) {
      configs.push({ lanes: lesson.lanes, iterations: lesson.iterations });
      choice.add(new Option(`${short} — all ${lesson.lanes.length} lanes on one plane`, String(configs.length - 1)));
    }
  }
  choice.value = String(Math.max(0, configs.findIndex((c) => c.lanes[0].config.network.hidden.length > 0)));
  resolution.max = limits.max_landscape_resolution;
  const pickDefaults = () => {
    iterations.value = Math.min(configs[Number(choice.value)].iterations, 5000);
  };
  choice.addEventListener("change", pickDefaults);
  pickDefaults();
  let answer = null;

  function draw() {
    if (!answer) return;
    const plot = new Plot(canvas, answer.axes.alpha, answer.axes.beta, answer.cost, plotSize(holder), ["α (d1)", "β (d2)"]);
    plot.drawBackground();
    const n = answer.lanes.length;
    answer.lanes.forEach((lane, i) => {
      const points = lane.path.map((p) => [p.alpha, p.beta]);
      plot.path(points, LANE_COLORS[i], 2 + 2 * (n - 1 - i)); // earlier lanes wider: overlaps show
      for (const [a, b] of points) plot.mark(a, b, LANE_COLORS[i], 2.2);
    });
    answer.lanes.forEach((lane, i) => {
      const first = lane.path[0], end = lane.path[lane.path.length - 1];
      plot.dot(first.alpha, first.beta, "#1b2a33", 6, true);
      plot.cross(end.alpha, end.beta, i ? LANE_COLORS[i] : "#b3261e", 7);
    });
    const [a, b] = answer.explained_variance;
    const what = answer.directions === "pca" ? "PCA of the trajectory" : "filter-normalised random directions";
    variance.textContent = `${what}: d1 explains ${(100 * a).toFixed(1)}% and d2 ${(100 * b).toFixed(1)}% of the ` +
      `trajectory's variance (${answer.parameters} parameters); together ${(100 * (a + b)).toFixed(1)}%.`;
    legend.innerHTML = answer.lanes.map((lane, i) => `<span style="--lane:${LANE_COLORS[i]}"><span class="swatch"></span>` +
      `${lane.label}${lane.status === "diverged" ? " (diverged)" : ""}</span>`).join("");
    legend.hidden = answer.lanes.length < 2;
    tableLane.replaceChildren(...answer.lanes.map((lane, i) => new Option(lane.label, String(i))));
    tableLane.parentElement.hidden = answer.lanes.length < 2;
    drawCosts(costs, answer.lanes);
    table.innerHTML = pathTable(answer.lanes[0].path);
  }

  tableLane.addEventListener("change", () => {
    table.innerHTML = pathTable(answer.lanes[Number(tableLane.value)].path);
  });

  async function compute() {
    const chosen = configs[Number(choice.value)];
    const first = chosen.lanes[0].config;
    const body = {
      config: first,
      iterations: Number(iterations.value),
      resolution: Number(resolution.value),
      directions: directions.value,
    };
    if (chosen.lanes.length > 1) {
      body.lanes = chosen.lanes.map(({ label, config }) => ({
        label, network: config.network, optimizer: config.optimizer, regularization: config.regularization,
      }));
    }
    status.textContent = "training and evaluating the plane…";
    delete root.dataset.state;
    run.disabled = true;
    const started = performance.now();
    try {
      const response = await apiFetch("api/landscape", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const reply = await response.json();
      if (!response.ok) {
        status.textContent = reply.detail?.map((d) => detailSentence(d)).join(" ") ?? response.statusText;
        return;
      }
      answer = reply;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const count = reply.lanes.length > 1 ? `${reply.lanes.length} lanes, ` : "";
      status.textContent = `${reply.message}; ${count}${reply.path.length} path points each; ${seconds} s`;
      draw();
      root.dataset.state = "drawn";
    } catch (error) {
      status.textContent = `the server did not answer (${error.message})`;
    } finally {
      run.disabled = false;
    }
  }

  run.addEventListener("click", compute);
  window.addEventListener("resize", draw);
  return { compute };
}
