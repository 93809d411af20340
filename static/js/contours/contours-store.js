// The 2-D surface race's state: surface, start, lanes, steps, epsilon, the server's paths and
// the playback position. Its own methods change the state and announce "change"; views render.

import { apiFetch } from "../shared/token.js";
import { detailSentence } from "../shared/sentence.js";

const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200]; // steps per second
const DEFAULT_LANES = ["gd", "momentum", "rmsprop", "adam"];

/** A lane with the optimizer's default hyperparameters and the surface's learning rate. */
function defaultLane(name, optimizers) {
  const spec = optimizers.find((o) => o.name === name) ?? optimizers[0];
  const lane = { name: spec.name, learning_rate: null, decay: 0 };
  for (const [key, hp] of Object.entries(spec.hyperparameters)) lane[key] = hp.default;
  return lane;
}

export class SurfaceStore extends EventTarget {
  constructor(catalog, optimizers) {
    super();
    this.surfaces = catalog.surfaces;
    this.limits = catalog.limits;
    this.optimizers = optimizers;
    this.surface = this.surfaces[0].name;
    this.start = null; // null: the surface's default start
    this.lanes = DEFAULT_LANES.slice(0, this.limits.max_lanes).map((n) => defaultLane(n, optimizers));
    this.steps = this.spec.steps;
    this.epsilon = 0.01;
    this.result = null;
    this.error = null;
    this.t = 0;
    this.playing = false;
    this.speedIndex = 4;
    this.request = 0;
  }

  get spec() {
    return this.surfaces.find((s) => s.name === this.surface);
  }

  get speed() {
    return SPEEDS[this.speedIndex];
  }

  get speeds() {
    return SPEEDS;
  }

  /** The longest lane's last step index. */
  get lastStep() {
    if (!this.result) return 0;
    return Math.max(...this.result.lanes.map((lane) => lane.points.length - 1));
  }

  emit(what) {
    this.dispatchEvent(new CustomEvent("change", { detail: what }));
  }

  setSurface(name) {
    this.surface = name;
    this.start = null;
    this.steps = Math.min(this.spec.steps, this.limits.max_steps);
    this.emit("lanes");
    this.refresh();
  }

  setStart(point) {
    this.start = point.map((v) => Number(v.toPrecision(4)));
    this.refresh();
  }

  setLane(index, changes) {
    this.lanes[index] = { ...this.lanes[index], ...changes };
    this.refresh();
  }

  setOptimizer(index, name) {
    this.lanes[index] = { ...defaultLane(name, this.optimizers), learning_rate: this.lanes[index].learning_rate };
    this.emit("lanes");
    this.refresh();
  }

  addLane() {
    if (this.lanes.length >= this.limits.max_lanes) return;
    this.lanes.push(defaultLane(DEFAULT_LANES[this.lanes.length % DEFAULT_LANES.length], this.optimizers));
    this.emit("lanes");
    this.refresh();
  }

  removeLane(index) {
    if (this.lanes.length <= 1) return;
    this.lanes.splice(index, 1);
    this.emit("lanes");
    this.refresh();
  }

  setSteps(steps) {
    this.steps = Math.max(1, Math.min(this.limits.max_steps, Math.round(steps) || 1));
    this.refresh();
  }

  setEpsilon(epsilon) {
    if (epsilon > 0) this.epsilon = epsilon;
    this.refresh();
  }

  /** Ask the server for every lane's path; the latest request wins. Playback restarts. */
  async refresh() {
    const id = ++this.request;
    const body = {
      surface: this.surface,
      start: this.start,
      steps: this.steps,
      epsilon: this.epsilon,
      resolution: 101,
      lanes: this.lanes.map((lane) => ({ optimizer: lane })),
    };
    this.emit("loading");
    let response, answer;
    try {
      response = await apiFetch("api/surfaces/path", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      answer = await response.json();
    } catch (error) {
      if (id !== this.request) return;
      this.error = `the server did not answer (${error.message})`;
      this.emit("error");
      return;
    }
    if (id !== this.request) return;
    if (!response.ok) {
      this.error = answer.detail?.map((d) => detailSentence(d)).join(" ") ?? response.statusText;
      this.emit("error");
      return;
    }
    this.error = null;
    this.result = answer;
    this.t = 0; // from the start, and playing only if it was: play is the user's to press
    this.emit("result");
  }

  play() {
    if (this.t >= this.lastStep) this.t = 0;
    this.playing = true;
    this.emit("playback");
  }

  pause() {
    this.playing = false;
    this.emit("playback");
  }

  step() {
    this.playing = false;
    this.t = Math.min(this.lastStep, Math.floor(this.t) + 1);
    this.emit("frame");
  }

  rewind() {
    this.playing = false;
    this.t = 0;
    this.emit("frame");
  }

  setSpeedIndex(index) {
    this.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, index));
    this.emit("playback");
  }

  /** Advance playback by dt seconds at the current speed; stops at the end. */
  tick(dt) {
    if (!this.playing || !this.result) return;
    this.t = Math.min(this.lastStep, this.t + dt * this.speed);
    if (this.t >= this.lastStep) this.playing = false;
    this.emit("frame");
  }
}
