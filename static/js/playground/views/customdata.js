// The user's own data in the data column: upload a CSV (POST /api/datasets/parse, then the
// points train as the custom dataset with the file's class names as legend), download any
// dataset as CSV, what the custom points are, and why "regenerate" is off for them.

import { CUSTOM, classCount, customMissing, isCustom } from "../../shared/custom-points.js";
import { h } from "../dom.js";
import { apiFetch } from "../../shared/token.js";

const DOWNLOAD_FIELDS = ["name", "samples", "noise", "seed", "factor", "classes"];

/** POSTs JSON to an API path relative to the page; resolves to the Response. */
const post = (path, body) => apiFetch(new URL(path, window.location.href), {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
});

/** The first message of a 422 body ("line 17, column 3: 'abc' is not a number"). */
async function refusal(response) {
  try {
    const detail = (await response.json()).detail;
    const first = Array.isArray(detail) ? detail[0] : null;
    return first?.msg ?? first?.message ?? String(detail ?? `HTTP ${response.status}`); // msg: no field path
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** The CSV of the config's dataset: GET for a built-in one, POST for custom points. */
function fetchCsv(config, legend, paths) {
  const data = config.dataset;
  if (isCustom(config)) return post(paths.download, { dataset: data, output: config.network.output, legend });
  const query = new URLSearchParams();
  for (const key of DOWNLOAD_FIELDS) if (data[key] != null) query.set(key, String(data[key]));
  return apiFetch(new URL(`${paths.download.replace(/^\//, "")}?${query}`, window.location.href));
}

/** Mounts upload / download and the custom data's summary into [data-view=custom-data]. */
export function mountCustomData(root, store) {
  const box = root.querySelector("[data-view=custom-data]");
  const regenerate = root.querySelector("[data-action=regenerate]");
  const why = root.querySelector("[data-role=regenerate-why]");
  const file = h("input", { type: "file", accept: ".csv,text/csv,text/plain", testid: "csv-file", class: "visually-hidden",
    "aria-label": "CSV file to upload" });
  const upload = h("button", { type: "button", class: "text-button half", testid: "csv-upload", text: "Upload CSV…",
    title: "x1,x2,label (classes 0..K-1 or names) or x1,x2,y; a header line is optional", onclick: () => file.click() });
  const download = h("button", { type: "button", class: "text-button half", testid: "csv-download", text: "Download CSV" });
  const summary = h("p", { class: "hint own-summary", testid: "own-data-summary", hidden: true });
  const message = h("p", { class: "data-message", testid: "data-message", role: "alert", hidden: true });
  box.append(h("div", { class: "csv-row" }, upload, download), file, summary, message);
  const paths = () => ({ parse: "api/datasets/parse", download: "api/datasets/csv", ...(store.options?.custom?.csv ?? {}) });
  const rel = (path) => path.replace(/^\//, "");

  const say = (text, kind = "error") => {
    message.hidden = !text;
    message.textContent = text ?? "";
    message.dataset.kind = kind;
  };

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (!chosen) return;
    try {
      const response = await post(rel(paths().parse), { text: await chosen.text(), output: null });
      if (!response.ok) return say(`${chosen.name} was not loaded: ${await refusal(response)}`);
      const parsed = await response.json();
      say(null);
      store.setLegend(parsed.problem === "classification" ? parsed.legend : null);
      store.patch({
        "dataset.name": CUSTOM, "dataset.points": parsed.points, "network.output": parsed.problem,
        "dataset.classes": parsed.problem === "classification" ? parsed.classes : null,
      });
      summary.dataset.file = chosen.name;
    } catch (err) {
      say(`${chosen.name} was not loaded: ${err.message}`);
    }
  });

  download.addEventListener("click", async () => {
    if (!store.config) return;
    const response = await fetchCsv(store.config, store.legend, { download: rel(paths().download) });
    if (!response.ok) return say(`The CSV could not be made: ${await refusal(response)}`);
    const url = URL.createObjectURL(await response.blob());
    const name = isCustom(store.config) ? "my-points.csv" : `${store.config.dataset.name}.csv`;
    h("a", { href: url, download: name }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  const refresh = ({ source } = {}) => {
    const custom = isCustom(store.config);
    if (!custom && store.legend) store.setLegend(null);
    if (!custom) delete summary.dataset.file;
    if (source === "ui" && message.dataset.kind === "error" && !custom) say(null);
    const reason = store.options?.custom?.regenerate ?? "custom points cannot be regenerated";
    regenerate.disabled = custom;
    regenerate.title = custom ? reason : "New random data from the next data seed";
    why.hidden = !custom;
    why.textContent = custom ? `Regenerate is off: ${reason}.` : "";
    summary.hidden = !custom;
    if (custom) {
      const points = store.config.dataset.points ?? [];
      const K = classCount(store.config, store.options);
      const from = summary.dataset.file ? ` from ${summary.dataset.file}` : "";
      const missing = customMissing(store.config, store.options);
      summary.textContent = `Your own data${from}: ${points.length} point${points.length === 1 ? "" : "s"}` +
        (K ? `, ${K} classes` : ", regression targets") + (missing ? ` — not sent yet, ${missing}.` : ".");
    }
  };
  store.on("config", refresh);
  store.on("options", refresh);
}
