// The contours page's composition root: fetch the registries, build the store, mount the views.

import { apiFetch } from "../shared/token.js";
import { mountLanes } from "./surface-lanes.js";
import { mountNetwork } from "./landscape.js";
import { mountRace } from "./surface-race.js";
import { SurfaceStore } from "./contours-store.js";

async function getJson(url) {
  const response = await apiFetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function mountTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const t of tabs) {
      const chosen = t === tab;
      t.setAttribute("aria-selected", String(chosen));
      document.getElementById(t.getAttribute("aria-controls")).hidden = !chosen;
    }
    window.dispatchEvent(new Event("resize")); // the shown panel sizes its canvas
  };
  for (const tab of tabs) tab.addEventListener("click", () => select(tab));
}

async function main() {
  const [catalog, options, lessons] = await Promise.all([
    getJson("api/surfaces"),
    getJson("api/options"),
    getJson("api/lessons"),
  ]);
  mountTabs();
  const store = new SurfaceStore(catalog, options.optimizers);
  const race = document.getElementById("panel-surfaces");
  mountLanes(race, store);
  mountRace(race, store);
  const network = mountNetwork(document.getElementById("panel-network"), lessons.lessons, catalog.limits);
  window.descentContours = { store, network };
  store.refresh();
}

main().catch((error) => {
  document.querySelector("[data-testid=page-status]").textContent = `could not load: ${error.message}`;
});
