// A room as the teacher's pages know it: code and key (kept in the address's #fragment, which
// never reaches the server's logs), its REST calls and its live socket.

import { connectSocket, socketUrl } from "../shared/socket.js";
import { apiFetch } from "../shared/token.js";
import { detailSentence } from "../shared/sentence.js";

const ROOT = document.body.dataset.root ?? "";

/** {room, key} from the fragment (#room=K7Q2&key=...). */
export function readFragment() {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  return { room: (params.get("room") ?? "").toUpperCase(), key: params.get("key") ?? "" };
}

/** A page address relative to this page (works behind a path prefix). */
export const pageUrl = (path) => new URL(`${ROOT}${path}`, window.location.href).href;

/** REST calls for one room, with its teacher key. */
export function roomApi(code, key) {
  const call = async (method, path = "", body = undefined) => {
    const headers = { "X-Teacher-Key": key };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await apiFetch(pageUrl(`api/rooms/${code}${path}`), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { ok: response.ok, status: response.status, response };
  };
  return {
    read: () => call("GET"),
    command: (action, body) => call("POST", `/${action}`, body ?? undefined),
    close: () => call("DELETE"),
    csv: () => call("GET", "/results.csv"),
  };
}

/** Creates a room; resolves to {code, teacher_key} or throws an Error with the reason. */
export async function createRoom(teacherToken) {
  const headers = teacherToken ? { "X-Teacher-Token": teacherToken } : {};
  const response = await apiFetch(pageUrl("api/rooms"), { method: "POST", headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((body.detail?.[0] ? detailSentence(body.detail[0]) : `Could not create a room (${response.status}).`));
    error.field = body.detail?.[0]?.field;
    throw error;
  }
  return body;
}

/** The first error message of a failed REST answer. */
export async function reason(answer) {
  const body = await answer.response.json().catch(() => ({}));
  return body.detail?.[0] ? detailSentence(body.detail[0]) : `The server answered ${answer.status}.`;
}

/** The room's live socket: authenticates on every (re)connect; onMessage per message. */
export function teachSocket(code, key, view, { onMessage, onState }) {
  let socket = null;
  socket = connectSocket(socketUrl(`${ROOT}ws/teach/${code}`), {
    onMessage,
    onState(state) {
      if (state === "open") socket?.send({ type: "auth", key, view });
      onState(state);
    },
  });
  return socket;
}
