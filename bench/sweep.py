"""A 24-trial random search of the flower lesson through /api/sweeps against the same configs
posted one after another to /api/train, on a real `descent serve` with its trial workers.

Learning rate log-uniform in [1e-3, 10], 20,000 iterations a trial. Prints both wall times and
their ratio (target <= 0.6 on 2 cores), Optuna's overhead per trial (a worker's time between
trials, and a 1-iteration sweep run in this process, which is nearly all Optuna and its
storage), the same sweep with the median pruner (time saved, best value found), and the frame
rate of --students WebSocket sessions before and while a sweep runs (the workers are niced).

Run: .venv/bin/python -m bench.sweep [--trials 24] [--iterations 20000] [--students 4] [--nice 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.stream import ClientStats, client
from tests.servers import served

FLOWER = {
    "dataset": {"name": "flower", "samples": 400, "noise": 0.2},
    "network": {"hidden": [4], "activation": "tanh", "init": "random"},
    "optimizer": {"name": "gd", "learning_rate": 1.2},
}
SPACE = {"optimizer.learning_rate": {"low": 1e-3, "high": 10, "log": True}}


def sweep(http: httpx.Client, trials: int, iterations: int, **extra: object) -> tuple[float, dict]:
    """POST a sweep and follow its event stream until it ends: (wall seconds, final view)."""
    body = {"config": FLOWER, "space": SPACE, "trials": trials, "iterations": iterations, **extra}
    started = time.perf_counter()
    created = http.post("/api/sweeps", json=body).json()
    with http.stream("GET", created["events"]) as stream:
        for line in stream.iter_lines():
            if line.startswith("event: end"):
                break
    wall = time.perf_counter() - started
    return wall, http.get(created["url"]).json()


def warm_up(http: httpx.Client) -> None:
    """One tiny sweep and one tiny run first, so both paths are measured on a running server
    (its storage open, its trial workers waiting, its run-cost estimate calibrated)."""
    sweep(http, 2, 10)
    http.post("/api/train", json={"config": FLOWER, "iterations": 10}).raise_for_status()


def one_by_one(http: httpx.Client, view: dict, iterations: int) -> tuple[float, float]:
    """The sweep's trial configs posted one after another to /api/train: (wall s, best cost)."""
    base = view["request"]["config"]
    started, costs = time.perf_counter(), []
    for trial in view["trials"]:
        rate = trial["params"]["optimizer.learning_rate"]
        config = {**base, "optimizer": {**base["optimizer"], "learning_rate": rate}}
        run = http.post("/api/train", json={"config": config, "iterations": iterations}).json()
        costs.append(run["final"]["cost_train"])
    return time.perf_counter() - started, min(c for c in costs if c is not None)


def outside_trials(view: dict, wall: float, workers: int) -> float:
    """Worker seconds per trial spent outside trials: (workers x wall - trial seconds) / trials."""
    busy = sum(t["duration"] for t in view["trials"])
    return (workers * wall - busy) / len(view["trials"])


def in_process_overhead(trials: int = 24) -> float:
    """Seconds per trial of a 1-iteration sweep run by one worker in this process (SQLite)."""
    from app.sweeps.request import SweepRequest
    from app.sweeps.store import create_sweep, find, open_storage, read
    from app.sweeps.views import sweep_view
    from app.sweeps.worker import Worker

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sweeps.db'}"
        storage = open_storage(url)
        request = SweepRequest.model_validate({"space": SPACE, "trials": trials, "iterations": 1})
        started = time.perf_counter()
        sweep_id = create_sweep(storage, request)
        worker, study_id = Worker(open_storage(url, claims=True), storage), find(storage, sweep_id)
        while sweep_view(sweep_id, *read(storage, study_id))["status"] != "done":
            worker.turn()
        return (time.perf_counter() - started) / trials


async def students(base: str, count: int, seconds: float) -> list[float]:
    """frames/s of `count` sessions playing the flower lesson for `seconds`."""
    url = base.replace("http://", "ws://") + "/ws"
    stats = [ClientStats() for _ in range(count)]
    await asyncio.gather(*(client(url, seconds, 1.0, s) for s in stats))
    return sorted(s.row(i)["fps"] for i, s in enumerate(stats))


def during(base: str, http: httpx.Client, count: int, trials: int, iterations: int) -> list[float]:
    """Students' frames/s while a sweep (seed 1) runs."""
    body = {"config": FLOWER, "space": SPACE, "trials": trials, "iterations": iterations, "seed": 1}
    url = http.post("/api/sweeps", json=body).json()["url"]
    time.sleep(1.0)  # the workers have started their trials
    rates = asyncio.run(students(base, count, 8.0))
    http.delete(url)
    return rates


def main() -> None:
    """Start a server with a fresh storage, run every measurement, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=24)
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--nice", type=int, default=10, help="the trial workers' niceness")
    args = parser.parse_args()
    workers = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as folder:
        settings = {"DESCENT_DATA_DIR": folder, "DESCENT_SWEEP_NICE": str(args.nice)}
        with (
            served(settings=settings) as (base, _),
            httpx.Client(base_url=base, timeout=600) as http,
        ):
            warm_up(http)
            swept, view = sweep(http, args.trials, args.iterations)
            rest, rest_best = one_by_one(http, view, args.iterations)
            pruned, pruned_view = sweep(http, args.trials, args.iterations, pruner="median")
            alone = asyncio.run(students(base, args.students, 5.0)) if args.students else []
            busy = during(base, http, args.students, args.trials, args.iterations) if alone else []
    overhead = in_process_overhead()
    best, pruned_best = view["best"], pruned_view["best"]
    print(f"{args.trials} trials x {args.iterations:,} iterations, {workers} trial workers at "
          f"nice {args.nice}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"sweep through /api/sweeps:        {swept:7.1f} s  (best cost {best['value']:.4f} "
          f"at learning rate {best['params']['optimizer.learning_rate']:.3g})")  # fmt: skip
    print(f"same configs one by one to /api/train: {rest:7.1f} s  (best cost {rest_best:.4f})")
    print(f"ratio sweep / one by one:         {swept / rest:7.2f}  (target <= 0.6)")
    print(
        f"Optuna overhead per trial: {outside_trials(view, swept, workers) * 1000:.0f} ms of "
        f"worker time between trials; a 1-iteration trial in process {overhead * 1000:.0f} ms"
    )
    states = [t["state"] for t in pruned_view["trials"]]
    ran = sum(t["iterations"] for t in pruned_view["trials"]) / sum(
        t["iterations"] for t in view["trials"]
    )
    print(f"with the median pruner:           {pruned:7.1f} s  ({states.count('pruned')} of "
          f"{len(states)} pruned, {1 - ran:.0%} fewer iterations, {1 - pruned / swept:.0%} less "
          f"time; best cost {pruned_best['value']:.4f})")  # fmt: skip
    if alone:
        print(f"{args.students} students' frames/s (min, median): alone "
              f"{alone[0]:.1f}, {statistics.median(alone):.1f}; while a sweep runs "
              f"{busy[0]:.1f}, {statistics.median(busy):.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
