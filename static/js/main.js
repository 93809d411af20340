// Descent's composition root: creates the store and the socket, turns server messages into
// store events, turns config changes into `configure` / `set` messages, mounts the views.
//
// How a view plugs in (teaching panels included):
//   1. Write static/js/views/<name>.js (or static/js/teaching/<name>.js) exporting
//      `mountX(root, store, api)`. `root` is the document; a teaching panel appends its own
//      element to `root.getElementById("teaching")` (<section data-testid="teaching">).
//   2. Subscribe with `store.on(event, detail => ...)`. Events:
//        "options"    server options arrived (store.options: menus, limits, defaults)
//        "config"     store.config changed ({changes, live, source: "ui"|"url"|"server"})
//        "configured" the server rebuilt the session (detail = the `configured` message)
//        "frame"      every frame message of every lane (main views show lane 0 only)
//        "grids"      decoded heatmaps {lane, iteration, boundary?, neurons?} (bytes: Uint8Array)
//        "status", "error", "gradcheck", "connection", and "message" (every server message)
//   3. Act with `api.send(msg)` (any client message of docs/protocol.md, e.g. a configure
//      with `lanes` for an optimizer race, or {type: "gradcheck"}), `store.patch({path: v})`,
//      or api.play/pause/toggle/step/reset.
//   4. Add the mount function to TEACHING_VIEWS below (do not import main.js elsewhere).

import { decodeBytes } from "./draw.js";
import { mountRoom } from "./room.js";
import { connectSocket, socketUrl } from "./socket.js";
import { Store, formatHash, getPath, mergeConfig, parseHash, setPath } from "./state.js";
import { mountBoundary } from "./views/boundary.js";
import { mountControls } from "./views/controls.js";
import { mountCostChart } from "./views/costchart.js";
import { mountDatasets } from "./views/datasets.js";
import { mountMetrics } from "./views/metrics.js";
import { mountNetwork } from "./views/network.js";
import { mountOptimizerParams } from "./views/optimizer.js";
import { mountRunbar } from "./views/runbar.js";
import { mountStatus } from "./views/status.js";
import { TEACHING_PANELS } from "./views/teaching/index.js";

const PLAYGROUND_VIEWS = [
  mountControls, mountOptimizerParams, mountRunbar, mountDatasets, mountNetwork,
  mountBoundary, mountCostChart, mountMetrics, mountStatus,
];
/** Teaching panels (optimizer race, gradient check, equations, ...) register here. */
const TEACHING_VIEWS = [...TEACHING_PANELS];

const CONFIGURE_DEBOUNCE_MS = 60;
const store = new Store();
let socket = null;
let configureTimer = null;
let resumeAfterConfigure = false;
let writtenHash = "";

const setStatus = (state, message = "") => {
  store.status = { state, message };
  store.emit("status", store.status);
};

/** Actions the views may take. */
const api = {
  send: (msg) => socket?.send(msg) ?? false,
  play() {
    if (api.send({ type: "play" })) setStatus("running");
  },
  pause() {
    api.send({ type: "pause" });
    setStatus("paused");
  },
  toggle: () => (store.status.state === "running" ? api.pause() : api.play()),
  step: (iterations = 1) => api.send({ type: "step", iterations }),
  reset() {
    resumeAfterConfigure = false;
    if (api.send({ type: "reset" })) setStatus("paused");
  },
  regenerate: () => store.patch({ "dataset.seed": (store.config.dataset.seed ?? 0) + 1 }),
  configure() {
    clearTimeout(configureTimer);
    configureTimer = null;
    resumeAfterConfigure = store.status.state === "running";
    api.send({ type: "configure", config: store.config });
  },
};

function writeHash() {
  writtenHash = `#${formatHash(store.config, store.hide)}`;
  if (window.location.hash !== writtenHash) history.replaceState(null, "", writtenHash);
}

function onConfig({ changes, live, source }) {
  writeHash();
  if (source === "server" || !store.options) return;
  if (live && changes) {
    const leaf = Object.fromEntries(Object.entries(changes).map(([p, v]) => [p.split(".").pop(), v]));
    api.send({ type: "set", changes: leaf });
    return;
  }
  clearTimeout(configureTimer);
  configureTimer = setTimeout(api.configure, CONFIGURE_DEBOUNCE_MS);
}

