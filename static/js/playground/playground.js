// Descent's composition root: creates the store and the socket, hands server messages to the
// store, turns config changes into `configure` / `set` messages, mounts the views.
//
// How a view plugs in (teaching panels included):
//   1. Write static/js/playground/views/<name>.js (or .../views/teaching/<name>.js) exporting
//      `mountX(root, store, api)`. `root` is the document; a teaching panel appends its own
//      element to `root.getElementById("teaching")` (<section data-testid="teaching">).
//   2. Subscribe with `store.on(event, detail => ...)`; playground-store.js lists the events.
//   3. Act with `api.send(msg)` (any client message of docs/protocol.md, e.g. a configure
//      with `lanes` for an optimizer race, or {type: "gradcheck"}), `store.patch({path: v})`,
//      `store.load(config)`, or api.play/pause/toggle/step/reset.
//   4. Add the mount function to PLAYGROUND_VIEWS below, or a teaching panel to
//      TEACHING_PANELS in views/teaching/teaching-panels.js (do not import playground.js elsewhere).

import { customMissing, isCustom } from "../shared/custom-points.js";
import { decodeBytes } from "../shared/canvas.js";
import { stepSize } from "../shared/pace.js";
import { linkHash, linkPoints } from "../shared/pointlink.js";
import { checkpointFor, forgetCheckpoint, keepCheckpoint, liveChanges } from "./resume.js";
import { mountRoom } from "./student-room.js";
import { connectSocket, socketUrl } from "../shared/socket.js";
import { Store } from "./playground-store.js";
import { mountBoundary } from "./views/boundary.js";
import { mountClasses } from "./views/classes.js";
import { mountConfusion } from "./views/confusion.js";
import { mountControls } from "./views/controls.js";
import { mountCostChart } from "./views/costchart.js";
import { mountCustomData } from "./views/customdata.js";
import { mountDatasets } from "./views/datasets.js";
import { mountDock } from "./views/dock.js";
import { mountFitOutput } from "./views/fit-output.js";
import { mountDraw } from "./views/draw-points.js";
import { mountHint } from "./views/hint.js";
import { mountInside } from "./inside-panel.js";
import { mountMetrics } from "./views/metrics.js";
import { mountNetwork } from "./views/network.js";
import { mountOptimizerParams } from "./views/optimizer.js";
import { mountOptimizerRate } from "./views/optimizer-rate.js";
import { mountPageLinks } from "./views/pagelinks.js";
import { mountReplay } from "./views/replay.js";
import { mountRunbar } from "./views/runbar.js";
import { mountShare } from "./views/share.js";
import { mountSpeed } from "./views/speed.js";
import { mountStatus } from "./views/status.js";
import { TEACHING_PANELS } from "./views/teaching/teaching-panels.js";
import { mountWeightEdit } from "./views/weightedit.js";

const PLAYGROUND_VIEWS = [
  mountControls, mountOptimizerParams, mountRunbar, mountDatasets, mountNetwork,
  mountBoundary, mountCostChart, mountMetrics, mountStatus, mountHint, mountShare,
  mountClasses, mountConfusion, mountCustomData, mountDraw,
  mountSpeed, mountPageLinks, mountWeightEdit, mountReplay, mountDock, mountOptimizerRate,
  mountFitOutput, mountInside,
];

const CONFIGURE_DEBOUNCE_MS = 60;
const NEW_RUN = new Set(["configure", "reset", "resume"]); // answered by `configured`
const OFFLINE = "The server cannot be reached; the page keeps trying to reconnect.";
const PLAY_OFFLINE = "Play cannot start: the server cannot be reached. It will work again as soon as the page reconnects.";
const store = new Store();
let socket = null;
let configureTimer = null;
let resumeAfterConfigure = false;
let writtenHash = "";
let readingLink = false; // the first hello's link (its custom points unpack asynchronously)
let wasRunning = false; // training when the socket dropped: play again once back
let resuming = false; // a `resume` is on its way: an error means configure instead
let newRun = false; // configure/reset/resume sent, `configured` not yet back: old checkpoints

const liveNames = () => store.options?.live_changes ?? [];

/** Actions the views may take. */
const api = {
  send(msg) {
    const sent = socket?.send(msg) ?? false;
    if (sent && NEW_RUN.has(msg.type)) {
      newRun = true;
      if (msg.type !== "resume") forgetCheckpoint(); // that run's checkpoints are of no use now
    }
    return sent;
  },
  play() {
    if (store.held || api.waitForPoints()) return;
    if (api.send({ type: "play" })) store.setStatus("running");
    else store.setStatus("offline", PLAY_OFFLINE);
  },
  pause() {
    api.send({ type: "pause" });
    store.setStatus("paused");
  },
  toggle: () => (store.status.state === "running" ? api.pause() : api.play()),
  /** Tells the session its speed (iterations per frame, null: as fast as it goes). */
  setPace(speed) {
    store.setPace(speed);
    api.send({ type: "speed", iterations_per_frame: speed });
  },
  step(iterations = stepSize(store.pace)) {
    if (store.held || api.waitForPoints()) return;
    if (!api.send({ type: "step", iterations })) store.setStatus("offline", PLAY_OFFLINE);
  },
  /** Drawn data not yet trainable (no points, one class): says so instead of training the
   * previous data; true when play and step must wait. */
  waitForPoints() {
    const missing = customMissing(store.config, store.options);
    if (missing) store.setStatus("waiting", `Draw points on the output first: ${missing}.`);
    return Boolean(missing);
  },
  reset() {
    resumeAfterConfigure = false;
    if (api.send({ type: "reset" })) store.setStatus("paused");
  },
  regenerate: () => isCustom(store.config) || store.patch({ "dataset.seed": (store.config.dataset.seed ?? 0) + 1 }),
  newSeed: () => store.patch({ seed: (store.config.seed ?? 0) + 1 }),
  configure() {
    clearTimeout(configureTimer);
    configureTimer = null;
    if (customMissing(store.config, store.options)) return; // the draw panel says what is missing
    resumeAfterConfigure = store.status.state === "running";
    api.send({ type: "configure", config: store.config });
    api.setPace(store.speed);
  },
};

