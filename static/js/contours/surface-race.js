// The surface race: contours of J, every lane's path up to the playback step, each current
// point with its −∇J arrow, the start and the minimum; play/step/speed; the readout table,
// which says how many steps a lane took only once playback reaches that step.

import { LANE_COLORS, Plot, formatNumber } from "./contour-plot.js";

function plotSize(container) {
  const width = Math.max(240, Math.min(620, container.clientWidth - 24)); // minus padding
  return { width, height: Math.round(width * 0.92) };
}

export function mountRace(root, store) {
  const holder = root.querySelector("[data-view=race-plot]");
  const canvas = root.querySelector("[data-testid=surface-plot]");
  const readout = root.querySelector("[data-view=readout]");
  const status = root.querySelector("[data-testid=race-status]");
  const play = root.querySelector("[data-testid=race-play]");
  const speed = root.querySelector("[data-testid=race-speed]");
  const speedText = root.querySelector("[data-testid=race-speed-value]");
  const stepText = root.querySelector("[data-testid=race-step]");
  let plot = null;

  speed.max = store.speeds.length - 1;
  speed.value = store.speedIndex;
  speed.addEventListener("input", () => store.setSpeedIndex(Number(speed.value)));
  play.addEventListener("click", () => (store.playing ? store.pause() : store.play()));
  root.querySelector("[data-testid=race-next]").addEventListener("click", () => store.step());
  root.querySelector("[data-testid=race-rewind]").addEventListener("click", () => store.rewind());
  canvas.addEventListener("click", (event) => {
    if (!plot) return;
    const box = canvas.getBoundingClientRect();
    const px = event.clientX - box.left, py = event.clientY - box.top;
    if (plot.inside(px, py)) store.setStart(plot.fromPixel(px, py));
  });

  function build() {
    const { grid } = store.result;
    plot = new Plot(canvas, grid.w1, grid.w2, grid.cost, plotSize(holder));
    plot.drawBackground();
  }

  function drawFrame() {
    if (!plot) return;
    plot.restoreBackground();
    const { surface, lanes, start } = store.result;
    if (surface.minimum) plot.cross(...surface.minimum, "#1b2a33");
    const step = Math.floor(store.t);
    lanes.forEach((lane, i) => {
      const k = Math.min(step, lane.points.length - 1);
      plot.path(lane.points.slice(0, k + 1), LANE_COLORS[i], 1.5 + 0.6 * (lanes.length - 1 - i)); // overlaps show
    });
    plot.dot(...start, "#1b2a33", 5, true);
    lanes.forEach((lane, i) => {
      const k = Math.min(step, lane.points.length - 1);
      const [w1, w2] = lane.points[k];
      const [g1, g2] = lane.gradients[k];
      plot.arrow(w1, w2, -g1, -g2, LANE_COLORS[i]);
      plot.dot(w1, w2, LANE_COLORS[i], 4.5);
    });
    renderReadout(step);
  }

  function renderReadout(step) {
    const { lanes, epsilon, surface } = store.result;
    stepText.textContent = `step ${Math.min(step, store.lastStep)} / ${store.lastStep}`;
    const rows = lanes.map((lane, i) => {
      const k = Math.min(step, lane.points.length - 1);
      const [g1, g2] = lane.gradients[k];
      // A lane's result shows once playback gets there: the table never gives the race away.
      const end = step >= lane.points.length - 1;
      let reached;
      if (!surface.minimum) reached = "– (no minimum)";
      else if (lane.reached != null && step >= lane.reached) reached = `${lane.reached} ✓`;
      else if (lane.reached == null && end) reached = `not within ε in ${lane.points.length - 1}`;
      else reached = "not yet";
      const note = lane.stopped && end ? `; ${lane.stopped}` : "";
      return `<tr data-testid="readout-${i}" style="--lane:${LANE_COLORS[i]}">
        <td><span class="swatch"></span>${lane.label}</td>
        <td data-testid="reached-${i}">${reached}${note}</td>
        <td>${formatNumber(lane.costs[k], 4)}</td>
        <td>${formatNumber(Math.hypot(g1, g2), 3)}</td>
        <td>(${formatNumber(lane.points[k][0], 3)}, ${formatNumber(lane.points[k][1], 3)})</td></tr>`;
    });
    readout.innerHTML = `<table><thead><tr><th>lane</th><th>steps to within ε = ${epsilon}</th>
      <th>J</th><th>|∇J|</th><th>(w1, w2)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  }

  function renderControls() {
    play.textContent = store.playing ? "❚❚ pause" : "▶ play";
    play.setAttribute("aria-pressed", String(store.playing));
    speedText.textContent = `${store.speed} steps/s`;
  }

  store.addEventListener("change", (event) => {
    const what = event.detail;
    if (what === "loading") status.textContent = "computing…";
    if (what === "error") status.textContent = store.error;
    if (what === "result") {
      status.textContent = "";
      build();
    }
    if (["result", "frame", "playback"].includes(what)) {
      renderControls();
      drawFrame();
    }
  });

  let last = performance.now();
  function loop(now) {
    store.tick(Math.min(0.1, (now - last) / 1000));
    last = now;
    requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
  window.addEventListener("resize", () => {
    if (store.result) {
      build();
      drawFrame();
    }
  });
}
