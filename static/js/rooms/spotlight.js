// The projector's view: one student's network (every neuron's picture, links by weight) and
// decision boundary with the training points, live, as the student's page draws them.

import { NEGATIVE, POSITIVE, decodeBytes, fitCanvas, makeLut, paintBoundary, paintGrid, pointColor } from "../shared/canvas.js";
import { formatNumber } from "../shared/format.js";
import { readFragment, teachSocket } from "./teacher-room.js";

const percent = (v) => (v == null ? "–" : `${(100 * v).toFixed(1)}%`);

function boundarySize() {
  const wide = window.innerWidth >= 900;
  return Math.max(240, Math.min(wide ? 0.4 * window.innerWidth : window.innerWidth - 32, 560));
}

async function decodeLayers(neurons) {
  return Promise.all((neurons?.layers ?? []).map(async (layer) => ({
    ...layer, bytes: layer.data ? await decodeBytes(layer.data, neurons.encoding) : null,
  })));
}

function drawBoundary(canvas, frame, dataset) {
  const size = boundarySize();
  const ctx = fitCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  const grid = frame.boundary;
  if (grid?.bytes) paintBoundary(ctx, grid, [0, 0, size, size], { problem: dataset?.problem });
  if (!dataset) return;
  const [x0, x1, y0, y1] = grid?.extent ?? dataset.extent;
  const scale = Math.max(...dataset.train.y.map((y) => Math.abs(Number(y))), 1e-9);
  const radius = Math.max(3, size / 110);
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#ffffff";
  dataset.train.x.forEach(([a, b], i) => {
    ctx.beginPath();
    ctx.arc(((a - x0) / (x1 - x0)) * size, ((y1 - b) / (y1 - y0)) * size, radius, 0, 2 * Math.PI);
    ctx.fillStyle = pointColor(Number(dataset.train.y[i]), dataset.problem, scale, dataset.classes ?? 2);
    ctx.fill();
    ctx.stroke();
  });
}

function drawNetwork(canvas, frame, layers) {
  const width = Math.min(window.innerWidth >= 900 ? 0.5 * window.innerWidth : window.innerWidth - 32, 720);
  const tallest = Math.max(...layers.map((l) => l.units), 1);
  const node = Math.max(18, Math.min(64, (width * 0.9) / (2 * layers.length), 380 / tallest));
  const height = Math.max(200, tallest * node * 1.35 + 20);
  const ctx = fitCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  const columnX = (l) => 10 + ((width - node - 20) * l) / Math.max(layers.length - 1, 1);
  const nodeY = (l, i) => (height - layers[l].units * node * 1.35) / 2 + i * node * 1.35 + node * 0.175;
  for (let l = 1; l < layers.length; l++) {
    const W = frame.weights?.[`W${l}`] ?? [];
    const biggest = Math.max(...W.flat().map((w) => Math.abs(w ?? 0)), 1e-9);
    W.forEach((row, i) => row.forEach((w, j) => {
      ctx.strokeStyle = (w ?? 0) >= 0 ? POSITIVE : NEGATIVE;
      ctx.globalAlpha = 0.25 + 0.75 * Math.abs(w ?? 0) / biggest;
      ctx.lineWidth = 0.5 + 4 * Math.abs(w ?? 0) / biggest;
      ctx.beginPath();
      ctx.moveTo(columnX(l - 1) + node, nodeY(l - 1, j) + node / 2);
      ctx.lineTo(columnX(l), nodeY(l, i) + node / 2);
      ctx.stroke();
    }));
  }
  ctx.globalAlpha = 1;
  layers.forEach((layer, l) => {
    const res = frame.neurons.resolution;
    const mode = l === layers.length - 1 ? "probability" : "symmetric";
    for (let i = 0; i < layer.units; i++) {
      const rect = [columnX(l), nodeY(l, i), node, node];
      if (layer.bytes) paintGrid(ctx, layer.bytes, i * res * res, res, makeLut(layer.range, mode), rect);
      ctx.strokeStyle = "#5f6b72";
      ctx.lineWidth = 1;
      ctx.strokeRect(...rect);
    }
  });
}

/** Mounts the spotlight on /teach/CODE/spotlight#key=KEY. */
export function mountSpotlight(root) {
  const $ = (role) => root.querySelector(`[data-role=${role}]`);
  const code = document.body.dataset.code;
  const { key } = readFragment();
  let name = null;
  let dataset = null;
  let latest = null;
  let drawing = false;
  let layers = [];

  $("code").textContent = code;
  $("room-id").hidden = false;
  $("join-link").closest(".join-hint").hidden = true;

  function title() {
    $("spot-name").textContent = name ? name : "Waiting for the teacher to pick a student…";
  }

  async function render() {
    if (drawing) return;
    drawing = true;
    while (latest) {
      const frame = latest;
      latest = null;
      if (frame.dataset) dataset = frame.dataset;
      if (frame.boundary?.data) frame.boundary.bytes = await decodeBytes(frame.boundary.data, frame.boundary.encoding);
      if (frame.neurons) layers = await decodeLayers(frame.neurons);
      drawBoundary($("spot-boundary"), frame, dataset);
      if (layers.length) drawNetwork($("spot-network"), frame, layers);
      for (const dd of root.querySelectorAll("[data-figure]")) {
        const k = dd.dataset.figure;
        const v = frame[k];
        dd.textContent = k === "iteration" ? String(v) : k.startsWith("accuracy") ? percent(v) : formatNumber(v, 4);
      }
      $("spot-state").textContent = frame.state;
      const c = frame.config;
      $("spot-settings").textContent = c ? `${c.dataset} · hidden ${c.hidden} ${c.activation} · ${c.optimizer} α=${c.learning_rate} · L2 ${c.l2} · keep ${c.keep_prob}` : "";
    }
    drawing = false;
  }

  let socket = null;
  socket = teachSocket(code, key, "spotlight", {
    onMessage(msg) {
      if (msg.type === "spotlight" || (msg.type === "command" && msg.command === "spotlight")) {
        name = msg.name;
        title();
      } else if (msg.type === "spot" && msg.name === name) {
        latest = msg;
        render();
      } else if (msg.type === "closed") {
        $("spot-name").textContent = "The room is closed.";
        socket.close();
      } else if (msg.type === "error" && msg.field && msg.field !== "token") {
        $("spot-name").textContent = msg.message;
        socket.close();
      }
    },
    onState(state) {
      $("connection").dataset.state = state;
      $("connection").textContent = state === "open" ? "live" : "reconnecting…";
    },
  });
  title();
}