/** After (re)connecting: resume the kept checkpoint when it belongs to this config, else
 * configure; play again if training when the socket dropped. */
function startSession() {
  api.send({ type: "checkpoints", enabled: true });
  const lanes = checkpointFor(store.config, liveNames());
  if (lanes) {
    resuming = api.send({ type: "resume", lanes });
    api.setPace(store.pace);
  } else api.configure();
  resumeAfterConfigure = wasRunning;
  wasRunning = false;
}

/** A resumed single lane follows the live values the page shows (a `set` may not have been
 * in the checkpoint yet). */
function followLiveValues(msg) {
  if (msg.lanes?.length !== 1) return;
  const changes = liveChanges(store.config, msg.lanes[0].config, liveNames());
  if (Object.keys(changes).length) api.send({ type: "set", changes });
}

let hashes = 0; // the latest writeHash wins (custom points are packed asynchronously)

async function writeHash() {
  const ticket = ++hashes;
  const hash = `#${await linkHash(store.config, store.hide, store.view, store.legend, store.speed)}`;
  if (ticket !== hashes) return;
  writtenHash = hash;
  if (window.location.hash !== writtenHash) history.replaceState(null, "", writtenHash);
}

function onConfig({ changes, live, configure }) {
  writeHash();
  if (!configure || !store.options) return;
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
      ...layer, bytes: layer.data ? await decodeBytes(layer.data, layer.encoding ?? enc) : null,
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
      store.receiveGrids(await decodeGrids(next));
    } catch (err) {
      console.warn("could not decode a frame's grids", err);
    }
  }
  slot.busy = false;
}

/** The first hello: the link's config (its custom points unpack asynchronously), then the
 * configure, then the hello for the other listeners (a room's join comes after the configure). */
async function firstHello(msg) {
  readingLink = true;
  const options = { ...msg.options, limits: msg.limits ?? msg.options?.limits };
  const hash = window.location.hash;
  store.setOptions(options, hash, await linkPoints(hash, options.limits));
  startSession();
  store.emit("message", msg);
}

function onMessage(msg) {
  if (msg.type === "hello" && !store.options) {
    if (!readingLink) firstHello(msg);
    return;
  }
  if (msg.type === "hello") {
    startSession();
  } else if (msg.type === "configured") {
    newRun = false;
    if (resuming) followLiveValues(msg);
    resuming = false;
    store.applyConfigured(msg);
    if (resumeAfterConfigure) api.play();
    else if (store.status.state !== "paused") store.setStatus("paused");
    resumeAfterConfigure = false;
  } else if (msg.type === "frame") {
    store.receiveFrame(msg);
    decodeFrame(msg);
  } else if (msg.type === "replay" && store.replaying) { // a past iteration, drawn like a frame
    const past = { ...msg, type: "frame", replay: true, costs: [] };
    store.receiveFrame(past);
    decodeFrame(past);
  } else if (msg.type === "status") {
    if (msg.state === "diverged") resumeAfterConfigure = false;
    store.setStatus(msg.state, msg.message ?? "");
  } else if (msg.type === "checkpoint") {
    if (!newRun) keepCheckpoint(msg, store.config, liveNames());
  } else if (msg.type === "error") {
    if (resuming) { // the kept checkpoint was refused: start afresh
      const again = resumeAfterConfigure;
      resuming = false;
      forgetCheckpoint();
      api.configure();
      resumeAfterConfigure = again;
    }
    store.repair(msg.field);
    store.emit("error", msg);
  } else if (msg.type === "gradcheck") {
    store.emit(msg.type, msg);
  }
  store.emit("message", msg);
}

function onSocketState(state) {
  store.setConnection(state);
  if (state === "reconnecting" && store.status.state !== "offline") {
    wasRunning = store.status.state === "running";
    resuming = false;
    store.setStatus("offline", OFFLINE);
  } else if (state === "open" && store.status.state === "offline") store.setStatus("paused");
}

window.addEventListener("hashchange", async () => {
  const hash = window.location.hash;
  if (hash === writtenHash || !store.options) return;
  store.loadHash(hash, await linkPoints(hash, store.options.limits));
});

store.on("config", onConfig);
store.on("view", () => store.config && writeHash());
store.on("legend", () => store.config && writeHash());
store.on("speed", ({ speed }) => {
  if (!store.config) return;
  writeHash();
  api.setPace(speed);
});
for (const mount of [...PLAYGROUND_VIEWS, ...TEACHING_PANELS]) mount(document, store, api);
mountRoom(document, store, api); // classroom rooms: ?room=CODE and the teacher's lessons
socket = connectSocket(socketUrl("ws", "frames=binary"), { onMessage, onState: onSocketState });
window.descent = { store, api }; // for the console and for tests
