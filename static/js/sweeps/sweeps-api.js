// The sweeps REST API and its Server-Sent Events, through the token-aware fetch.

import { apiFetch } from "../shared/token.js";

/** JSON body of a response, or null when it has none. */
async function json(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

const KEY_NAME = "descent.sweepKey";
let memoryKey = null; // when the browser keeps no localStorage

/** This browser's sweep owner key (X-Sweep-Key): made once, kept in localStorage, so the
 * sweeps it creates are the ones it lists and may cancel. */
export function ownerKey() {
  try {
    const kept = localStorage.getItem(KEY_NAME);
    if (kept) return kept;
  } catch {
    /* no storage: a key for this page only */
  }
  if (!memoryKey) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    memoryKey = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }
  try {
    localStorage.setItem(KEY_NAME, memoryKey);
  } catch {
    /* kept in memory only */
  }
  return memoryKey;
}

const owned = (headers = {}) => ({ ...headers, "X-Sweep-Key": ownerKey() });

/** POST /api/sweeps: {ok, status, body} (body is {id, url, events, key} or a 422's detail). */
export async function createSweep(request) {
  const response = await apiFetch("api/sweeps", {
    method: "POST",
    headers: owned({ "Content-Type": "application/json" }),
    body: JSON.stringify(request),
  });
  return { ok: response.ok, status: response.status, body: await json(response) };
}

/** GET /api/sweeps/{id}: the sweep's view. */
export const getSweep = async (id) => json(await apiFetch(`api/sweeps/${id}`));

/** GET /api/sweeps: this browser's sweeps (its owner key's), newest first. */
export const listSweeps = async () =>
  (await json(await apiFetch("api/sweeps?limit=100", { headers: owned() }))) ?? [];

/** DELETE /api/sweeps/{id}: cancel (with this browser's owner key); the sweep's view. */
export const cancelSweep = async (id) =>
  json(await apiFetch(`api/sweeps/${id}`, { method: "DELETE", headers: owned() }));

/** GET /api/options: registries, limits and the default TrainConfig. */
export const getOptions = async () => json(await apiFetch("api/options"));

/** Reads /api/sweeps/{id}/events, calling onEvent(name, data) per event, until it ends or
 * `signal` aborts (fetch rather than EventSource, so the token travels as a header). */
export async function followSweep(id, onEvent, signal) {
  const response = await apiFetch(`api/sweeps/${id}/events`, { signal });
  if (!response.ok || !response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name && data) onEvent(name, JSON.parse(data));
    }
  }
}
