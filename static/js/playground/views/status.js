// The status area (running / paused / diverged, in plain words), server errors, and the
// connection indicator ("reconnecting…"), and, after a resume, where the run came back.

import { h } from "../dom.js";
import { sentence } from "../../shared/sentence.js";

const MAX_ERRORS = 6; // a bad link may need several

function plain(status) {
  if (status.state === "diverged") {
    const why = status.message || "the cost became too large or not a number.";
    const advice = /reset/i.test(why) ? "" : " Lower the learning rate, then press reset.";
    return `Training stopped because it diverged. ${why}${advice}`;
  }
  if (status.state === "running") return "Training…";
  if (status.state === "offline" || status.state === "waiting") return status.message;
  if (/^stopped at iteration/.test(status.message)) return `Paused: the race ${status.message}, its stop iteration.`;
  return "Paused. Press play (or space) to train, or Step to make one frame's worth of iterations (the speed sets how many).";
}

/** Mounts the status area ([data-view=status]) and connection badge ([data-view=connection]). */
export function mountStatus(root, store) {
  const box = root.querySelector("[data-view=status]");
  const text = box.querySelector("[data-role=status-text]");
  const errors = box.querySelector("[data-role=errors]");
  const badge = root.querySelector("[data-view=connection]");
  const resumed = h("span", { class: "resumed", testid: "resumed", hidden: true });
  text.after(resumed);

  const show = () => {
    const held = store.held && store.status.state !== "offline";
    box.dataset.state = held ? "held" : store.status.state;
    text.textContent = held ? store.held : plain(store.status);
  };
  store.on("status", show);
  store.on("held", show);

  // The server's "resumed at iteration N" stays beside the state until the next new run.
  store.on("configured", () => { resumed.hidden = true; });
  store.on("message", (msg) => {
    if (msg.type !== "status" || !/^resumed at iteration/.test(msg.message ?? "")) return;
    resumed.textContent = `Back where it was: ${msg.message}.`;
    resumed.hidden = false;
  });

  store.on("error", (err) => {
    const text = sentence(err, root) || "The server refused the last change.";
    const item = h("li", { class: "error", "data-field": err.field ?? null }, text,
      h("button", { type: "button", class: "dismiss", text: "×", "aria-label": "Dismiss this error",
        onclick: () => item.remove() }));
    errors.prepend(item);
    while (errors.children.length > MAX_ERRORS) errors.lastElementChild.remove();
  });

  // A new change by the user retires the old errors; a repaired link keeps its explanation.
  store.on("config", ({ source }) => {
    if (source === "ui") errors.replaceChildren();
  });

  store.on("connection", ({ state }) => {
    badge.dataset.state = state;
    badge.textContent = { open: "connected", reconnecting: "reconnecting…" }[state] ?? "connecting…";
  });
}
