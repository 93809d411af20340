// The optimizer race's controller: up to four lanes (any optimizer, learning rate, regularization,
// activation or hidden layers) trained side by side on the same data from the same initial
// weights. Overlaid cost curves (linear or log), a small boundary per lane, and the
// iteration at which each lane first reached a target cost (racebox.js draws a lane's box,
// racelanes.js edits the lanes).
//
// Other panels (lessons) start a race with store.emit("teaching:race", {lanes, until}),
// lanes being [{label, network, optimizer, regularization}] as in the configure message.
// A race with a stop iteration gets there with `step`s of exactly the iterations left, so it
// stops on it. It follows the playground's speed control (its own menu is a second view of
// it), so a lesson's race starts at a pace a person can watch.

import { lineChart, pushPoint } from "../../chart.js";
import { h } from "../../dom.js";
import { LANE_COLORS, throttled } from "../../../shared/canvas.js";
import { speedMenu } from "../speed.js";
import { mountCard } from "./teaching-card.js";
import { laneBox } from "./racebox.js";
import { mountLaneTable, rowFromSections } from "./racelanes.js";
import { bestOf, criterionName, figuresOf, formatFigure } from "./verdict.js";
import { sentence } from "../../../shared/sentence.js";

/** The chart's series: each lane's training cost, and its test cost dashed. */
const laneSeries = (lanes) => lanes.flatMap((lane, i) => [
  { label: lane.label, color: LANE_COLORS[i % LANE_COLORS.length], width: 2 },
  { label: `${lane.label} test`, color: LANE_COLORS[i % LANE_COLORS.length], width: 1.2, dash: [5, 3] },
]);

/** The lanes that start from lane 0's initial weights, as the server decides (docs/protocol.md:
 * lane 0's layer sizes and initializer, init and init_scale), lane 0 included. */
function sharedStart(lanes) {
  const start = (l) => JSON.stringify([l.layer_sizes, l.config?.network?.init, l.config?.network?.init_scale]);
  return lanes.filter((lane) => start(lane) === start(lanes[0]));
}

/** What the race says of its lanes' initial weights (only what is true). */
function startText(lanes) {
  const shared = sharedStart(lanes);
  const plural = lanes.length > 1 ? "s" : "";
  if (shared.length === lanes.length) return `Racing ${lanes.length} lane${plural} from the same initial weights.`;
  const others = lanes.filter((l) => !shared.includes(l)).map((l) => l.label);
  if (shared.length === 1) return `Racing ${lanes.length} lanes: their layers or initializers differ, so each draws its own initial weights.`;
  return `Racing ${lanes.length} lanes: ${shared.map((l) => l.label).join(", ")} start from the same initial weights; ` +
    `${others.join(", ")} draw${others.length === 1 ? "s" : ""} ${others.length === 1 ? "its" : "their"} own (other layers or initializer).`;
}

