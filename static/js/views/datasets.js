// Dataset thumbnails: one button per dataset of the current problem type, each drawn from
// POST /api/datasets/preview. Clicking one picks it (a reset-type change).

import { fitCanvas, pointColor } from "../draw.js";
import { apiFetch } from "../token.js";

const THUMB = 56;

/** Fetches a dataset preview ({train, test, extent, problem}) from the server. */
export async function fetchPreview(dataset) {
  const response = await apiFetch(new URL("api/datasets/preview", window.location.href), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ dataset }),
  });
  if (!response.ok) throw new Error(`preview ${dataset.name}: HTTP ${response.status}`);
  return response.json();
}

/** Draws a preview's training points on a small canvas. */
export function drawThumbnail(canvas, preview) {
  const ctx = fitCanvas(canvas, THUMB, THUMB);
  const [x0, x1, y0, y1] = preview.extent;
  ctx.fillStyle = "#f4f6f7";
  ctx.fillRect(0, 0, THUMB, THUMB);
  const ys = preview.train.y.map(Number);
  const scale = Math.max(...ys.map(Math.abs), 1e-9);
  preview.train.x.forEach(([a, b], i) => {
    ctx.fillStyle = pointColor(ys[i], preview.problem, scale);
    const px = ((a - x0) / (x1 - x0)) * THUMB;
    const py = ((y1 - b) / (y1 - y0)) * THUMB;
    ctx.fillRect(px - 1, py - 1, 2.2, 2.2);
  });
}

/** Mounts the dataset picker into [data-view=datasets]. */
export function mountDatasets(root, store) {
  const box = root.querySelector("[data-view=datasets]");
  const buttons = new Map();

  const build = () => {
    box.replaceChildren();
    buttons.clear();
    for (const d of store.options.datasets) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "dataset";
      button.dataset.testid = `dataset-${d.name}`;
      button.dataset.hideName = `dataset_${d.name}`;
      button.dataset.problem = d.problem;
      button.title = d.description ?? d.name;
      button.setAttribute("aria-label", `Dataset: ${d.name}`);
      const canvas = document.createElement("canvas");
      const name = document.createElement("span");
      name.textContent = d.name.replace(/_/g, " ");
      button.append(canvas, name);
      button.addEventListener("click", () => store.patch({ "dataset.name": d.name }));
      box.append(button);
      buttons.set(d.name, button);
      const spec = { ...store.config.dataset, ...(d.defaults ?? {}), name: d.name, seed: 0 };
      spec.samples = Math.min(spec.samples ?? 200, 200);
      spec.test_fraction = 0;
      fetchPreview(spec)
        .then((preview) => drawThumbnail(canvas, preview))
        .catch(() => button.classList.add("no-preview"));
    }
    refresh();
  };

  const refresh = () => {
    const { name } = store.config.dataset;
    const problem = store.config.network.output;
    for (const [key, button] of buttons) {
      button.setAttribute("aria-pressed", String(key === name));
      button.hidden = button.dataset.problem !== problem || store.hidden(button.dataset.hideName);
    }
  };

  // A problem switch also picks a dataset of the new problem type (one configure).
  const matchProblem = () => {
    const problem = store.config.network.output;
    const all = store.options?.datasets ?? [];
    const current = all.find((d) => d.name === store.config.dataset.name);
    const first = all.find((d) => d.problem === problem);
    if (current && first && current.problem !== problem) store.patch({ "dataset.name": first.name });
  };

  store.on("options", build);
  store.on("config", () => {
    matchProblem();
    refresh();
  });
}