const decoding = new Map(); // lane -> {busy, pending}: latest frame wins while decoding

async function decodeGrids(frame) {
  const out = { lane: frame.lane ?? 0, iteration: frame.iteration };
  if (frame.boundary?.data) {
    out.boundary = { ...frame.boundary, bytes: await decodeBytes(frame.boundary.data, frame.boundary.encoding) };
  }
  if (frame.neurons?.layers) {
    const enc = frame.neurons.encoding;
    const layers = await Promise.all(frame.neurons.layers.map(async (layer) => ({
      ...layer, bytes: layer.data ? await decodeBytes(layer.data, enc) : null,
    })));
    out.neurons = { ...frame.neurons, layers };
  }
  return out;
}

async function decodeFrame(frame) {
  if (!frame.boundary && !frame.neurons) return;
  const lane = frame.lane ?? 0;
  const slot = decoding.get(lane) ?? { busy: false, pending: null };
  decoding.set(lane, slot);
  if (slot.busy) {
    slot.pending = { ...frame, neurons: frame.neurons ?? slot.pending?.neurons };
    return;
  }
  slot.busy = true;
  for (let next = frame; next; next = slot.pending, slot.pending = null) {
    try {
      store.emit("grids", await decodeGrids(next));
    } catch (err) {
      console.warn("could not decode a frame's grids", err);
    }
  }
  slot.busy = false;
}

function onMessage(msg) {
  if (msg.type === "hello") {
    if (!store.options) {
      store.options = { ...msg.options, limits: msg.limits ?? msg.options?.limits };
      const defaults = mergeConfig(store.config, store.options.defaults ?? {});
      const { config, hide } = parseHash(window.location.hash, defaults);
      store.config = config;
      store.hide = hide;
      store.emit("options", store.options);
      store.emit("config", { changes: null, live: false, source: "server" });
    }
    api.configure();
  } else if (msg.type === "configured") {
    store.configured = msg;
    const lane0 = msg.lanes?.find((l) => l.lane === 0) ?? msg.lanes?.[0];
    // The page's own values win (later `set`s may be in flight); the server fills gaps.
    if (lane0?.config) store.replace(mergeConfig(lane0.config, store.config), "server");
    store.emit("configured", msg);
    if (resumeAfterConfigure) api.play();
    else if (store.status.state !== "paused") setStatus("paused");
    resumeAfterConfigure = false;
  } else if (msg.type === "frame") {
    store.frames.set(msg.lane ?? 0, msg);
    store.emit("frame", msg);
    decodeFrame(msg);
  } else if (msg.type === "status") {
    if (msg.state === "diverged") resumeAfterConfigure = false;
    setStatus(msg.state, msg.message ?? "");
  } else if (msg.type === "error") {
    repairLink(msg);
    store.emit("error", msg);
  } else if (msg.type === "gradcheck") {
    store.emit(msg.type, msg);
  }
  store.emit("message", msg);
}

let repairs = 0;

// A link with a bad value (say dataset=nope) must not leave the page empty: while nothing is
// configured yet, the rejected field falls back to its default and the page configures again.
function repairLink({ field }) {
  if (store.configured || !field || repairs >= 10 || !store.options?.defaults) return;
  const fallback = getPath(store.options.defaults, field);
  if (fallback === undefined) return;
  repairs += 1;
  setPath(store.config, field, fallback);
  store.emit("config", { changes: null, live: false, source: "repair" });
}

function onSocketState(state) {
  store.connection = state;
  store.emit("connection", { state });
  if (state === "reconnecting" && store.status.state === "running") setStatus("paused");
}

window.addEventListener("hashchange", () => {
  if (window.location.hash === writtenHash || !store.options) return;
  const defaults = mergeConfig(store.config, store.options.defaults ?? {});
  const { config, hide } = parseHash(window.location.hash, defaults);
  store.hide = hide;
  store.config = config;
  store.emit("config", { changes: null, live: false, source: "url" });
});

store.on("config", onConfig);
for (const mount of [...PLAYGROUND_VIEWS, ...TEACHING_VIEWS]) mount(document, store, api);
mountRoom(document, store, api); // classroom rooms: ?room=CODE and the teacher's lessons
socket = connectSocket(socketUrl(), { onMessage, onState: onSocketState });
window.descent = { store, api }; // for the console and for tests
