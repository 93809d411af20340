// One WebSocket to /ws that reconnects by itself with exponential backoff.

import { askToken, getToken, withToken } from "./token.js";

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** URL of the page's WebSocket endpoint, relative to the page (works behind a path prefix),
 * with an optional query (e.g. "frames=binary"). */
export function socketUrl(path = "ws", query = "") {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hash = "";
  url.search = query;
  return url.href;
}

const HEAD_BYTES = 4;

/** Puts each grid's bytes back where the binary message left {"offset", "size"} (into "data",
 * a Uint8Array view of the message's tail). */
function attachBytes(node, buffer, tail) {
  if (Array.isArray(node)) {
    if (node.length && typeof node[0] === "object") for (const item of node) attachBytes(item, buffer, tail);
    return;
  }
  if (!node || typeof node !== "object") return;
  if (Number.isInteger(node.offset) && Number.isInteger(node.size)) {
    node.data = new Uint8Array(buffer, tail + node.offset, node.size);
    delete node.offset;
    delete node.size;
  }
  for (const value of Object.values(node)) if (value && typeof value === "object") attachBytes(value, buffer, tail);
}

/** A binary message (app/wire/encoding.py encode_binary): a 4-byte big-endian length n, n bytes
 * of JSON, then the grids' bytes, which come back as each grid's "data" (Uint8Array). */
export function decodeBinary(buffer) {
  const size = new DataView(buffer).getUint32(0);
  const msg = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEAD_BYTES, size)));
  attachBytes(msg, buffer, HEAD_BYTES + size);
  return msg;
}

/** Opens a self-healing socket; onMessage(msg) per JSON or binary message, onState("open"|"reconnecting"). */
export function connectSocket(url, { onMessage, onState }) {
  let ws = null;
  let attempt = 0;
  let timer = null;
  let closed = false;
  let refused = false; // the server wants a (different) token: ask, then reconnect at once
  let used = ""; // the token this connection was opened with

  function open() {
    timer = null;
    used = getToken();
    refused = false;
    ws = new WebSocket(withToken(url));
    ws.binaryType = "arraybuffer"; // frames asked for with ?frames=binary (decodeBinary)
    ws.addEventListener("open", () => {
      attempt = 0;
      onState("open");
    });
    ws.addEventListener("message", (event) => {
      let msg;
      try {
        msg = typeof event.data === "string" ? JSON.parse(event.data) : decodeBinary(event.data);
      } catch {
        return;
      }
      if (msg.type === "error" && msg.field === "token") refused = true;
      onMessage(msg);
    });
    ws.addEventListener("close", () => {
      if (closed) return;
      onState("reconnecting");
      if (refused) {
        const next = getToken() !== used ? Promise.resolve(getToken()) : askToken();
        next.then((token) => {
          if (closed) return;
          if (token) open();
          else timer = setTimeout(open, MAX_DELAY_MS);
        });
        return;
      }
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
      attempt += 1;
      timer = setTimeout(open, delay);
    });
  }

  open();
  return {
    /** Sends a message as JSON; returns false if the socket is not open. */
    send(msg) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(msg));
      return true;
    },
    /** True while the socket is open. */
    isOpen: () => Boolean(ws && ws.readyState === WebSocket.OPEN),
    /** Closes for good (no reconnect). */
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (ws) ws.close();
    },
  };
}
