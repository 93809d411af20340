// Custom points in a link: `points=` holds compact JSON ({"points": [[x1, x2, label], ...],
// "legend": [...]}) compressed with CompressionStream("deflate") and written as base64url,
// so a drawing or an uploaded file travels in the link like every other field.

import { formatHash } from "./config-link.js";
import { isCustom } from "./custom-points.js";

const MAX_PACKED = 200_000; // characters of `points=` read at most (2,000 points take ~25 kB)

const toBase64url = (bytes) => {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromBase64url = (text) => {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
};

/** base64url of the deflated compact JSON of {points, legend}. */
export async function packPoints(points, legend = null) {
  const json = JSON.stringify(legend ? { points, legend } : { points });
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate"));
  return toBase64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** Inflates at most maxBytes of a packed text; throws an Error saying what is wrong. */
async function inflate(text, maxBytes) {
  const reader = new Blob([fromBase64url(text)]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      reader.cancel();
      throw new Error(`too long: more than ${maxBytes} bytes of points`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

/** {points, legend} from a packed text, or {error} saying why it cannot be read. */
async function unpackPoints(text, limits = {}) {
  if (text.length > MAX_PACKED) return { error: `too long (${text.length} characters)` };
  try {
    const data = JSON.parse(await inflate(text, limits.max_message_bytes ?? Infinity));
    const points = data?.points;
    if (!Array.isArray(points)) return { error: "no list of points in it" };
    if (points.length > (limits.max_samples ?? Infinity)) {
      return { error: `too long: ${points.length} points, at most ${limits.max_samples}` };
    }
    const legend = Array.isArray(data.legend) ? data.legend.map(String) : null;
    return { points, legend };
  } catch (err) {
    return { error: err.message.startsWith("too long") ? err.message : "corrupt: it is not compressed points" };
  }
}

/** The `points=` value of a location hash, unpacked: {points, legend}, {error}, or null. */
export async function linkPoints(hash, limits) {
  const text = new URLSearchParams(hash.replace(/^#/, "")).get("points");
  return text == null ? null : unpackPoints(text, limits);
}

/** The link hash of a config (formatHash) with its custom points packed into `points=`, and
 * the speed (pace.js) when given. */
export async function linkHash(config, hide, view, legend = null, speed = undefined) {
  const packed = isCustom(config) ? await packPoints(config.dataset.points ?? [], legend) : null;
  return formatHash(config, hide, view, packed, speed);
}
