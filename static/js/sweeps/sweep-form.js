// The sweep form: optimizer choices from /api/options, and the request it describes.

/** Number of a named input. */
const number = (form, name) => Number(form.elements[name].value);

/** Fills the optimizer checkboxes from the server's registry. */
export function renderOptimizerChoices(root, options, base) {
  root.replaceChildren(
    ...options.optimizers.map(({ name }) => {
      const label = document.createElement("label");
      label.className = "inline";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "optimizer-choice";
      box.value = name;
      box.checked = name === base.optimizer.name || name === "adam";
      label.append(box, ` ${name}`);
      return label;
    }),
  );
}

/** The space the form's checked rows describe (dotted config paths -> range or choices). */
function readSpace(form) {
  const space = {};
  const on = (name) => form.elements[name].checked;
  if (on("vary-lr")) {
    space["optimizer.learning_rate"] = {
      low: number(form, "lr-low"), high: number(form, "lr-high"), log: on("lr-log"),
    };
  }
  if (on("vary-hidden")) {
    space["network.hidden"] = { low: number(form, "hidden-low"), high: number(form, "hidden-high") };
  }
  if (on("vary-optimizer")) {
    const boxes = [...form.querySelectorAll("input[name=optimizer-choice]:checked")];
    space["optimizer.name"] = { choices: boxes.map((box) => box.value) };
  }
  if (on("vary-l2")) {
    space["regularization.l2"] = { low: number(form, "l2-low"), high: number(form, "l2-high") };
  }
  return space;
}

/** The POST /api/sweeps body for the form and the base config. */
export function readRequest(form, base) {
  return {
    config: base,
    space: readSpace(form),
    trials: number(form, "trials"),
    iterations: number(form, "iterations"),
    objective: form.elements.objective.value,
    sampler: form.elements.sampler.value,
    pruner: form.elements.pruner.checked ? "median" : null,
    seed: number(form, "seed"),
  };
}

/** A short description of a config for the page ("flower, [4] tanh, gd lr 1.2"). */
export function describe(config) {
  const { dataset, network, optimizer } = config;
  return `${dataset.name} (${dataset.samples} points), hidden [${network.hidden.join(", ")}] ` +
    `${network.activation}, ${optimizer.name} with learning rate ${optimizer.learning_rate}`;
}
