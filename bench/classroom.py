"""A classroom against one server: N students, each playing a lesson config, optionally a hog.

Starts `python -m app.server.cli serve` on a free 127.0.0.1 port, reads GET /api/lessons and gives
student i the lane (i // lessons) % lanes of lesson i % lessons, with its own seeds, so the
class plays every lesson and lane with small variations. Each student is a real WebSocket
client (the `websockets` package) that, like a browser, negotiates permessage-deflate (so
the server pays for compressing every frame), configures, plays for --seconds after --warmup
and counts its frames. Prints frames/s per client (min, median), the p99 gap between frames,
and the server's CPU use (its process and children, from /proc/<pid>/stat).

--hog adds a fairness run: the same class measured again while one more session trains the
largest network the limits allow (8 x 64 tanh units, 2000 samples, full batch) at 60 frames/s;
it prints the students' frames/s with and without the hog and the ratio (target >= 0.8).

Students ask for binary frames (/ws?frames=binary, as the page does); a server that does not
know the option sends JSON text frames, which they read as well.

--base DIR compares this tree's server with the one of another source tree (e.g. a worktree of
an older commit) in alternating runs on the same machine: for each --compare class size, base
then this tree, --rounds times, both servers started once (with --speed K every student
trains K iterations a frame, so the CPU per frame differs by the frame's own cost). It
prints, per tree, the slowest and
median student's frames/s, the p99 gap, the server CPU per frame received (microseconds), and
the ratios this tree / base.

Target on a 2-core machine: 100 students, each >= 10 frames/s.

Run: .venv/bin/python -m bench.classroom --clients 100 --seconds 20 [--workers N] [--hog]
     .venv/bin/python -m bench.classroom --base ../wt-base --compare 100,40 --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.stream import cpu_seconds, frame_iteration, free_port, percentile, start_server
from tests.clients import play_lesson

HOG = {
    "dataset": {"name": "spiral", "samples": 2000, "noise": 0.2},
    "network": {"hidden": [64] * 8, "activation": "tanh", "init": "xavier"},
    "optimizer": {"name": "adam", "learning_rate": 0.001},
}


@dataclass
class Student:
    """One client's config and what it saw."""

    name: str
    config: dict[str, Any]
    times: list[float] = field(default_factory=list)
    iterations: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    frames: int = 0  # every frame, warm-up included (for the server's CPU per frame)

    def fps(self) -> float:
        """Frames per second over the measured window."""
        span = self.times[-1] - self.times[0] if len(self.times) > 1 else 0.0
        return (len(self.times) - 1) / span if span else 0.0

    def gaps(self) -> list[float]:
        """Seconds between consecutive frames."""
        return [b - a for a, b in zip(self.times, self.times[1:], strict=False)]


