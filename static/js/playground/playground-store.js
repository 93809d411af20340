// The page's single source of truth: the TrainConfig being edited, the server's options, the
// run's status and latest frames. Its own methods change the state and announce it; views
// only listen and render.
//
// Events (the handler receives the detail):
//   "options"    server options arrived (store.options: menus, limits, defaults, live_changes)
//   "config"     store.config changed: {changes, live, source, configure}; `configure` says
//                whether the session must follow (playground.js sends `set` or `configure`)
//   "configured" the server rebuilt the session (detail = the `configured` message)
//   "frame"      every frame message of every lane (main views show lane 0 only)
//   "grids"      decoded heatmaps {lane, iteration, boundary?, neurons?} (bytes: Uint8Array)
//   "view"       store.view changed (show_test, discretize, log_scale: how the page draws;
//                also draw, the boundary's draw mode, which links do not carry)
//   "legend"     store.legend changed: the class names of uploaded points (null: class k)
//   "speed"      store.speed changed (iterations per frame, null: as fast as it goes)
//   "pace"       the speed the session now trains at ({speed}: the playground's or a race's)
//   "held"       store.held changed: why play waits (a teacher paused the class), or null
//   "status", "connection", and, passed through from the server, "error", "gradcheck" and
//   "message" (every server message)

import { checkLink } from "./linkcheck.js";
import { DEFAULT_SPEED } from "../shared/pace.js";
import { clone, controlName, getPath, mergeConfig, parseHash, setPath } from "../shared/config-link.js";

const MAX_REPAIRS = 10;

/** A parsed link's config with its unpacked custom points ({points} or {error}) in place. */
function withLinkedPoints(config, linked) {
  if (config.dataset.name !== "custom") return config;
  return { ...config, dataset: { ...config.dataset, points: linked?.points ?? null } };
}

/** The page's state as an EventTarget: its methods change the state and announce it. */
export class Store extends EventTarget {
  constructor() {
    super();
    this.options = null;
    this.config = null; // until the server's options (and defaults) arrive
    this.hide = new Set();
    this.replaying = false; // the history slider shows a past iteration
    this.view = {}; // drawing options a link carries: show_test, discretize, log_scale
    this.speed = DEFAULT_SPEED; // the playground's iterations per frame (null: as fast as it goes)
    this.pace = DEFAULT_SPEED; // the speed the session trains at now (a race may set its own)
    this.configured = null; // last `configured` message
    this.frames = new Map(); // lane -> last frame
    this.grids = new Map(); // lane -> last decoded heatmaps
    this.status = { state: "paused", message: "" };
    this.held = null; // why play and step wait (the teacher paused the class), or null
    this.connection = "connecting";
    this.repairs = 0;
    this.legend = null; // class names of the custom points (from an uploaded CSV), or null
  }

  /** Dispatches a CustomEvent with the given detail. */
  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Subscribes to an event; the handler receives the event's detail. */
  on(type, handler) {
    this.addEventListener(type, (e) => handler(e.detail));
  }

  /** Takes the server's options and the link's config over their defaults (every field
   * checked: see linkcheck.js); announces both, and each field the link got wrong. `linked`
   * holds the link's unpacked custom points (pointlink.js linkPoints) or null. */
  setOptions(options, hash, linked = null) {
    this.options = options;
    const { config, hide, view, speed, speedProblem } = parseHash(hash, options.defaults, options.limits);
    const checked = checkLink(withLinkedPoints(config, linked), options, linked?.error);
    this.legend = checked.config.dataset.name === "custom" ? linked?.legend ?? null : null;
    this.config = checked.config;
    this.hide = hide;
    this.view = view;
    if (speed !== undefined) this.speed = this.pace = speed;
    this.emit("options", options);
    this.emit("view", this.view);
    this.emit("speed", { speed: this.speed });
    this.emit("config", { changes: null, live: false, source: "url", configure: false });
    this.reportLink(speedProblem ? [...checked.problems, speedProblem] : checked.problems);
  }

  /** Announces each field of a link that fell back, as an error naming the field. */
  reportLink(problems) {
    for (const problem of problems) this.emit("error", { type: "error", source: "link", ...problem });
  }

  /** True if the server applies a change of this config path live (a `set`, no reset). */
  isLive(path) {
    const live = this.options?.live_changes ?? [];
    return live.includes(path) || live.includes(path.split(".").pop());
  }

  /** Applies {path: value} changes from the UI; live iff every changed path is a live one. */
  patch(changes, source = "ui") {
    const applied = {};
    for (const [path, value] of Object.entries(changes)) {
      if (JSON.stringify(getPath(this.config, path)) === JSON.stringify(value)) continue;
      setPath(this.config, path, clone(value));
      applied[path] = value;
    }
    if (!Object.keys(applied).length) return;
    const live = Object.keys(applied).every((p) => this.isLive(p));
    this.emit("config", { changes: applied, live, source, configure: true });
  }

