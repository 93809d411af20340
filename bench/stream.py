"""Drive N real WebSocket clients through the flower lesson against a real uvicorn server.

Starts `python -m app.server.cli serve` on a free 127.0.0.1 port, connects --clients sessions with
the `websockets` package (negotiating permessage-deflate, as browsers do), configures the
flower lesson (4 tanh units, learning rate 1.2) and plays it for --seconds while a probe
times GET /healthz every 100 ms. Prints, per client, iterations/s, frames/s, mean frame
bytes and the p99 gap between frames, then a summary.

Targets (2-core machine): 1 client >= 10,000 it/s at 20 frames/s; 50 clients each
>= 10 frames/s with p99 gap <= 250 ms.

Run: .venv/bin/python -m bench.stream --clients 1 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.clients import play_lesson
from tests.servers import free_port, wait_until_healthy

# One BLAS thread, as in the server (app/server/cli.py), for the bare-loop reference below.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parent.parent
FLOWER = {
    "dataset": {"name": "flower", "samples": 400, "noise": 0.2},
    "network": {"hidden": [4], "activation": "tanh", "init": "random"},
    "optimizer": {"name": "gd", "learning_rate": 1.2},
}


@dataclass
class ClientStats:
    """What one client saw while playing."""

    times: list[float] = field(default_factory=list)
    iterations: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    costs: int = 0

    def row(self, index: int) -> dict[str, float]:
        """iterations/s, frames/s, mean bytes and p99 gap over the measured window."""
        span = self.times[-1] - self.times[0] if len(self.times) > 1 else float("nan")
        gaps = sorted(b - a for a, b in zip(self.times, self.times[1:], strict=False))
        return {
            "client": index,
            "its": (self.iterations[-1] - self.iterations[0]) / span if span else 0.0,
            "fps": (len(self.times) - 1) / span if span else 0.0,
            "bytes": statistics.fmean(self.sizes) if self.sizes else 0.0,
            "p99": percentile(gaps, 0.99) * 1000 if gaps else float("nan"),
            "costs_ok": float(self.costs == self.iterations[-1] - self.iterations[0]),
        }


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of sorted values (nearest rank)."""
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (Linux /proc), else 0.0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def start_server(port: int, workers: int, root: Path = ROOT) -> subprocess.Popen:
    """uvicorn via `python -m app.server.cli serve` (`app.cli` in trees older than app/server/)
    of the source tree `root`, waited for until /healthz answers."""
    module = "app.server.cli" if (root / "app" / "server" / "cli.py").exists() else "app.cli"
    command = [sys.executable, "-m", module, "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server)
    except RuntimeError:
        server.kill()
        raise
    return server


FRAME_PREFIX = '{"type":"frame","lane":'
ITERATION = re.compile(r'"iteration":(\d+)')
ITERATION_BYTES = re.compile(rb'"iteration":(\d+)')
BINARY_PREFIX = b'{"type":"frame","lane":'


def frame_iteration(message: str | bytes) -> int | None:
    """A frame's iteration read from its first fields (the server writes type, lane, iteration
    first; a binary frame after its 4-byte head length), else None: simulated students skip
    parsing whole frames, so the clients' own CPU, which shares this machine with the server,
    stays small."""
    if isinstance(message, bytes):
        if not message.startswith(BINARY_PREFIX, 4):
            return None
        found_bytes = ITERATION_BYTES.search(message, 4, 124)
        return int(found_bytes.group(1)) if found_bytes else None
    if not message.startswith(FRAME_PREFIX):
        return None
    found = ITERATION.search(message, 0, 120)
    return int(found.group(1)) if found else None


async def client(url: str, seconds: float, warmup: float, stats: ClientStats) -> None:
    """Configure the flower lesson, play, record frames for `seconds` after `warmup`."""
    start = time.perf_counter()

    def record(text: str, now: float) -> None:
        if now < start + warmup or not text.startswith(FRAME_PREFIX):
            return
        message = json.loads(text)
        if stats.times:
            stats.costs += len(message["costs"])
        stats.times.append(now)
        stats.iterations.append(message["iteration"])
        stats.sizes.append(len(text))

    def done() -> bool:
        return time.perf_counter() >= start + warmup + seconds

    await play_lesson(url, FLOWER, done=done, on_text=record)


async def probe(base: str, seconds: float, latencies: list[float]) -> None:
    """GET /healthz every 100 ms and record how long each took."""
    async with httpx.AsyncClient(base_url=base) as http:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            (await http.get("/healthz")).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.1)


