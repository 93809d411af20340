// Dataset thumbnails: one button per dataset of the current problem type, each drawn from
// POST /api/datasets/preview with the dataset's own defaults. Clicking one picks it with those
// defaults (noise, size), so the data is what the picture showed (a reset-type change).

import { isCustom } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { fitCanvas, paintPoints, targetScale } from "../../shared/canvas.js";
import { apiFetch } from "../../shared/token.js";

const THUMB = 56;

/** Fetches a dataset preview ({train, test, extent, problem}) from the server, once per tab
 * and server version: a reload draws the thumbnails from sessionStorage without asking again. */
async function fetchPreview(dataset) {
  const version = document.querySelector("meta[name=descent-version]")?.content ?? "";
  const key = `descent-preview:${version}:${JSON.stringify(dataset)}`;
  const kept = sessionStorage.getItem(key);
  if (kept) return JSON.parse(kept);
  const response = await apiFetch(new URL("api/datasets/preview", window.location.href), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ dataset }),
  });
  if (!response.ok) throw new Error(`preview ${dataset.name}: HTTP ${response.status}`);
  const preview = await response.json();
  try {
    sessionStorage.setItem(key, JSON.stringify(preview));
  } catch {
    // storage full or off: the next reload asks again
  }
  return preview;
}

/** Draws a preview's training points on a small canvas. */
function drawThumbnail(canvas, preview) {
  const ctx = fitCanvas(canvas, THUMB, THUMB);
  ctx.fillStyle = "#f4f6f7";
  ctx.fillRect(0, 0, THUMB, THUMB);
  paintPoints(ctx, preview.train, { extent: preview.extent, rect: [0, 0, THUMB, THUMB], problem: preview.problem,
    scale: targetScale(preview.train), classes: preview.classes ?? 2, radius: 1.2, stroke: null });
}

/** Mounts the dataset picker into [data-view=datasets]. */
export function mountDatasets(root, store) {
  const box = root.querySelector("[data-view=datasets]");
  const buttons = new Map();
  // A built-in dataset has no points, and its own default K.
  const pick = (d) => store.patch({
    "dataset.name": d.name, "dataset.points": null, "dataset.classes": null,
    ...Object.fromEntries(Object.entries(d.defaults ?? {}).map(([key, value]) => [`dataset.${key}`, value])),
  });

  const build = () => {
    box.replaceChildren();
    buttons.clear();
    for (const d of store.options.datasets) {
      const canvas = h("canvas");
      const button = h("button", {
        type: "button", class: "dataset", testid: `dataset-${d.name}`, "data-hide-name": `dataset_${d.name}`,
        "data-problem": d.problem, title: d.description ?? d.name, "aria-label": `Dataset: ${d.name}`,
        onclick: () => pick(d),
      }, canvas, h("span", { text: d.name.replace(/_/g, " ") }));
      box.append(button);
      buttons.set(d.name, button);
      const spec = { ...store.config.dataset, ...(d.defaults ?? {}), name: d.name, seed: 0, points: null, classes: null };
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

  // A problem switch also picks a dataset of the new problem type (one configure); own
  // points stay when they fit the new problem (class labels are targets too, not the reverse).
  const matchProblem = () => {
    const problem = store.config.network.output;
    const all = store.options?.datasets ?? [];
    const current = all.find((d) => d.name === store.config.dataset.name);
    const first = all.find((d) => d.problem === problem);
    if (current && first && current.problem !== problem) pick(first);
    if (!isCustom(store.config)) return;
    const labels = (store.config.dataset.points ?? []).every((p) => Number.isInteger(p[2]));
    if (problem === "classification" && !labels && first) pick(first);
    else if (problem === "regression" && store.config.dataset.classes != null) store.patch({ "dataset.classes": null });
  };

  store.on("options", build);
  store.on("config", () => {
    matchProblem();
    refresh();
  });
}