def class_configs(lessons: list[dict[str, Any]], clients: int) -> list[tuple[str, dict]]:
    """(name, TrainConfig) per student: lessons and lanes in turn, seeds varied."""
    out = []
    for i in range(clients):
        lesson = lessons[i % len(lessons)]
        lane_index = (i // len(lessons)) % len(lesson["lanes"])
        config = json.loads(json.dumps(lesson["lanes"][lane_index]["config"]))
        config["seed"] = i
        config["dataset"]["seed"] = i % 7
        out.append((f"{lesson['name']}/{lane_index}", config))
    return out


async def play(
    url: str, student: Student, warmup: float, seconds: float, speed: int | None = None
) -> None:
    """Configure, play, record frame times after the warm-up, pause."""
    start = time.perf_counter()

    def record(text: str | bytes, now: float) -> None:
        iteration = frame_iteration(text)
        if iteration is None and isinstance(text, str) and json.loads(text)["type"] == "error":
            student.errors.append(json.loads(text)["message"])
        if iteration is not None:
            student.frames += 1
        if iteration is not None and now >= start + warmup:
            student.times.append(now)
            student.iterations.append(iteration)

    def done() -> bool:
        return time.perf_counter() >= start + warmup + seconds

    error = await play_lesson(url, student.config, done=done, on_text=record, speed=speed)
    if error is not None:
        student.errors.append(error)


async def hog(url: str, stop: asyncio.Event, seen: list[int]) -> None:
    """Train the biggest allowed network as fast as the server lets it until stop is set."""

    def record(text: str | bytes, now: float) -> None:
        iteration = frame_iteration(text)
        if iteration is not None:
            seen.append(iteration)

    await play_lesson(url, HOG, done=stop.is_set, on_text=record, rate=60)


async def run_class(
    port: int,
    configs: list[tuple[str, dict]],
    warmup: float,
    seconds: float,
    with_hog: bool,
    speed: int | None = None,
) -> tuple[list[Student], list[int]]:
    """Every student at once (plus the hog, started first, when asked)."""
    url = f"ws://127.0.0.1:{port}/ws?frames=binary"
    students = [Student(name, config) for name, config in configs]
    stop, hog_iterations = asyncio.Event(), []
    hog_task = asyncio.create_task(hog(url, stop, hog_iterations)) if with_hog else None
    if hog_task is not None:
        await asyncio.sleep(2.0)  # the hog is training before the class starts
    await asyncio.gather(*(play(url, s, warmup, seconds, speed) for s in students))
    if hog_task is not None:
        stop.set()
        await hog_task
    return students, hog_iterations


def summary(label: str, students: list[Student], cores: float) -> float:
    """Print per-client frames/s (min, median, max), p99 frame gap, errors; return the median."""
    rates = sorted(s.fps() for s in students)
    gaps = sorted(g for s in students for g in s.gaps())
    worst = min(students, key=Student.fps)
    errors = [e for s in students for e in s.errors]
    slow = sum(r < 10 for r in rates)
    print(
        f"{label}: {len(students)} clients: frames/s per client min {rates[0]:.1f} "
        f"(slowest: {worst.name}) median {statistics.median(rates):.1f} max {rates[-1]:.1f}; "
        f"clients under 10 frames/s: {slow}; p99 frame gap "
        f"{percentile(gaps, 0.99) * 1000 if gaps else float('nan'):.0f} ms; "
        f"server CPU {cores:.2f} cores; errors {len(errors)}"
        + (f" (first: {errors[0]})" if errors else "")
    )
    by_lane: dict[str, list[float]] = {}
    for student in students:
        by_lane.setdefault(student.name, []).append(student.fps())
    print("  frames/s by lesson lane (min/median): " + ", ".join(
        f"{name} {min(r):.1f}/{statistics.median(r):.1f}" for name, r in sorted(by_lane.items())
    ))  # fmt: skip
    return statistics.median(rates)


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of the main threads (the event loops) of a process and its children."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / tick
    return own + sum(main_thread_cpu(int(child)) for child in children)


def measure(
    port: int,
    pid: int,
    configs: list,
    warmup: float,
    seconds: float,
    with_hog: bool,
    speed: int | None = None,
) -> tuple[list[Student], list[int], float]:
    """One run of the class; also the server's CPU cores used meanwhile (and how much of it
    the event loop took: the rest is the training engine and anyio's thread pool)."""
    cpu, loop, wall = cpu_seconds(pid), main_thread_cpu(pid), time.perf_counter()
    students, hog_iterations = asyncio.run(
        run_class(port, configs, warmup, seconds, with_hog, speed)
    )
    span = time.perf_counter() - wall
    cores = (cpu_seconds(pid) - cpu) / span
    loop_cores = (main_thread_cpu(pid) - loop) / span
    print(f"  server CPU {cores:.2f} cores: event loop {loop_cores:.2f}, "
          f"training engine and pool {cores - loop_cores:.2f}")  # fmt: skip
    return students, hog_iterations, cores


@dataclass
class Figures:
    """One run's figures of a class."""

    slowest: float
    median: float
    p99_ms: float
    cpu_us_per_frame: float


def figures_of(students: list[Student], cpu: float) -> Figures:
    """Slowest and median frames/s, p99 gap (ms), server CPU seconds per frame (us)."""
    rates = sorted(s.fps() for s in students)
    gaps = sorted(g for s in students for g in s.gaps())
    frames = sum(s.frames for s in students)
    return Figures(
        rates[0],
        statistics.median(rates),
        percentile(gaps, 0.99) * 1000 if gaps else float("nan"),
        cpu / frames * 1e6 if frames else float("nan"),
    )


def compare(args: argparse.Namespace) -> None:
    """Alternating runs of the base tree's server and this tree's; print figures and ratios."""
    trees = {"base": Path(args.base).resolve(), "this": Path(__file__).resolve().parent.parent}
    os.environ.setdefault("DESCENT_SWEEP_WORKERS", "0")  # two servers, one machine: no trials
    ports = {name: free_port() for name in trees}
    servers = {name: start_server(ports[name], args.workers, root) for name, root in trees.items()}
    results: dict[tuple[int, str], list[Figures]] = {}
    try:
        # the base's lessons: configs both trees accept (newer fields may be unknown to it)
        lessons_url = f"http://127.0.0.1:{ports['base']}/api/lessons"
        lessons = httpx.get(lessons_url, timeout=30).json()["lessons"]
        print(f"compare: base {trees['base']} against this tree, {args.workers} worker(s), "
              f"{args.seconds:g} s after {args.warmup:g} s warm-up, {args.rounds} round(s), "
              f"speed {args.speed or 'as fast as it goes'}; "
              f"load average before {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")  # fmt: skip
        for clients in (int(n) for n in args.compare.split(",")):
            configs = class_configs(lessons, clients)
            for _ in range(args.rounds):
                for name in trees:
                    pid = servers[name].pid
                    cpu = cpu_seconds(pid)
                    students, _, _ = measure(
                        ports[name], pid, configs, args.warmup, args.seconds, False, args.speed
                    )
                    summary(f"{name} x {clients}", students, 0.0)
                    figures = figures_of(students, cpu_seconds(pid) - cpu)
                    results.setdefault((clients, name), []).append(figures)
        print_comparison(results)
        print(f"load average after {os.getloadavg()[0]:.2f}")
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)


