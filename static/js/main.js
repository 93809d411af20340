// Descent's composition root: creates the store and the socket, hands server messages to the
// store, turns config changes into `configure` / `set` messages, mounts the views.
//
// How a view plugs in (teaching panels included):
//   1. Write static/js/views/<name>.js (or static/js/views/teaching/<name>.js) exporting
//      `mountX(root, store, api)`. `root` is the document; a teaching panel appends its own
//      element to `root.getElementById("teaching")` (<section data-testid="teaching">).
//   2. Subscribe with `store.on(event, detail => ...)`; store.js lists the events.
//   3. Act with `api.send(msg)` (any client message of docs/protocol.md, e.g. a configure
//      with `lanes` for an optimizer race, or {type: "gradcheck"}), `store.patch({path: v})`,
//      `store.load(config)`, or api.play/pause/toggle/step/reset.
//   4. Add the mount function to PLAYGROUND_VIEWS below, or a teaching panel to
//      TEACHING_PANELS in views/teaching/index.js (do not import main.js elsewhere).

import { customMissing, isCustom } from "./custom.js";
import { decodeBytes } from "./draw.js";
import { linkHash, linkPoints } from "./pointlink.js";
import { mountRoom } from "./room.js";
import { connectSocket, socketUrl } from "./socket.js";
import { Store } from "./store.js";
import { mountBoundary } from "./views/boundary.js";
import { mountClasses } from "./views/classes.js";
import { mountConfusion } from "./views/confusion.js";
import { mountControls } from "./views/controls.js";
import { mountCostChart } from "./views/costchart.js";
import { mountCustomData } from "./views/customdata.js";
import { mountDatasets } from "./views/datasets.js";
import { mountDraw } from "./views/draw.js";
import { mountHint } from "./views/hint.js";
import { mountMetrics } from "./views/metrics.js";
import { mountNetwork } from "./views/network.js";
import { mountOptimizerParams } from "./views/optimizer.js";
import { mountRunbar } from "./views/runbar.js";
import { mountShare } from "./views/share.js";
import { mountStatus } from "./views/status.js";
import { TEACHING_PANELS } from "./views/teaching/index.js";

const PLAYGROUND_VIEWS = [
  mountControls, mountOptimizerParams, mountRunbar, mountDatasets, mountNetwork,
  mountBoundary, mountCostChart, mountMetrics, mountStatus, mountHint, mountShare,
  mountClasses, mountConfusion, mountCustomData, mountDraw,
];

const CONFIGURE_DEBOUNCE_MS = 60;
const OFFLINE = "The server cannot be reached; the page keeps trying to reconnect.";
const PLAY_OFFLINE = "Play cannot start: the server cannot be reached. It will work again as soon as the page reconnects.";
const store = new Store();
let socket = null;
let configureTimer = null;
let resumeAfterConfigure = false;
let writtenHash = "";
let readingLink = false; // the first hello's link (its custom points unpack asynchronously)

/** Actions the views may take. */
const api = {
  send: (msg) => socket?.send(msg) ?? false,
  play() {
    if (api.send({ type: "play" })) store.setStatus("running");
    else store.setStatus("offline", PLAY_OFFLINE);
  },
  pause() {
    api.send({ type: "pause" });
    store.setStatus("paused");
  },
  toggle: () => (store.status.state === "running" ? api.pause() : api.play()),
  step(iterations = 1) {
    if (!api.send({ type: "step", iterations })) store.setStatus("offline", PLAY_OFFLINE);
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
  },
};

let hashes = 0; // the latest writeHash wins (custom points are packed asynchronously)

async function writeHash() {
  const ticket = ++hashes;
  const hash = `#${await linkHash(store.config, store.hide, store.view, store.legend)}`;
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
  api.configure();
  store.emit("message", msg);
}

function onMessage(msg) {
  if (msg.type === "hello" && !store.options) {
    if (!readingLink) firstHello(msg);
    return;
  }
  if (msg.type === "hello") {
    api.configure();
  } else if (msg.type === "configured") {
    store.applyConfigured(msg);
    if (resumeAfterConfigure) api.play();
    else if (store.status.state !== "paused") store.setStatus("paused");
    resumeAfterConfigure = false;
  } else if (msg.type === "frame") {
    store.receiveFrame(msg);
    decodeFrame(msg);
  } else if (msg.type === "status") {
    if (msg.state === "diverged") resumeAfterConfigure = false;
    store.setStatus(msg.state, msg.message ?? "");
  } else if (msg.type === "error") {
    store.repair(msg.field);
    store.emit("error", msg);
  } else if (msg.type === "gradcheck") {
    store.emit(msg.type, msg);
  }
  store.emit("message", msg);
}

function onSocketState(state) {
  store.setConnection(state);
  if (state === "reconnecting" && store.status.state !== "offline") store.setStatus("offline", OFFLINE);
  else if (state === "open" && store.status.state === "offline") store.setStatus("paused");
}

window.addEventListener("hashchange", async () => {
  const hash = window.location.hash;
  if (hash === writtenHash || !store.options) return;
  store.loadHash(hash, await linkPoints(hash, store.options.limits));
});

store.on("config", onConfig);
store.on("view", () => store.config && writeHash());
store.on("legend", () => store.config && writeHash());
for (const mount of [...PLAYGROUND_VIEWS, ...TEACHING_PANELS]) mount(document, store, api);
mountRoom(document, store, api); // classroom rooms: ?room=CODE and the teacher's lessons
socket = connectSocket(socketUrl(), { onMessage, onState: onSocketState });
window.descent = { store, api }; // for the console and for tests