  /** Replaces the config by a whole one (a lesson, a weights file): missing fields take the
   * server's defaults; configure: false when the caller sends its own configure. */
  load(config, { configure = true, source = "load" } = {}) {
    this.config = mergeConfig(this.options.defaults, config);
    this.emit("config", { changes: null, live: false, source, configure });
  }

  /** Follows an edited URL hash: its fields over the current config, and its hide flags. */
  loadHash(hash, linked = null) {
    const { config, hide, view, speed, speedProblem } = parseHash(hash, this.config, this.options.limits);
    const checked = checkLink(withLinkedPoints(config, linked), this.options, linked?.error);
    this.setLegend(checked.config.dataset.name === "custom" ? linked?.legend ?? null : null);
    this.hide = hide;
    this.view = view;
    this.emit("view", this.view);
    if (speed !== undefined) this.setSpeed(speed);
    this.load(checked.config, { source: "url" });
    this.reportLink(speedProblem ? [...checked.problems, speedProblem] : checked.problems);
  }

  /** Takes the server's `configured` message; lane 0's config fills the page's gaps (the
   * page's own values win: later `set`s may be in flight). */
  applyConfigured(msg) {
    this.configured = msg;
    const lane0 = msg.lanes?.find((l) => l.lane === 0) ?? msg.lanes?.[0];
    if (lane0?.config) {
      this.config = mergeConfig(lane0.config, this.config);
      this.emit("config", { changes: null, live: false, source: "server", configure: false });
    }
    this.emit("configured", msg);
  }

  /** Whether the history slider shows a past iteration (replay answers are drawn only then). */
  setReplaying(on) {
    this.replaying = Boolean(on);
    this.emit("replaying", { on: this.replaying });
  }

  /** Hides exactly these controls (a teacher's locks, or none again) and redraws them. */
  setHidden(names) {
    this.hide = new Set(names);
    this.emit("view", this.view);
    this.emit("config", { changes: null, live: false, source: "hide", configure: false });
  }

  /** Sets a drawing option (show_test, discretize, log_scale) and announces the view. */
  setView(flag, on) {
    if (Boolean(this.view[flag]) === Boolean(on)) return;
    this.view = { ...this.view, [flag]: Boolean(on) };
    this.emit("view", this.view);
  }

  /** Sets the class names of the custom points (null: "class k") and announces them. */
  setLegend(names) {
    if (JSON.stringify(names ?? null) === JSON.stringify(this.legend)) return;
    this.legend = names ?? null;
    this.emit("legend", this.legend);
  }

  /** Sets the playground's speed (iterations per frame, null: as fast as it goes). */
  setSpeed(speed) {
    if (speed === this.speed) return;
    this.speed = speed;
    this.emit("speed", { speed });
  }

  /** Records the speed the session was told to train at (the playground's or a race's). */
  setPace(speed) {
    this.pace = speed;
    this.emit("pace", { speed });
  }

  /** Keeps a lane's latest frame and announces it. */
  receiveFrame(frame) {
    this.frames.set(frame.lane ?? 0, frame);
    this.emit("frame", frame);
  }

  /** Keeps a lane's latest decoded heatmaps and announces them. */
  receiveGrids(grids) {
    this.grids.set(grids.lane, grids);
    this.emit("grids", grids);
  }

  /** Sets the run state ("running", "paused", "diverged", ...) with its message. */
  setStatus(state, message = "") {
    this.status = { state, message };
    this.emit("status", this.status);
  }

  /** Holds play and step with a reason (null: free again). */
  setHeld(reason) {
    this.held = reason || null;
    this.emit("held", { reason: this.held });
  }

  /** Sets the socket's state ("connecting", "open", "reconnecting"). */
  setConnection(state) {
    this.connection = state;
    this.emit("connection", { state });
  }

  /** A link with a bad value must not leave the page empty: until the session is first
   * configured, a field the server rejected falls back to its default (true if it did). */
  repair(field) {
    if (this.configured || !field || this.repairs >= MAX_REPAIRS || !this.options) return false;
    const path = field.replace(/(\.\d+)+$/, ""); // network.hidden.1: the whole list
    const fallback = getPath(this.options.defaults, path);
    if (fallback === undefined) return false;
    this.repairs += 1;
    setPath(this.config, path, clone(fallback));
    this.emit("config", { changes: null, live: false, source: "repair", configure: true });
    return true;
  }

  /** True if a control name is hidden by the URL's hide flags. */
  hidden(name) {
    return this.hide.has(controlName(name));
  }
}
