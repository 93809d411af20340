// One WebSocket to /ws that reconnects by itself with exponential backoff.

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

  function open() {
    timer = null;
    ws = new WebSocket(url);
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
      onMessage(msg);
    });
    ws.addEventListener("close", () => {
      if (closed) return;
      onState("reconnecting");
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
