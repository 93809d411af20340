// One tile per student: nickname, a small boundary, iteration, costs, accuracies, key settings
// and the run's state. Tiles are updated in place, so a busy class redraws only what changed.

import { decodeBytes, fitCanvas, makeLut, paintGrid } from "../shared/canvas.js";
import { formatNumber } from "../shared/format.js";

const SIZE = 72;
/** How a tile names each run state. */
export const STATES = {
  running: "training", paused: "paused", held: "paused by you", diverged: "diverged",
  idle: "idle", left: "left",
};

const percent = (v) => (v == null ? "–" : `${(100 * v).toFixed(1)}%`);

/** The settings line of a tile: "flower · 4 tanh · adam 0.01 · L2 0". */
function settingsLine(config) {
  if (!config) return "";
  const extra = [];
  if (config.l2) extra.push(`L2 ${config.l2}`);
  if (config.keep_prob < 1) extra.push(`keep ${config.keep_prob}`);
  if (config.batch_size !== "all") extra.push(`batch ${config.batch_size}`);
  return [config.dataset, `${config.hidden} ${config.activation}`,
    `${config.optimizer} ${config.learning_rate}`, ...extra].join(" · ");
}

function element(tag, className, text = "") {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = text;
  return el;
}

/** A figure as its format says: a count, a number, or a percent. */
function written(value, format) {
  if (format === "count") return String(value ?? 0);
  return format === "percent" ? percent(value) : formatNumber(value, 3);
}

/** A new, empty tile element for a student (click: spotlight them); `figures` is the server's
 * list of a tile's figures ({key, label, format}, in the teacher socket's `room` message). */
export function makeTile(name, onPick, figures) {
  const li = element("li", "tile");
  li.dataset.testid = "tile";
  li.dataset.name = name;
  const button = element("button", "tile-pick");
  button.type = "button";
  button.title = `Show ${name}'s run on the projector`;
  button.addEventListener("click", () => onPick(name));
  const canvas = element("canvas", "tile-boundary");
  const head = element("div", "tile-head");
  head.append(element("strong", "tile-name", name), element("span", "chip"));
  const list = element("dl", "tile-figures");
  for (const { key, label, format } of figures) {
    const box = element("div");
    const value = element("dd", "", "–");
    value.dataset.figure = key;
    value.dataset.format = format;
    box.append(element("dt", "", label), value);
    list.append(box);
  }
  button.append(canvas, head, list, element("p", "tile-settings"));
  li.append(button);
  return li;
}

/** Fills a tile with a student's latest figures and redraws its boundary. */
export async function fillTile(li, tile) {
  li.dataset.state = tile.state;
  const chip = li.querySelector(".chip");
  chip.textContent = STATES[tile.state] ?? tile.state;
  chip.dataset.state = tile.state;
  for (const dd of li.querySelectorAll("[data-figure]")) {
    dd.textContent = written(tile[dd.dataset.figure], dd.dataset.format);
  }
  li.querySelector(".tile-settings").textContent = settingsLine(tile.config);
  const grid = tile.boundary;
  if (!grid?.data) return;
  const bytes = await decodeBytes(grid.data, grid.encoding);
  const ctx = fitCanvas(li.querySelector("canvas"), SIZE, SIZE);
  const mode = tile.problem === "classification" ? "probability" : "symmetric";
  paintGrid(ctx, bytes, 0, grid.resolution, makeLut(grid.range, mode), [0, 0, SIZE, SIZE], true);
}
