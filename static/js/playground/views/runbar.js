// Play / pause, step, reset, new seed and regenerate buttons, the counters, and the space shortcut.

import { speedLabel, stepSize } from "../../shared/pace.js";

const TYPING = new Set(["text", "number", "search", "email", "url", "password", "tel", "range"]);

function isTyping(el) {
  if (!el || el === document.body) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName === "INPUT") return TYPING.has(el.type);
  // Buttons and checkboxes react to space themselves.
  return el.tagName === "BUTTON" || (el.tagName === "INPUT" && el.type === "checkbox");
}

/** Mounts run controls; api offers toggle(), step(), reset(), regenerate(), newSeed(). */
export function mountRunbar(root, store, api) {
  const play = root.querySelector("[data-testid=play]");
  const step = root.querySelector("[data-testid=step]");
  const iteration = root.querySelector("[data-testid=iteration]");
  const epoch = root.querySelector("[data-testid=epoch]");

  root.addEventListener("click", (e) => {
    const action = e.target.closest("[data-action]")?.dataset.action;
    if (action === "play") api.toggle();
    else if (action === "step") api.step();
    else if (action === "reset") api.reset();
    else if (action === "regenerate") api.regenerate();
    else if (action === "new-seed") api.newSeed();
  });

  document.addEventListener("keydown", (e) => {
    if (e.code !== "Space" && e.key !== " ") return;
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(document.activeElement)) return;
    e.preventDefault();
    api.toggle();
  });

  const showRunning = () => {
    const running = store.status.state === "running";
    play.setAttribute("aria-pressed", String(running));
    play.setAttribute("aria-label", running ? "Pause" : "Play");
    play.classList.toggle("playing", running);
  };
  store.on("status", showRunning);
  // While the teacher holds the class, play and step are disabled and say why.
  store.on("held", ({ reason }) => {
    for (const button of [play, step]) button.disabled = Boolean(reason);
    play.title = reason ?? "Play / pause (space)";
  });
  // While the server cannot be reached, Play says so (pressing it says so in the status too).
  store.on("connection", ({ state }) => {
    play.title = state === "reconnecting" ? "Play is unavailable: the server cannot be reached" : "Play / pause (space)";
  });

  // Step makes one frame's worth of iterations at the speed the session trains at.
  store.on("pace", ({ speed }) => {
    const n = stepSize(speed);
    const what = `${n.toLocaleString("en")} iteration${n === 1 ? "" : "s"}`;
    step.title = speed == null ? `Step: ${what} (at "${speedLabel(speed)}")` : `Step: ${what}, one frame at ${speedLabel(speed)}`;
    step.setAttribute("aria-label", `Step ${what}`);
  });

  const pad = (n) => String(n ?? 0);
  store.on("frame", (frame) => {
    if ((frame.lane ?? 0) !== 0) return;
    iteration.textContent = pad(frame.iteration);
    epoch.textContent = pad(frame.epoch);
  });
  store.on("configured", () => {
    iteration.textContent = "0";
    epoch.textContent = "0";
  });
}
