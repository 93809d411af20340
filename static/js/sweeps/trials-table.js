// The trials table: one row per trial, sortable by column, each linking to the playground.

import { formatHash } from "../shared/config-link.js";

/** The playground URL that loads a config (the hash format the playground reads). */
export const playgroundLink = (config) => `./#${formatHash(config, new Set())}`;

/** A trial's full TrainConfig: the base config with its params at their dotted paths. */
function trialConfig(base, params) {
  const config = JSON.parse(JSON.stringify(base));
  for (const [path, value] of Object.entries(params)) {
    const keys = path.split(".");
    const last = keys.pop();
    const parent = keys.reduce((node, key) => node[key], config);
    parent[last] = path === "network.hidden" && Number.isInteger(value)
      ? Array(Math.max(1, parent.hidden.length)).fill(value)
      : value;
  }
  return config;
}

/** "learning_rate 0.0123, name adam" for a trial's params. */
function formatParams(params) {
  const parts = Object.entries(params).map(([path, value]) => {
    const shown = typeof value === "number" ? Number(value.toPrecision(3)) : JSON.stringify(value);
    return `${path.split(".").at(-1)} ${shown}`;
  });
  return parts.join(", ") || "(the base config)";
}

/** One table row. */
function row(trial, base, best) {
  const tr = document.createElement("tr");
  tr.dataset.state = trial.state;
  if (best && best.number === trial.number) tr.classList.add("best");
  const value = trial.value == null ? (trial.message ?? "") : trial.value.toPrecision(4);
  const cells = [trial.number, formatParams(trial.params), trial.state, value, trial.iterations,
    trial.duration?.toFixed(1) ?? ""];
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = String(text);
    tr.append(td);
  }
  const link = document.createElement("a");
  link.href = playgroundLink(trialConfig(base, trial.params));
  link.textContent = "open";
  link.title = "Open this trial's config in the playground, in a new tab (the sweep stays here)";
  link.target = "_blank";
  link.rel = "noopener";
  const td = document.createElement("td");
  td.append(link);
  tr.append(td);
  return tr;
}

/** Renders the store's sorted trials and marks the sorted column. */
export function renderTable(table, store) {
  const base = store.view?.request.config ?? store.base;
  table.tBodies[0].replaceChildren(...store.sortedTrials().map((t) => row(t, base, store.view?.best)));
  for (const th of table.tHead.querySelectorAll("th[data-sort]")) {
    const sorted = th.dataset.sort === store.sort.column;
    if (sorted) th.setAttribute("aria-sort", store.sort.ascending ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
}