/** Mounts the race panel (data-testid=race-panel) into #teaching. */
export function mountRace(root, store, api) {
  const { body } = mountCard(root, {
    name: "race", title: "Optimizer race", testid: "race-panel",
    intro: "Same data, different settings (and the same initial weights when the lanes share their layers and " +
      "initializer). Pick up to four lanes " +
      "(a blank cell keeps the playground's value), press <b>Race</b> and watch which one " +
      "gets down the cost curve first.",
  });
  const table = mountLaneTable(body, store, () => {});
  const startButton = h("button", { type: "button", class: "t-button primary", testid: "race-start", text: "▶ Race" });
  const stopButton = h("button", { type: "button", class: "t-button", testid: "race-stop", text: "■ Stop race", disabled: true });
  const target = h("input", { type: "number", step: "any", min: "0", value: "0.3", testid: "race-target", "aria-label": "Target cost" });
  const until = h("input", { type: "number", step: "1", min: "1", placeholder: "∞", testid: "race-until", "aria-label": "Stop at iteration" });
  const logScale = h("input", { type: "checkbox", testid: "race-log", checked: true });
  const speed = speedMenu({ testid: "race-speed", speed: store.speed, label: "Race speed", onPick: (k) => store.setSpeed(k) });
  store.on("options", ({ limits }) => speed.limit(limits?.max_speed));
  store.on("speed", ({ speed: k }) => speed.show(k));
  const state = h("span", { class: "t-state", testid: "race-state", text: "Not racing: the playground trains one network." });
  body.append(h("div", { class: "t-toolbar" }, table.addButton, startButton, stopButton,
    h("label", { class: "t-inline" }, "target cost ", target),
    h("label", { class: "t-inline" }, "stop at iteration ", until),
    h("label", { class: "t-inline" }, "speed ", speed.element),
    h("label", { class: "t-inline check" }, logScale, " log scale"), state));

  const chartBox = h("div", { class: "chart" });
  const placeholder = h("p", { class: "t-muted t-race-placeholder", text: "Press Race: every lane's cost will be drawn here." });
  const results = h("div", { class: "t-race-lanes" });
  body.append(h("div", { class: "t-race-view" }, h("div", { class: "t-race-chart" }, placeholder, chartBox), results));
  const chart = lineChart(chartBox, {
    xLabel: "iteration", xIntegers: true, yLabel: "training cost J (dashed: test)", log: true, height: 260, testid: "race-chart",
    legendTestid: "race-legend", label: "Cost of every lane over iterations", series: [],
  });

  let active = false;
  let pending = null; // {n} while a race configure is in flight
  let judge = null; // the lesson whose criterion decides this race (null: the target cost)
  let judged = false;
  let run = "idle"; // "starting", "stepping" to the stop iteration, "stopping" (pause, then step)
  let lanes = []; // [{index, label, points, test, reached, frame, box}]

  const targetValue = () => (Number.isFinite(Number(target.value)) && target.value !== "" ? Number(target.value) : null);

  const draw = throttled(() => {
    chart.setLog(logScale.checked);
    chart.setSeries(laneSeries(lanes));
    chart.update(lanes.flatMap((lane) => [lane.points, lane.test]));
    chart.setGuides([targetValue()]);
  });

  const showLane = (lane) => lane.box.show(lane.frame, lane.reached);

  const setActive = (on, configured) => {
    active = on;
    stopButton.disabled = !on;
    body.closest(".t-card").classList.toggle("racing", on);
    lanes = on ? configured.lanes.map((l) => ({ index: l.lane, label: l.label, points: [], test: [], reached: null, frame: null })) : [];
    for (const lane of lanes) lane.box = laneBox(lane.index, lane.label);
    results.replaceChildren(...lanes.map((l) => l.box.element));
    placeholder.hidden = on;
    state.textContent = on ? startText(configured.lanes) : "Not racing: the playground trains one network.";
    draw();
  };

  const start = () => {
    const raceLanes = table.lanes();
    pending = { n: raceLanes.length };
    run = "idle";
    if (store.status.state === "running") api.pause();
    api.send({ type: "configure", config: store.config, lanes: raceLanes });
    api.setPace(store.speed);
  };

  const stopAt = () => (until.value && Number(until.value) > 0 ? Math.floor(Number(until.value)) : null);
  const lane0Iteration = () => lanes.find((l) => l.index === 0)?.frame?.iteration ?? 0;

  /** Trains on: exactly up to the stop iteration (one step of what is left), else plays. */
  const go = () => {
    const left = stopAt() == null ? null : stopAt() - lane0Iteration();
    if (left == null || left <= 0) return api.play();
    run = "stepping";
    api.step(left);
    store.setStatus("running", `racing to iteration ${stopAt()}`);
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

  /** Once every lane is at the stop iteration: the lesson's winner by its own criterion. */
  const judgeIfDone = () => {
    if (!judge || judged || !lanes.length || !lanes.every((l) => l.frame && (l.frame.iteration >= stopAt() || l.frame.diverged))) return;
    judged = true;
    const figures = figuresOf(lanes.map((l) => l.frame), judge);
    const best = bestOf(figures, judge.higher_is_better);
    lanes.forEach((lane, i) => {
      if (lane.frame.diverged) return;
      const course = judge.lanes[i]?.course;
      const here = `${formatFigure(judge.criterion, figures[i])} ${criterionName(judge.criterion)}`;
      const said = `${best.includes(i) ? (best.length > 1 ? "tied best: " : "winner: ") : ""}${here}` +
        (course == null ? "" : ` (course ${formatFigure(judge.criterion, course)})`);
      lane.box.note(said);
      lane.box.element.querySelector(".t-lane-note")?.classList.add("t-verdict");
      lane.box.element.classList.toggle("t-winner", best.includes(i));
    });
  };

  startButton.addEventListener("click", () => {
    judge = null;
    start();
  });
  const stop = () => {
    pending = null;
    api.pause();
    api.configure();
  };
  stopButton.addEventListener("click", stop);
  store.on("teaching:clear", () => {
    if (active || pending) stop();
  });
  target.addEventListener("input", recomputeReached);
  logScale.addEventListener("change", draw);

  store.on("configured", (msg) => {
    const n = msg.lanes?.length ?? 1;
    if (pending && n === pending.n) {
      pending = null;
      setActive(true, msg);
      run = "starting"; // goes once the server's "status paused" that follows has come
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
    showLane(lane);
    draw();
    judgeIfDone();
    const arrived = stopAt() != null && lanes.every((l) => l.frame && (l.frame.diverged || l.frame.iteration >= stopAt()));
    if (run === "stepping" && arrived) {
      run = "idle";
      store.setStatus("paused", `stopped at iteration ${stopAt()}`);
    }
    if ((f.lane ?? 0) === 0 && run === "stopping" && store.status.state !== "running") { // the paused frame: exact
      run = "idle";
      go();
    }
  });

  // Play during a race with a stop iteration: pause, then step exactly the iterations left.
  store.on("status", ({ state: now }) => {
    if (!active || run !== "idle" || now !== "running" || stopAt() == null || lane0Iteration() >= stopAt()) return;
    run = "stopping";
    api.send({ type: "pause" });
  });
  store.on("status", ({ state: now, message }) => {
    if (run === "stepping" && now === "paused" && !/^stopped at/.test(message)) run = "idle"; // paused by hand
  });

  store.on("grids", (g) => {
    const lane = active && g.boundary && lanes.find((l) => l.index === g.lane);
    if (lane) lane.box.paintBoundary(g.boundary, store.configured);
  });

  store.on("message", (msg) => {
    if (msg.type === "status" && run === "starting") {
      run = "idle";
      if (msg.state === "paused") go();
    }
    if (msg.type === "status" && msg.lane != null && active) {
      const lane = lanes.find((l) => l.index === msg.lane);
      if (lane && msg.state === "diverged") lane.box.note("diverged — lower its learning rate");
    }
    if (msg.type === "error" && pending && /^lanes/.test(msg.field ?? "")) {
      pending = null;
      state.textContent = `The race could not start. ${sentence(msg)}`;
    }
  });

  store.on("teaching:race", ({ lanes: raceLanes, until: iterations, lesson }) => {
    judge = lesson ?? null;
    judged = false;
    table.setRows(raceLanes.map((l) => rowFromSections(l.label, l)));
    until.value = iterations ? String(iterations) : "";
    start();
  });

  draw();
}
