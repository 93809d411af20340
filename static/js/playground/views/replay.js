// The history slider under the cost chart: drag it to see every lane as it was at a past
// iteration (the server recomputes it exactly from the run's checkpoints), then go back to
// live. Replaying pauses the run; "live" shows the run where it stands.

import { throttled } from "../../shared/canvas.js";

export function mountReplay(root, store, api) {
  const box = root.querySelector('[data-view="replay"]');
  if (!box) return;
  const slider = box.querySelector("input[type=range]");
  const label = box.querySelector("[data-role=replay-label]");
  const live = box.querySelector("[data-action=live]");
  let latest = 0; // the live run's iteration
  let replaying = false;

  const showLive = () => {
    replaying = false;
    store.setReplaying(false); // a replay answer still on its way is not drawn
    box.classList.remove("replaying");
    slider.max = String(latest);
    slider.value = String(latest);
    label.textContent = `live: iteration ${latest}`;
    live.disabled = true;
  };
  const request = throttled(() => {
    api.send({ type: "replay", iteration: Number(slider.value) });
  });

  slider.addEventListener("input", () => {
    if (!replaying && store.status.state === "running") api.pause();
    replaying = true;
    store.setReplaying(true);
    box.classList.add("replaying");
    live.disabled = false;
    label.textContent = `iteration ${slider.value} (replay)`;
    request();
  });
  live.addEventListener("click", () => {
    api.pause(); // answered by an exact frame of the run where it stands
    showLive();
  });
  store.on("frame", (f) => {
    if (f.replay || (f.lane ?? 0) !== 0) return;
    latest = f.iteration;
    if (replaying) {
      slider.max = String(Math.max(latest, Number(slider.value)));
    } else {
      showLive();
    }
  });
  store.on("status", ({ state }) => {
    if (state === "running" && replaying) showLive();
  });
  store.on("configured", () => {
    latest = 0;
    showLive();
  });
}
