// Checks a config read from a link against what the server said it accepts (/api/options:
// registries, hyperparameter ranges, limits), so that a bad link never leaves a dead page:
// an unknown name or out-of-range value falls back to its default, a size over a limit to
// the limit, and each fallback is reported with the field it changed.

import { CUSTOM, customMissing } from "../shared/custom-points.js";
import { formatNumber } from "../shared/format.js";
import { clone, getPath, setPath } from "../shared/config-link.js";

/** Config paths whose value must be a name in an options registry. */
const NAMED = [
  ["dataset.name", "datasets"], ["network.activation", "activations"], ["network.init", "initializers"],
  ["network.output", "outputs"], ["optimizer.name", "optimizers"],
];

/** Every hyperparameter spec ({min, max, default}) of the options, by config path. */
function rangeSpecs(options) {
  const specs = {};
  for (const [name, spec] of Object.entries(options.optimizer_common ?? {})) specs[`optimizer.${name}`] = spec;
  for (const entry of options.optimizers ?? []) {
    for (const [name, spec] of Object.entries(entry.hyperparameters ?? {})) specs[`optimizer.${name}`] = spec;
  }
  for (const family of ["activations", "initializers"]) {
    for (const entry of options[family] ?? []) {
      for (const [name, spec] of Object.entries(entry.hyperparameters ?? {})) specs[`network.${name}`] = spec;
    }
  }
  return specs;
}

/** The config with every invalid field replaced, and [{field, message}] for each change;
 * pointsError says why the link's packed custom points could not be read. */
export function checkLink(config, options, pointsError = null) {
  const out = clone(config);
  const defaults = options.defaults;
  const problems = [];
  const fallBack = (field, why, value = getPath(defaults, field)) => {
    setPath(out, field, clone(value));
    problems.push({ field, message: `${field}: ${why}; the link's value was replaced by ${JSON.stringify(value)}` });
  };

  for (const [field, registry] of NAMED) {
    const names = (options[registry] ?? []).map((e) => e.name);
    if (field === "dataset.name") names.push(CUSTOM);
    const value = getPath(out, field);
    if (names.length && !names.includes(value)) fallBack(field, `unknown name ${JSON.stringify(value)}`);
  }
  const featureNames = (options.features ?? []).map((f) => f.name);
  const features = (out.features ?? []).filter((f) => featureNames.includes(f));
  if (features.length !== (out.features ?? []).length) {
    const unknown = out.features.filter((f) => !featureNames.includes(f)).join(", ");
    fallBack("features", `unknown feature ${unknown}`, features.length ? features : defaults.features);
  }

  const limits = options.limits ?? {};
  const hidden = out.network.hidden;
  if (!Array.isArray(hidden) || hidden.some((n) => !Number.isInteger(n) || n < 1)) {
    fallBack("network.hidden", "layer sizes must be whole numbers ≥ 1");
  } else if (limits.max_hidden_layers != null && hidden.length > limits.max_hidden_layers) {
    fallBack("network.hidden", `at most ${limits.max_hidden_layers} hidden layers`, hidden.slice(0, limits.max_hidden_layers));
  }
  const big = out.network.hidden.findIndex((n) => n > (limits.max_neurons ?? Infinity));
  if (big >= 0) {
    const capped = out.network.hidden.map((n) => Math.min(n, limits.max_neurons));
    fallBack("network.hidden", `at most ${limits.max_neurons} neurons per layer (layer ${big + 1} had ${hidden[big]})`, capped);
  }
  const samples = out.dataset.samples;
  if (limits.max_samples != null && samples > limits.max_samples) {
    fallBack("dataset.samples", `at most ${limits.max_samples} points`, limits.max_samples);
  }

  for (const [field, spec] of Object.entries(rangeSpecs(options))) {
    const value = getPath(out, field);
    if (value == null || typeof value !== "number") continue;
    const low = spec.min != null && value < spec.min;
    const high = spec.max != null && value > spec.max;
    if (low || high) {
      fallBack(field, `${formatNumber(value, 6)} is outside ${formatNumber(spec.min, 6)} to ${formatNumber(spec.max, 6)}`,
        getPath(defaults, field) ?? spec.default);
    }
  }
  checkData(out, options, fallBack, problems, pointsError);
  return { config: out, problems };
}

/** A link's classes and custom points: K within the dataset's range; custom points that the
 * server would accept, else the default dataset (the message says why). */
function checkData(out, options, fallBack, problems, pointsError) {
  const data = out.dataset;
  const spec = (options.datasets ?? []).find((d) => d.name === data.name);
  const range = data.name === CUSTOM ? options.custom?.classes : spec?.classes;
  const K = data.classes;
  if (K != null && (!Number.isInteger(K) || K < (range?.min ?? 2) || K > (range?.max ?? 2))) {
    fallBack("dataset.classes", `${K} classes is not allowed for ${data.name} (${range?.min ?? 2} to ${range?.max ?? 2})`, null);
  }
  if (data.name !== CUSTOM) {
    if (data.points != null) setPath(out, "dataset.points", null);
    return;
  }
  const missing = pointsError ?? (data.points == null ? "the link has no points" : customMissing(out, options));
  if (missing) {
    out.dataset = clone(options.defaults.dataset);
    out.network.output = options.defaults.network.output;
    problems.push({ field: "dataset.points", message: `dataset.points: the link's custom points could not be used (${missing}); the default dataset ${out.dataset.name} is shown instead` });
  }
}