def print_comparison(results: dict[tuple[int, str], list[Figures]]) -> None:
    """Per class size: each tree's figures (mean over rounds) and this / base."""
    for clients in sorted({c for c, _ in results}, reverse=True):
        mean = {
            name: Figures(*(statistics.fmean(getattr(f, k) for f in results[clients, name])
                            for k in ("slowest", "median", "p99_ms", "cpu_us_per_frame")))
            for name in ("base", "this")
        }  # fmt: skip
        base, this = mean["base"], mean["this"]
        print(
            f"{clients} students: slowest frames/s base {base.slowest:.1f} this "
            f"{this.slowest:.1f} ratio {this.slowest / base.slowest:.2f}; median base "
            f"{base.median:.1f} this {this.median:.1f} ratio {this.median / base.median:.2f}; "
            f"p99 gap base {base.p99_ms:.0f} ms this {this.p99_ms:.0f} ms; server CPU per "
            f"frame base {base.cpu_us_per_frame:.0f} us this {this.cpu_us_per_frame:.0f} us "
            f"ratio {this.cpu_us_per_frame / base.cpu_us_per_frame:.2f}"
        )


def main() -> None:
    """Parse arguments, start the server, run the class (and the hog run), print, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=0, help="0: one per core, as in Docker")
    parser.add_argument("--hog", action="store_true", help="also measure with one hog session")
    parser.add_argument(
        "--abuse", help="issue 12's attacks while the class plays (see bench/abuse.py)"
    )
    parser.add_argument("--base", help="source tree whose server this one is compared with")
    parser.add_argument("--compare", default="100,40", help="class sizes compared (--base)")
    parser.add_argument("--rounds", type=int, default=1, help="alternations per size (--base)")
    parser.add_argument(
        "--speed", type=int, help="iterations between two frames (--base): equal training per frame"
    )
    args = parser.parse_args()
    if args.base:
        compare(args)
        return
    if args.abuse:
        from bench.abuse import ATTACKS, run

        names = list(ATTACKS) if args.abuse == "all" else args.abuse.split(",")
        run(names, args.clients, args.seconds, args.workers)
        return
    port = free_port()
    server = start_server(port, args.workers)
    try:
        lessons = httpx.get(f"http://127.0.0.1:{port}/api/lessons", timeout=30).json()["lessons"]
        configs = class_configs(lessons, args.clients)
        print(
            f"classroom: {args.clients} clients over {len(lessons)} lessons, "
            f"{args.seconds:g} s after {args.warmup:g} s warm-up, "
            f"{args.workers or f'{os.cpu_count()} (one per core)'} worker(s); "
            f"load average before {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
        students, _, cores = measure(
            port, server.pid, configs, args.warmup, args.seconds, with_hog=False
        )
        alone = summary("without hog", students, cores)
        if args.hog:
            students, seen, cores = measure(
                port, server.pid, configs, args.warmup, args.seconds, with_hog=True
            )
            shared = summary("with hog   ", students, cores)
            hog_rate = len(seen) / (args.warmup + args.seconds + 2.0)
            print(
                f"hog (8x64 tanh, 2000 samples, adam): {seen[-1] if seen else 0} iterations, "
                f"{hog_rate:.1f} frames/s; students' median frames/s with / without hog: "
                f"{shared / alone if alone else float('nan'):.2f} (target >= 0.80)"
            )
        print(f"load average after {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
