// The optimizer race: up to four lanes (any optimizer, learning rate, regularization,
// activation or hidden layers) trained side by side on the same data from the same initial
// weights. Overlaid cost curves (linear or log), a small boundary per lane, and the
// iteration at which each lane first reached a target cost.
//
// Other panels (lessons) start a race with store.emit("teaching:race", {lanes, until}),
// lanes being [{label, network, optimizer, regularization}] as in the configure message.

import { makeLut, paintGrid, pointColor, fitCanvas, formatNumber } from "../../draw.js";
import { LANE_COLORS, drawChart, h, mountCard, pushPoint, throttled } from "./common.js";
import { mountLaneTable, rowFromSections } from "./racelanes.js";

const CHART = { width: 600, height: 250 };
const BOX = 152;

/** Mounts the race panel (data-testid=race-panel) into #teaching. */
export function mountRace(root, store, api) {
  const { body } = mountCard(root, {
    name: "race", title: "Optimizer race", testid: "race-panel",
    intro: "Same data, same initial weights, different settings. Pick up to four lanes " +
      "(a blank cell keeps the playground's value), press <b>Race</b> and watch which one " +
      "gets down the cost curve first.",
  });
  const table = mountLaneTable(body, store, () => {});
  const startButton = h("button", { type: "button", class: "t-button primary", testid: "race-start", text: "▶ Race" });
  const stopButton = h("button", { type: "button", class: "t-button", testid: "race-stop", text: "■ Stop race", disabled: true });
  const target = h("input", { type: "number", step: "any", min: "0", value: "0.3", testid: "race-target", "aria-label": "Target cost" });
  const until = h("input", { type: "number", step: "1", min: "1", placeholder: "∞", testid: "race-until", "aria-label": "Stop at iteration" });
  const logScale = h("input", { type: "checkbox", testid: "race-log", checked: true });
  const state = h("span", { class: "t-state", testid: "race-state", text: "Not racing: the playground trains one network." });
  body.append(h("div", { class: "t-toolbar" }, table.addButton, startButton, stopButton,
    h("label", { class: "t-inline" }, "target cost ", target),
    h("label", { class: "t-inline" }, "stop at iteration ", until),
    h("label", { class: "t-inline check" }, logScale, " log scale"), state));

  const canvas = h("canvas", { testid: "race-chart", role: "img", "aria-label": "Cost of every lane over iterations" });
  const legend = h("div", { class: "t-legend", testid: "race-legend" });
  const testKey = h("span", { class: "t-key", hidden: true }, h("span", { class: "t-swatch line dashed" }), "dashed: test cost");
  const results = h("div", { class: "t-race-lanes" });
  body.append(h("div", { class: "t-race-view" }, h("div", { class: "t-race-chart" }, canvas, legend), results));

  let active = false;
  let pending = null; // {n} while a race configure is in flight
  let lanes = []; // [{index, label, points, reached, frame, box}]

  const targetValue = () => (Number.isFinite(Number(target.value)) && target.value !== "" ? Number(target.value) : null);

  const drawNow = () => {
    const t = targetValue();
    const map = drawChart(canvas, {
      ...CHART, log: logScale.checked, xLabel: "iteration",
      lines: lanes.flatMap((lane, i) => [
        { points: lane.points, color: LANE_COLORS[i % 4] },
        { points: lane.test, color: LANE_COLORS[i % 4], dash: [5, 3], width: 1.2 },
      ]),
    });
    if (!active) {
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#8a959b";
      ctx.font = "13px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText("Press Race: every lane's cost will be drawn here.", CHART.width / 2, CHART.height / 2);
    }
    if (t && lanes.some((l) => l.points.length) && (!logScale.checked || t > 0)) {
      const ctx = canvas.getContext("2d");
      const y = Math.round(map.toY(t)) + 0.5;
      const [px, py, pw, ph] = map.rect;
      if (y >= py && y <= py + ph) {
        ctx.strokeStyle = "rgba(27,42,51,0.5)";
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, y);
        ctx.lineTo(px + pw, y);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
  };
  const draw = throttled(drawNow);

  const reachedText = (lane) => (lane.reached == null ? "not yet" : String(lane.reached));

  const showLane = (lane) => {
    const f = lane.frame;
    const { iteration, cost, acc, reached } = lane.box;
    iteration.textContent = f ? String(f.iteration) : "0";
    cost.textContent = f ? formatNumber(f.cost_train, 4) : "–";
    lane.box.testAcc.parentElement.parentElement.hidden = f?.accuracy_test == null;
    lane.box.testAcc.textContent = f?.accuracy_test != null ? `${(100 * f.accuracy_test).toFixed(1)}%` : "–";
    acc.textContent = f?.accuracy_train != null ? `${(100 * f.accuracy_train).toFixed(1)}%`
      : f?.rmse_train != null ? `rmse ${formatNumber(f.rmse_train, 3)}` : "–";
    reached.textContent = reachedText(lane);
    reached.classList.toggle("t-good", lane.reached != null);
  };

  const laneBox = (index, label) => {
    const color = LANE_COLORS[index % 4];
    const box = {
      canvas: h("canvas", { testid: `race-boundary-${index}`, role: "img", "aria-label": `Boundary of lane ${index}` }),
      iteration: h("output", { testid: `race-iteration-${index}`, text: "0" }),
      cost: h("output", { testid: `race-cost-${index}`, text: "–" }),
      acc: h("output", { testid: `race-accuracy-${index}`, text: "–" }),
      testAcc: h("output", { testid: `race-test-accuracy-${index}`, text: "–" }),
      reached: h("output", { testid: `race-reached-${index}`, text: "not yet" }),
      note: h("div", { class: "t-lane-note", testid: `race-note-${index}` }),
    };
    box.element = h("div", { class: "t-race-lane", testid: `race-result-${index}`, style: `--lane:${color}` },
      h("div", { class: "t-lane-title" }, h("span", { class: "t-swatch", style: `background:${color}` }), label),
      box.canvas,
      h("dl", {},
        h("div", {}, h("dt", { text: "iteration" }), h("dd", {}, box.iteration)),
        h("div", {}, h("dt", { text: "cost" }), h("dd", {}, box.cost)),
        h("div", {}, h("dt", { text: "accuracy" }), h("dd", {}, box.acc)),
        h("div", { hidden: true }, h("dt", { text: "test accuracy" }), h("dd", {}, box.testAcc)),
        h("div", {}, h("dt", { text: "target reached at" }), h("dd", {}, box.reached))),
      box.note);
    const ctx = fitCanvas(box.canvas, BOX, BOX);
    ctx.fillStyle = "#eef0f1";
    ctx.fillRect(0, 0, BOX, BOX);
    return box;
  };

  const paintBoundary = (lane, grid) => {
    const data = store.configured;
    const ctx = fitCanvas(lane.box.canvas, BOX, BOX);
    const problem = data?.problem ?? "classification";
    const lut = makeLut(grid.range, problem === "classification" ? "probability" : "symmetric", false, 0.3);
    paintGrid(ctx, grid.bytes, 0, grid.resolution, lut, [0, 0, BOX, BOX]);
    if (!data) return;
    const [x0, x1, y0, y1] = grid.extent ?? data.extent;
    const scale = Math.max(...data.train.y.map((v) => Math.abs(Number(v))), 1e-9);
    ctx.strokeStyle = "rgba(255,255,255,0.8)";
    ctx.lineWidth = 0.5;
    data.train.x.forEach(([a, b], i) => {
      ctx.beginPath();
      ctx.arc(((a - x0) / (x1 - x0)) * BOX, ((y1 - b) / (y1 - y0)) * BOX, 1.6, 0, 2 * Math.PI);
      ctx.fillStyle = pointColor(Number(data.train.y[i]), problem, scale);
      ctx.fill();
      ctx.stroke();
    });
  };

  const setActive = (on, configured) => {
    active = on;
    stopButton.disabled = !on;
    body.closest(".t-card").classList.toggle("racing", on);
    lanes = on ? configured.lanes.map((l) => ({ index: l.lane, label: l.label, points: [], test: [], reached: null, frame: null })) : [];
    for (const lane of lanes) lane.box = laneBox(lane.index, lane.label);
    results.replaceChildren(...lanes.map((l) => l.box.element));
    legend.replaceChildren(...lanes.map((l, i) => h("span", { class: "t-key" },
      h("span", { class: "t-swatch line", style: `background:${LANE_COLORS[i % 4]}` }), l.label)), testKey);
    state.textContent = on
      ? `Racing ${lanes.length} lane${lanes.length > 1 ? "s" : ""} from the same initial weights.`
      : "Not racing: the playground trains one network.";
    draw();
  };

  const start = () => {
    const raceLanes = table.lanes();
    pending = { n: raceLanes.length };
    if (store.status.state === "running") api.pause();
    api.send({ type: "configure", config: store.config, lanes: raceLanes });
  };

  const recomputeReached = () => {
    const t = targetValue();
    for (const lane of lanes) {
      const hit = t == null ? null : lane.points.find((p) => p[1] <= t);
      lane.reached = hit ? hit[0] : null;
      showLane(lane);
    }
    draw();
  };

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => {
    pending = null;
    api.pause();
    api.configure();
  });
  target.addEventListener("input", recomputeReached);
  logScale.addEventListener("change", draw);

  store.on("configured", (msg) => {
    const n = msg.lanes?.length ?? 1;
    if (pending && n === pending.n) {
      pending = null;
      setActive(true, msg);
      setTimeout(() => api.play(), 0); // after main.js has settled the page as paused
    } else if (n > 1) setActive(true, msg);
    else if (!pending) setActive(false, msg);
  });

  store.on("frame", (f) => {
    if (!active) return;
    const lane = lanes.find((l) => l.index === (f.lane ?? 0));
    if (!lane) return;
    lane.frame = f;
    const t = targetValue();
    const costs = f.costs ?? [];
    const exact = !f.noisy && costs.length;
    if (exact) {
      const n = costs.length;
      const stride = Math.max(1, Math.floor(n / 60));
      for (let k = 0; k < n; k++) {
        const it = f.iteration - n + 1 + k;
        if (lane.reached == null && t != null && costs[k] != null && costs[k] <= t) lane.reached = it;
        if (k % stride === 0 || k === n - 1) pushPoint(lane.points, [it, costs[k]]);
      }
    } else if (f.cost_train != null) {
      if (!lane.points.length || lane.points[lane.points.length - 1][0] < f.iteration) pushPoint(lane.points, [f.iteration, f.cost_train]);
      if (lane.reached == null && t != null && f.cost_train <= t) lane.reached = f.iteration;
    }
    const lastTest = lane.test[lane.test.length - 1];
    if (f.cost_test != null && (!lastTest || lastTest[0] < f.iteration)) pushPoint(lane.test, [f.iteration, f.cost_test]);
    testKey.hidden = !lanes.some((l) => l.test.length);
    showLane(lane);
    draw();
    const stopAt = Number(until.value);
    if (f.lane === 0 && until.value && f.iteration >= stopAt && store.status.state === "running") api.pause();
  });

  store.on("grids", (g) => {
    const lane = active && g.boundary && lanes.find((l) => l.index === g.lane);
    if (lane) paintBoundary(lane, g.boundary);
  });

  store.on("message", (msg) => {
    if (msg.type === "status" && msg.lane != null && active) {
      const lane = lanes.find((l) => l.index === msg.lane);
      if (lane && msg.state === "diverged") lane.box.note.textContent = "diverged — lower its learning rate";
    }
    if (msg.type === "error" && pending && /^lanes/.test(msg.field ?? "")) {
      pending = null;
      state.textContent = `The race could not start: ${msg.field}: ${msg.message}`;
    }
  });

  store.on("teaching:race", ({ lanes: raceLanes, until: stopAt }) => {
    table.setRows(raceLanes.map((l) => rowFromSections(l.label, l)));
    until.value = stopAt ? String(stopAt) : "";
    start();
  });

  drawNow();
}
