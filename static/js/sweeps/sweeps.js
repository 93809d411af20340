// The sweeps page's composition root: wires the store, the form, the scatter and the table.

import { formatHash, parseHash } from "../shared/config-link.js";
import { cancelSweep, createSweep, followSweep, getOptions, getSweep, listSweeps } from "./sweeps-api.js";
import { describe, readRequest, renderOptimizerChoices } from "./sweep-form.js";
import { drawScatter } from "./trials-scatter.js";
import { SweepStore } from "./sweeps-store.js";
import { playgroundLink, renderTable } from "./trials-table.js";
import { detailSentence } from "../shared/sentence.js";

const $ = (view) => document.querySelector(`[data-view="${view}"]`);
const form = $("sweep-form");
const store = new SweepStore(null); // the base config comes with /api/options' defaults
let following = null; // AbortController of the event stream being read

function renderStatus({ view }) {
  const { progress, status } = view;
  $("status").textContent = `${status}: ${progress.finished} of ${progress.trials} trials finished` +
    (progress.running ? `, ${progress.running} running` : "");
  $("progress").max = progress.trials;
  $("progress").value = progress.finished;
  form.querySelector("[data-action=cancel]").disabled = !store.active;
  const best = view.best;
  $("best").textContent = best ? `· best ${view.request.objective} ${best.value.toPrecision(4)} ` : "";
  if (best) {
    const link = document.createElement("a");
    link.href = playgroundLink(best.config);
    link.textContent = "open in the playground";
    $("best").append(link);
  }
}

function renderErrors({ errors }) {
  $("errors").replaceChildren(...errors.map((entry) => {
    const li = document.createElement("li");
    li.textContent = detailSentence(entry);
    return li;
  }));
}

/** When a sweep was created, as people say it ("8 Dec, 01:14"); its id when unknown. */
function started(created) {
  const when = typeof created === "number" ? new Date(created < 1e12 ? created * 1000 : created) : new Date(created ?? NaN);
  if (Number.isNaN(when.getTime())) return "a sweep";
  return when.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function renderList({ list }) {
  $("list").replaceChildren(...list.map((sweep) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#sweep=${sweep.id}`;
    link.textContent = `${started(sweep.created)}: ${sweep.status}, ${sweep.progress.finished} of ${sweep.progress.trials} trials` +
      (sweep.best_value == null ? "" : `, best ${sweep.objective} ${sweep.best_value.toPrecision(4)}`);
    link.title = `sweep ${sweep.id}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      watch(sweep.id);
    });
    li.append(link);
    return li;
  }));
}

/** Shows a sweep and follows its events until it ends. */
async function watch(id) {
  following?.abort();
  following = new AbortController();
  const view = await getSweep(id);
  if (view?.id) store.setView(view);
  try {
    await followSweep(id, (name, data) => {
      if (name === "sweep") store.setView(data);
    }, following.signal);
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  }
  store.setList(await listSweeps());
}

async function run() {
  const answer = await createSweep(readRequest(form, store.base));
  if (!answer.ok) {
    store.setErrors(answer.body?.detail ?? [{ message: `the server answered ${answer.status}` }]);
    $("status").textContent = "Not started: the request was refused (see below).";
    return;
  }
  store.setErrors([]);
  watch(answer.body.id);
}

store.on("options", ({ options }) => renderOptimizerChoices($("optimizer-choices"), options, store.base));
store.on("view", (s) => {
  renderStatus(s);
  drawScatter($("scatter"), s.view);
  renderTable($("table"), s);
});
store.on("errors", renderErrors);
store.on("list", renderList);

form.querySelector("[data-action=run]").addEventListener("click", run);
form.querySelector("[data-action=cancel]").addEventListener("click", async () => {
  if (store.view) store.setView(await cancelSweep(store.view.id));
});
$("table").tHead.addEventListener("click", (event) => {
  const column = event.target.closest("th[data-sort]")?.dataset.sort;
  if (column) store.sortBy(column);
});

function renderBase({ base }) {
  document.querySelector('[data-testid="base-config"]').textContent = `Base config: ${describe(base)}.`;
  $("playground-link").href = `./#${formatHash(base, new Set())}`;
}

store.on("base", renderBase);
drawScatter($("scatter"), null);
getOptions().then((options) => {
  store.setBase(parseHash(location.hash, options.defaults, options.limits).config); // the link's fields win
  store.setOptions(options);
});
listSweeps().then((list) => store.setList(list));
