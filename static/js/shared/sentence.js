// Errors as people read them: the server's reason as a sentence, naming a control by its label
// ("Learning rate: must be ..."), never by its field path; the API keeps `field` for scripts.

/** What people call the fields that have no single labelled control on the page. */
const FIELD_NAMES = {
  "network.hidden": "Hidden layers", "dataset.samples": "Number of points", features: "Features",
  speed: "Speed", "dataset.name": "Dataset", "dataset.classes": "Classes", "dataset.points": "Drawn points",
};

/** The label of the control bound to a dotted config path on this page, or "" ("lanes.1.x":
 * "Lane 1's …", numbered from 0 as the server's messages number them). */
export function controlLabel(root, field) {
  if (!field) return "";
  const lane = /^lanes\.(\d+)\.(.+)$/.exec(field);
  if (lane) {
    const inner = lane[2].replace(/(\.\d+)+$/, "");
    const name = FIELD_NAMES[inner] ?? inner.split(".").pop().replaceAll("_", " ");
    return `Lane ${lane[1]}'s ${name.toLowerCase()}`;
  }
  const path = field.replace(/^config\./, "").replace(/(\.\d+)+$/, "");
  if (!root?.querySelector) return FIELD_NAMES[path] ?? "";
  const control = [...root.querySelectorAll("[data-path]")].find((el) => el.dataset.path === path);
  if (!control) return FIELD_NAMES[path] ?? "";
  const label = control.id ? root.querySelector(`label[for="${control.id}"]`) : control.closest("label");
  const text = (label?.childNodes[0]?.textContent ?? control.getAttribute("aria-label") ?? "").trim();
  return text.replace(/:$/, "");
}

/** {field, reason?, message} -> "Capitalised sentence." (the field path dropped; a control's
 * label first when root shows that control). */
export function sentence(err, root = null) {
  const field = err?.field ?? "";
  let text = String(err?.reason ?? err?.message ?? "").trim();
  if (field && text.startsWith(`${field}: `)) text = text.slice(field.length + 2);
  if (!text) return "";
  const label = controlLabel(root, field);
  text = label ? `${label}: ${text}` : text[0].toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** One entry of a REST 422/4xx "detail" list as a sentence (its `msg` is the reason). */
export const detailSentence = (entry, root = null) =>
  sentence({ field: entry?.field, reason: entry?.msg ?? entry?.message }, root);
