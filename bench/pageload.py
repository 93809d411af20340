"""What a student's browser pulls to open the playground: cold and warm, this tree and a base.

Starts `descent serve` of this tree (and, with --base DIR, of another source tree such as a
worktree of an older commit), opens / in Chromium (Playwright, /usr/bin/chromium) with an empty
cache and counts, from the DevTools protocol, the requests and the bytes transferred (headers
and bodies as they came over the wire, compressed or not) until the first training frame
arrives on the page's WebSocket; then reloads the page in the same browser and counts the
requests that reached the network (not served from the cache) until the first frame again.
Runs --rounds times per tree, alternating, and prints the medians and the ratios this / base.

Targets (issue 24): cold at most 400 KB and 30 requests before the first frame; a warm
reload at most 5 requests.

Run: .venv/bin/python -m bench.pageload [--base ../wt-base] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, sync_playwright

from bench.stream import free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FRAME_SECONDS = 30.0


@dataclass
class Load:
    """Requests of one page load, from the DevTools protocol's Network events."""

    requests: dict[str, str] = field(default_factory=dict)  # request id -> URL
    cached: set[str] = field(default_factory=set)  # ids served from the memory or disk cache
    received: dict[str, int] = field(default_factory=dict)  # id -> bytes over the wire
    frame_at: float | None = None

    def listen(self, cdp: CDPSession) -> None:
        """Record every request, cache hit and finished transfer."""
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict[str, Any]) -> None:
        """A request (a redirect reuses its id: the last URL wins)."""
        if self.frame_at is None:
            self.requests[event["requestId"]] = event["request"]["url"]

    def _response(self, event: dict[str, Any]) -> None:
        """A response; one from the cache does not count as network."""
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event: dict[str, Any]) -> None:
        """Bytes a finished request took over the wire."""
        if event["requestId"] in self.requests:
            self.received[event["requestId"]] = int(event["encodedDataLength"])

    def network(self) -> list[str]:
        """URLs fetched from the server (cache hits left out)."""
        return [url for rid, url in self.requests.items() if rid not in self.cached]

    def bytes(self) -> int:
        """Bytes transferred by the requests made before the first frame."""
        return sum(n for rid, n in self.received.items() if rid not in self.cached)


def is_frame(payload: str | bytes) -> bool:
    """A training frame: JSON text starting so, or a binary message (only frames are binary)."""
    if isinstance(payload, bytes):
        return True
    return payload.startswith('{"type":"frame"')


def load(page: Page, cdp: CDPSession, url: str, reload: bool) -> Load:
    """Open (or reload) the page and wait for its first frame."""
    record = Load()
    record.listen(cdp)

    def on_socket(ws: Any) -> None:
        def heard(payload: str | bytes) -> None:
            if record.frame_at is None and is_frame(payload):
                record.frame_at = time.perf_counter()

        ws.on("framereceived", heard)

    page.on("websocket", on_socket)
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    deadline = time.perf_counter() + FRAME_SECONDS
    while record.frame_at is None and time.perf_counter() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # transfers finishing now still belong to this load
    page.remove_listener("websocket", on_socket)
    if record.frame_at is None:
        raise RuntimeError(f"no frame within {FRAME_SECONDS:g} s at {url}")
    return record


def measure(base_url: str) -> tuple[Load, Load]:
    """A cold load in a fresh browser, then a reload of the same page."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cold = load(page, cdp, base_url + "/", reload=False)
            warm = load(page, cdp, base_url + "/", reload=True)
        finally:
            browser.close()
    return cold, warm


def main() -> None:
    """Alternate the trees' loads, print each and the medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="source tree compared with this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--list", action="store_true", help="print this tree's cold URLs")
    args = parser.parse_args()
    os.environ.setdefault("DESCENT_SWEEP_WORKERS", "0")
    trees = {"this": ROOT}
    if args.base:
        trees = {"base": Path(args.base).resolve(), **trees}
    ports = {name: free_port() for name in trees}
    servers = {name: start_server(ports[name], 1, root) for name, root in trees.items()}
    figures: dict[str, list[tuple[int, int, int]]] = {name: [] for name in trees}
    try:
        for _ in range(args.rounds):
            for name in trees:
                cold, warm = measure(f"http://127.0.0.1:{ports[name]}")
                row = (cold.bytes(), len(cold.network()), len(warm.network()))
                figures[name].append(row)
                print(f"{name}: cold {row[0] / 1024:.0f} KB in {row[1]} requests before the "
                      f"first frame; warm reload {row[2]} requests: {warm.network()}")  # fmt: skip
                if args.list and name == "this":
                    print("  cold: " + " ".join(url.split("/", 3)[-1] for url in cold.network()))
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    medians = {name: [statistics.median(r[i] for r in rows) for i in range(3)]
               for name, rows in figures.items()}  # fmt: skip
    for name, (kb, cold_requests, warm_requests) in medians.items():
        print(f"median {name}: cold {kb / 1024:.0f} KB, {cold_requests:.0f} requests; "
              f"warm reload {warm_requests:.0f} requests")  # fmt: skip
    if "base" in medians:
        base, this = medians["base"], medians["this"]
        print(f"this / base: cold bytes {this[0] / base[0]:.2f}, cold requests "
              f"{this[1] / base[1]:.2f}, warm requests {this[2] / max(base[2], 1):.2f} "
              "(targets: <= 400 KB, <= 30 requests cold; <= 5 warm)")  # fmt: skip


if __name__ == "__main__":
    main()
