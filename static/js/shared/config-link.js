// The URL hash that mirrors the TrainConfig being edited, so that a copied link reproduces a
// run, and the dotted-path helpers for configs.
//
// URL hash encoding: `#key=value&key=value...`, values URI-encoded, lists comma-separated.
//   dataset=flower  samples=400  noise=0.2  test_fraction=0  data_seed=0  factor=0.5
//   classes=auto|3 (K; auto: the dataset's default)
//   points=<deflated JSON, base64url> (dataset=custom only: the points; see pointlink.js)
//   features=x1,x2  hidden=4,2 (empty for no hidden layer)  activation=tanh
//   problem=classification  init=random  init_scale=0.01  leaky_slope=0.01  learn_slope=0|1
//   batch_norm=0|1  init_seed=auto|3 (notebook_* initializers' np.random.seed; auto: theirs)
//   optimizer=adam  learning_rate=0.01  batch_size=all|32  beta=0.9  beta1=0.9  beta2=0.999
//   epsilon=1e-8  decay=0  l2=0  l1=0  keep_prob=1  seed=0
//   hide=optimizer,l2   (classroom links: comma-separated control names to hide)
//   show_test=1  discretize=1  log_scale=1   (how the page draws; written only when on)
//   speed=10|max   (iterations per frame, pace.js; not part of the TrainConfig)
// Keys missing from the hash keep the base config's values (the server's defaults on load);
// unknown keys are ignored.

import { formatSpeed, parseSpeed } from "./pace.js";

/** Hash key, config path and value kind of every field the URL carries. */
const HASH_FIELDS = `
  dataset        dataset.name                str
  samples        dataset.samples             int
  noise          dataset.noise               num
  test_fraction  dataset.test_fraction       num
  data_seed      dataset.seed                int
  factor         dataset.factor              num
  classes        dataset.classes             optint
  features       features                    list
  hidden         network.hidden              ints
  activation     network.activation          str
  problem        network.output              str
  init           network.init                str
  init_scale     network.init_scale          num
  leaky_slope    network.leaky_slope         num
  learn_slope    network.learn_slope         bool
  batch_norm     network.batch_norm          bool
  init_seed      network.init_seed           optint
  optimizer      optimizer.name              str
  learning_rate  optimizer.learning_rate     num
  batch_size     optimizer.batch_size        batch
  beta           optimizer.beta              num
  beta1          optimizer.beta1             num
  beta2          optimizer.beta2             num
  epsilon        optimizer.epsilon           num
  decay          optimizer.decay             num
  l2             regularization.l2           num
  l1             regularization.l1           num
  keep_prob      regularization.keep_prob    num
  seed           seed                        int
`.trim().split("\n").map((line) => line.trim().split(/\s+/));

/** Deep copy of a JSON value. */
export const clone = (value) => JSON.parse(JSON.stringify(value));

/** Value at a dotted path ("optimizer.beta1") of an object. */
export function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Sets the value at a dotted path, creating objects on the way. */
export function setPath(obj, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  const parent = keys.reduce((o, k) => (o[k] ??= {}), obj);
  parent[last] = value;
}

/** Merges a partial config over defaults (objects recursively, arrays replaced). */
export function mergeConfig(base, partial) {
  const out = clone(base);
  for (const [k, v] of Object.entries(partial ?? {})) {
    const isObj = v && typeof v === "object" && !Array.isArray(v);
    out[k] = isObj && out[k] && typeof out[k] === "object" ? mergeConfig(out[k], v) : clone(v);
  }
  return out;
}

/** Normalises a control name for hide flags ("learning-rate" == "learning_rate"). */
export const controlName = (name) => name.trim().toLowerCase().replace(/-/g, "_");

function decodeValue(kind, raw) {
  if (kind === "str") return raw;
  if (kind === "list") return raw ? raw.split(",").filter(Boolean) : [];
  if (kind === "ints") return raw ? raw.split(",").map(Number).filter(Number.isInteger) : [];
  if (kind === "bool") return raw === "1" || raw === "true";
  if (kind === "batch") return raw === "all" || raw === "" ? null : parseInt(raw, 10);
  if (kind === "optint" && (raw === "auto" || raw === "")) return null;
  const n = kind === "int" ? parseInt(raw, 10) : Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function encodeValue(kind, v) {
  if (kind === "list" || kind === "ints") return (v ?? []).join(",");
  if (kind === "bool") return v ? "1" : "0";
  if (kind === "batch") return v == null ? "all" : String(v);
  if (kind === "optint") return v == null ? "auto" : String(v);
  return String(v);
}

/** The page's drawing options that a link carries (not part of the TrainConfig). */
const VIEW_FLAGS = ["show_test", "discretize", "log_scale"];

/** Parses a location hash into {config, hide, view, speed, speedProblem} over the defaults;
 * `limits` are the server's (/api/options), which bound the speed. */
export function parseHash(hash, defaults, limits = {}) {
  const config = clone(defaults);
  const hide = new Set();
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  for (const [key, path, kind] of HASH_FIELDS) {
    if (!params.has(key)) continue;
    const value = decodeValue(kind, params.get(key));
    if (value !== undefined) setPath(config, path, value);
  }
  for (const name of (params.get("hide") ?? "").split(",")) if (name) hide.add(controlName(name));
  const view = Object.fromEntries(VIEW_FLAGS.map((flag) => [flag, decodeValue("bool", params.get(flag) ?? "0")]));
  const { speed, problem: speedProblem } = parseSpeed(params.get("speed"), limits.max_speed);
  return { config, hide, view, speed, speedProblem };
}

/** Formats a config, hide set, view flags and speed as a readable hash (without the '#');
 * `packed` is the custom points' `points=` value (pointlink.js), last since it is long. */
export function formatHash(config, hide, view = {}, packed = null, speed = undefined) {
  const parts = HASH_FIELDS.map(([key, path, kind]) => {
    const value = encodeValue(kind, getPath(config, path));
    return `${key}=${encodeURIComponent(value).replace(/%2C/g, ",")}`;
  });
  for (const flag of VIEW_FLAGS) if (view[flag]) parts.push(`${flag}=1`);
  if (speed !== undefined) parts.push(`speed=${formatSpeed(speed)}`);
  if (hide.size) parts.push(`hide=${[...hide].join(",")}`);
  if (packed) parts.push(`points=${packed}`);
  return parts.join("&");
}
