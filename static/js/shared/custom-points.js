// The user's own points ("name": "custom"): how many classes a config has, what a drawing
// still lacks before it can be sent, and the points of a configured dataset as custom points.
// The server checks the same rules (docs/protocol.md, custom points); the page checks them
// first so that an unfinished drawing says what is missing instead of being sent.

export const CUSTOM = "custom";
const DECIMALS = 4;

/** A coordinate rounded to 4 decimals (about 25 bytes of JSON per point). */
export const round4 = (v) => Number(Number(v).toFixed(DECIMALS));

/** True if the config trains on custom points. */
export const isCustom = (config) => config?.dataset?.name === CUSTOM;

/** K of a classification config: dataset.classes, else the custom points' largest label + 1,
 * else the dataset's default (options.datasets[i].classes); null for regression. */
export function classCount(config, options) {
  if (!config || config.network.output === "regression") return null;
  const data = config.dataset;
  if (data.classes != null) return data.classes;
  if (data.name === CUSTOM) return Math.max(2, ...(data.points ?? []).map((p) => Math.floor(p[2]) + 1));
  return options?.datasets?.find((d) => d.name === data.name)?.classes?.default ?? 2;
}

/** {min, max} of K for the config's dataset when it has a choice (max > 2), else null. */
export function classesRange(config, options) {
  if (!config || config.network.output === "regression") return null;
  const name = config.dataset.name;
  const range = name === CUSTOM ? options?.custom?.classes : options?.datasets?.find((d) => d.name === name)?.classes;
  return range && range.max > 2 ? range : null;
}

/** What the custom points of a config lack, in words, or null when they can be sent. */
export function customMissing(config, options) {
  if (!isCustom(config)) return null;
  const points = config.dataset.points ?? [];
  const max = options?.limits?.max_samples ?? Infinity;
  const most = options?.custom?.classes?.max ?? Infinity;
  if (points.length > max) return `at most ${max} points (there are ${points.length})`;
  const bad = points.findIndex((p) => !Array.isArray(p) || p.length !== 3 || !p.every(Number.isFinite));
  if (bad >= 0) return `point ${bad} is not three finite numbers`;
  if (config.network.output === "regression") {
    return points.length < 2 ? `at least 2 points: draw ${2 - points.length} more` : null;
  }
  const K = classCount(config, options);
  if (K > most) return `at most ${most} classes (there are ${K})`;
  const label = points.findIndex((p) => !Number.isInteger(p[2]) || p[2] < 0 || p[2] >= K);
  if (label >= 0) return `point ${label}'s label ${points[label][2]} is not a class from 0 to ${K - 1}`;
  const seen = new Set(points.map((p) => p[2]));
  const absent = Array.from({ length: K }, (_, k) => k).filter((k) => !seen.has(k));
  if (absent.length) return `still missing: a point of ${absent.map((k) => `class ${k}`).join(" and ")}`;
  return points.length < 2 ? "at least 2 points: draw one more" : null;
}

/** The points of a `configured` message (train and test) as custom points, rounded. */
export function configuredPoints(configured) {
  const sets = [configured?.train, configured?.test].filter(Boolean);
  return sets.flatMap((set) => set.x.map(([a, b], i) => [round4(a), round4(b), Number(set.y[i])]));
}

/** Extent [x0, x1, y0, y1] of points ([[x1, x2, ...]]) with a margin of the range, or null. */
export function pointsExtent(points, margin = 0.1) {
  if (!points?.length) return null;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const pad = (lo, hi) => Math.max((hi - lo) * margin, 0.5);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return [x0 - pad(x0, x1), x1 + pad(x0, x1), y0 - pad(y0, y1), y1 + pad(y0, y1)];
}

/** The smallest extent holding both (either may be null). */
export function unionExtent(a, b) {
  if (!a || !b) return a ?? b;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.max(a[3], b[3])];
}
