// The race's settings: surface, steps, epsilon and up to four lanes (optimizer, learning rate,
// its hyperparameters from /api/options, decay). Changes go to the store; renders on "lanes".

import { LANE_COLORS } from "./contour-plot.js";

const LABELS = { beta: "β", beta1: "β₁", beta2: "β₂", epsilon: "ε", decay: "decay" };

function field(label, input, hint) {
  const wrap = document.createElement("label");
  wrap.className = "field";
  wrap.title = hint ?? "";
  const text = document.createElement("span");
  text.textContent = label;
  wrap.append(text, input);
  return wrap;
}

function numberInput(value, testid, onChange, placeholder = "") {
  const input = document.createElement("input");
  input.type = "number";
  input.step = "any";
  input.dataset.testid = testid;
  input.value = value ?? "";
  input.placeholder = placeholder;
  input.addEventListener("change", () => onChange(input.value === "" ? null : Number(input.value)));
  return input;
}

export function mountLanes(root, store) {
  const surface = root.querySelector("[data-testid=surface]");
  const steps = root.querySelector("[data-testid=steps]");
  const epsilon = root.querySelector("[data-testid=epsilon]");
  const list = root.querySelector("[data-view=lanes]");
  const add = root.querySelector("[data-testid=add-lane]");
  const description = root.querySelector("[data-view=surface-description]");

  for (const s of store.surfaces) surface.add(new Option(s.name, s.name));
  surface.addEventListener("change", () => store.setSurface(surface.value));
  steps.max = store.limits.max_steps;
  steps.addEventListener("change", () => store.setSteps(Number(steps.value)));
  epsilon.addEventListener("change", () => store.setEpsilon(Number(epsilon.value)));
  add.addEventListener("click", () => store.addLane());

  function laneRow(lane, index) {
    const row = document.createElement("div");
    row.className = "lane";
    row.dataset.testid = `lane-${index}`;
    row.style.setProperty("--lane", LANE_COLORS[index]);
    const select = document.createElement("select");
    select.dataset.testid = `lane-optimizer-${index}`;
    for (const o of store.optimizers) select.add(new Option(o.name, o.name, false, o.name === lane.name));
    select.addEventListener("change", () => store.setOptimizer(index, select.value));
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    row.append(swatch, field("optimizer", select));
    const rate = numberInput(lane.learning_rate, `lane-lr-${index}`, (v) => store.setLane(index, { learning_rate: v }),
      String(store.spec.learning_rate));
    row.append(field("α", rate, "learning rate (empty: the surface's suggestion)"));
    const spec = store.optimizers.find((o) => o.name === lane.name);
    for (const [key, hp] of Object.entries(spec.hyperparameters)) {
      const input = numberInput(lane[key], `lane-${key}-${index}`, (v) => store.setLane(index, { [key]: v ?? hp.default }));
      input.min = hp.min;
      input.max = hp.max;
      row.append(field(LABELS[key] ?? key, input, hp.description));
    }
    const decay = numberInput(lane.decay, `lane-decay-${index}`, (v) => store.setLane(index, { decay: v ?? 0 }));
    row.append(field("decay", decay, "α = α₀ / (1 + decay · t)"));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = "×";
    remove.title = "Remove this lane";
    remove.dataset.testid = `remove-lane-${index}`;
    remove.disabled = store.lanes.length <= 1;
    remove.addEventListener("click", () => store.removeLane(index));
    row.append(remove);
    return row;
  }

  function render() {
    surface.value = store.surface;
    steps.value = store.steps;
    epsilon.value = store.epsilon;
    description.textContent = store.spec.description;
    list.replaceChildren(...store.lanes.map(laneRow));
    add.disabled = store.lanes.length >= store.limits.max_lanes;
  }

  store.addEventListener("change", (event) => {
    if (event.detail === "lanes") render();
  });
  render();
}
