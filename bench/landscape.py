"""Time the loss landscape of the flower lesson: training, the r x r plane, the whole call.

Prints, for r = 41 (and 61, the limit), the median over repeats of: the batched plane
(r^2 networks evaluated in one matmul per layer), the same plane one network at a time with
Network.cost (their ratio), and the whole core.landscape call (2,000 iterations recorded at
100 points, then the plane and the path's true and on-plane costs).

Run: .venv/bin/python -m bench.landscape [--repeats 5] [--iterations 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # the server's one BLAS thread per process

import numpy as np  # noqa: E402

from core.landscape import landscape  # noqa: E402
from core.lessons import FLOWER  # noqa: E402
from core.plane import batch_costs  # noqa: E402
from core.training import Trainer  # noqa: E402


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of run() over repeats."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_at_a_time(trainer: Trainer, thetas: np.ndarray) -> np.ndarray:
    """J of each parameter vector through Network.cost: r^2 Python-level evaluations."""
    network, saved = trainer.network, trainer.network.theta.copy()
    costs = np.empty(len(thetas))
    for k, theta in enumerate(thetas):
        network.theta[:] = theta
        costs[k] = network.cost(trainer.X_train, trainer.Y_train)
    network.theta[:] = saved
    return costs


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    trainer = Trainer(FLOWER)
    trainer.step(args.iterations, metrics=False)
    rng = np.random.default_rng(0)
    print(f"flower lesson [2, 4, 1], m = 400, {trainer.network.theta.size} parameters")
    for r in (41, 61):
        thetas = trainer.network.theta + rng.normal(size=(r * r, trainer.network.theta.size))
        batched = median_seconds(
            lambda t=thetas: batch_costs(trainer.network, trainer.X_train, trainer.Y_train, t), 5
        )
        looped = median_seconds(lambda t=thetas: one_at_a_time(trainer, t), 1)
        whole = median_seconds(
            lambda r=r: landscape(FLOWER, args.iterations, r, "pca", 100), args.repeats
        )
        print(
            f"r = {r}: plane {batched * 1e3:.1f} ms batched, {looped * 1e3:.0f} ms one network "
            f"at a time ({looped / batched:.1f}x); whole landscape call with "
            f"{args.iterations} iterations {whole * 1e3:.0f} ms"
        )


if __name__ == "__main__":
    main()