async def drive(port: int, clients: int, seconds: float, warmup: float) -> tuple:
    """Run every client and the probe concurrently."""
    stats = [ClientStats() for _ in range(clients)]
    latencies: list[float] = []
    url = f"ws://127.0.0.1:{port}/ws"
    tasks = [client(url, seconds, warmup, s) for s in stats]
    await asyncio.gather(*tasks, probe(f"http://127.0.0.1:{port}", warmup + seconds, latencies))
    return stats, latencies


def report(stats: list[ClientStats], latencies: list[float], seconds: float, cores: float) -> None:
    """Print one line per client and the summary."""
    rows = [s.row(i) for i, s in enumerate(stats)]
    print(f"{'client':>6} {'it/s':>9} {'frames/s':>9} {'bytes':>8} {'p99 gap ms':>11} costs")
    for r in rows:
        complete = "all" if r["costs_ok"] else "MISSING"
        print(
            f"{r['client']:>6} {r['its']:>9.0f} {r['fps']:>9.1f} {r['bytes']:>8.0f} "
            f"{r['p99']:>11.1f} {complete}"
        )
    lat = sorted(latencies)
    its = [r["its"] for r in rows]
    print(
        f"summary: {len(rows)} clients x {seconds:g} s: it/s mean {statistics.fmean(its):.0f} "
        f"min {min(its):.0f} total {sum(its):.0f}; frames/s min "
        f"{min(r['fps'] for r in rows):.1f}; p99 gap max {max(r['p99'] for r in rows):.0f} ms; "
        f"mean frame {statistics.fmean(r['bytes'] for r in rows):.0f} B; /healthz p50 "
        f"{percentile(lat, 0.5):.1f} ms p99 {percentile(lat, 0.99):.1f} ms max {lat[-1]:.1f} ms; "
        f"server CPU {cores:.2f} cores; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs"
    )


def bare_trainer_rate(seconds: float = 2.0) -> float:
    """Iterations/s of the flower lesson's Trainer looping in this process, with no server:
    how fast this (shared, variable) machine is right now, to read the server's figure by."""
    from core import DatasetConfig, NetworkConfig, OptimizerConfig, TrainConfig, Trainer

    config = TrainConfig(
        dataset=DatasetConfig(name="flower", samples=400, noise=0.2),
        network=NetworkConfig(hidden=(4,), activation="tanh", init="random"),
        optimizer=OptimizerConfig(name="gd", learning_rate=1.2),
    )
    trainer, done = Trainer(config), 0
    trainer.step(200, metrics=False)
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        trainer.step(500, metrics=False)
        done += 500
    return done / elapsed


def main() -> None:
    """Parse arguments, start the server, drive the clients, print, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        cpu, wall = cpu_seconds(server.pid), time.perf_counter()
        stats, latencies = asyncio.run(drive(port, args.clients, args.seconds, args.warmup))
        cores = (cpu_seconds(server.pid) - cpu) / (time.perf_counter() - wall)
        report(stats, latencies, args.seconds, cores)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.clients == 1:
        bare = bare_trainer_rate()
        served = stats[0].row(0)["its"]
        print(f"bare Trainer loop right after, no server: {bare:,.0f} it/s; the served client "
              f"got {served / bare:.2f} of it")  # fmt: skip


if __name__ == "__main__":
    main()
