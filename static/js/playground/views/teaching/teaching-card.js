// Shared pieces of the teaching panels: a card in #teaching, REST fetches relative to the
// page, and the optimizers' display names.

import { h } from "../../dom.js";
import { apiFetch } from "../../../shared/token.js";

/** Appends a card (titled <article>) to #teaching; returns {card, head, body}. */
export function mountCard(root, { name, title, testid, intro }) {
  const section = root.getElementById("teaching");
  const head = h("header", { class: "t-card-head" }, h("h2", { text: title }));
  const body = h("div", { class: "t-card-body" });
  if (intro) body.append(h("p", { class: "t-intro", html: intro }));
  // data-control: a classroom link's hide flags (hide=race or hide=teaching) hide the card.
  const card = h("article", { class: `t-card t-card-${name}`, testid, "aria-label": title,
    "data-control": `teaching ${name}` }, head, body);
  section.append(card);
  return { card, head, body };
}

/** GET a JSON document relative to the page (works behind a path prefix). */
export async function getJSON(path) {
  const response = await apiFetch(new URL(path, window.location.href));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** Pretty optimizer names. */
export const OPTIMIZER_LABELS = { gd: "GD", momentum: "Momentum", rmsprop: "RMSprop", adam: "Adam" };
