// The pace of training: iterations per frame (docs/protocol.md `speed`), from 1 up to "as
// fast as it goes" (null). The choices offered, the page's default, and the URL's form.

/** The speeds offered, slowest first, up to the server's limits.max_speed; null is "as fast
 * as it goes". */
export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, null];
/** The default: at about 20 frames/s, some 200 iterations a second, so a student watches the
 * flower's boundary form over several seconds. */
export const DEFAULT_SPEED = 10;
/** Iterations of one Step at "as fast as it goes" (no frame has a fixed size then). */
const FAST_STEP = 1000;

/** A speed in short, for a menu: "10 / frame", or "as fast as it goes". */
export const speedShort = (k) => (k == null ? "as fast as it goes" : `${k.toLocaleString("en")} / frame`);

/** "10 iterations / frame", or "as fast as it goes". */
export const speedLabel = (k) => (k == null ? "as fast as it goes" : `${k.toLocaleString("en")} iteration${k === 1 ? "" : "s"} / frame`);

/** How many iterations one Step makes at speed k: one frame's worth. */
export const stepSize = (k) => k ?? FAST_STEP;

/** The URL's value of a speed: "10" or "max". */
export const formatSpeed = (k) => (k == null ? "max" : String(k));

/** A speed read from the URL: {speed} (undefined when absent), and a problem when refused;
 * maxSpeed is the server's bound (/api/options limits.max_speed). */
export function parseSpeed(raw, maxSpeed = Infinity) {
  if (raw == null) return { speed: undefined };
  if (raw === "max") return { speed: null };
  const k = Number(raw);
  if (Number.isInteger(k) && k >= 1 && k <= maxSpeed) return { speed: k };
  return {
    speed: DEFAULT_SPEED,
    problem: { field: "speed", message: `speed: ${JSON.stringify(raw)} is not 1 to ${maxSpeed} iterations per frame or "max"; ` +
      `the link's value was replaced by ${DEFAULT_SPEED}` },
  };
}
