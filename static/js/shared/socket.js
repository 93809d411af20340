// One WebSocket to /ws that reconnects by itself with exponential backoff.

import { askToken, getToken, withToken } from "./token.js";

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** URL of the page's WebSocket endpoint, relative to the page (works behind a path prefix). */
export function socketUrl(path = "ws") {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hash = "";
  url.search = "";
  return url.href;
}

/** Opens a self-healing socket; onMessage(msg) per JSON message, onState("open"|"reconnecting"). */
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
    ws.addEventListener("open", () => {
      attempt = 0;
      onState("open");
    });
    ws.addEventListener("message", (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
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
