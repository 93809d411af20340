"""Time one training step through core's public surface against a hand-written NumPy step.

Prints, for [2,4,1] and [2,8,8,8,1] tanh networks on 400 flower points, the median time of
forward + backward + gradient-descent update via Network/make_optimizer, the same for a
minimal hand-written step of the same network in the same process, their ratio, the
Trainer's whole iteration (with its per-iteration cost), and one 100x100 boundary grid.

NumPy calls per step for [2,4,1] (operators count as calls): hand-written 27 (2 per affine
layer, tanh, 4 for the sigmoid, 2 per dW and per db, 4 per hidden dZ, 2 per parameter
update); public 20 (copy X into its buffer, 1 matrix product per layer with b beside W,
tanh, 5 for the sigmoid, a copy of A[L]; dZ[L], 1 product per layer for dW and db together,
1 for W^T dZ, 3 per hidden dZ, 1 to scale every gradient by 1/m; 2 for the whole update).
The public step is what the Trainer runs: forward, backward into a reused flat gradient,
one optimizer update of the flat parameter vector.

Run: .venv/bin/python -m bench.step [--repeats 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

# The server runs NumPy with one BLAS thread per process (app/server/cli.py); measure the same.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from core import (  # noqa: E402
    Network,
    NetworkConfig,
    TrainConfig,
    Trainer,
    make_dataset,
    make_optimizer,
)
from core.pictures import Pictures  # noqa: E402

Array = np.ndarray


def hand_written_step(params: dict[str, Array], X: Array, Y: Array, lr: float) -> None:
    """The course's loop body written out plainly: tanh hidden layers, sigmoid output, GD."""
    L = len(params) // 2
    m = X.shape[1]
    A, cache = X, [X]
    for l in range(1, L):
        A = np.tanh(params[f"W{l}"] @ A + params[f"b{l}"])
        cache.append(A)
    AL = 1 / (1 + np.exp(-(params[f"W{L}"] @ A + params[f"b{L}"])))
    dZ = AL - Y
    for l in range(L, 0, -1):
        dW = dZ @ cache[l - 1].T / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dZ = (params[f"W{l}"].T @ dZ) * (1 - cache[l - 1] ** 2)
        params[f"W{l}"] = params[f"W{l}"] - lr * dW
        params[f"b{l}"] = params[f"b{l}"] - lr * db


def median_seconds(step: Callable[[], object], repeats: int) -> float:
    """Median wall time of `step` over `repeats` calls, after a warm-up."""
    for _ in range(50):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median times of two steps measured alternately, so machine noise hits both alike."""
    for _ in range(50):
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for step, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            step()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    """Print the step timings and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    args = parser.parse_args()
    X, Y = make_dataset("flower", 400, 0.2, seed=0)
    print(f"numpy {np.__version__}; 400 flower points; median of {args.repeats} steps")
    for hidden in [(4,), (8, 8, 8)]:
        sizes = (2, *hidden, 1)
        net = Network(sizes, activation="tanh", init="xavier", seed=1)
        optimizer = make_optimizer("gd", 0.1)
        plain = {k: v.copy() for k, v in net.params.items()}

        gradient = np.empty_like(net.theta)

        def public_step(net: Network = net, opt: object = optimizer, g: Array = gradient) -> None:
            net.forward(X, training=True)
            net.backward(Y, out=g)
            opt.update({"theta": net.theta}, {"dtheta": g})

        def plain_step(params: dict[str, Array] = plain) -> None:
            hand_written_step(params, X, Y, 0.1)

        ours, theirs = paired_medians(public_step, plain_step, args.repeats)
        config = TrainConfig(network=NetworkConfig(hidden=hidden, init="xavier"))
        trainer = Trainer(config)
        per_iteration = median_seconds(lambda t=trainer: t.step(100), args.repeats // 20) / 100
        pictures = Pictures(trainer)
        grid = median_seconds(lambda p=pictures: p.boundary(100), args.repeats // 10)
        print(
            f"{list(sizes)!s:14} public step {ours * 1e6:7.1f} us | hand-written "
            f"{theirs * 1e6:7.1f} us | ratio {ours / theirs:.2f} | "
            f"trainer iteration (incl. cost) {per_iteration * 1e6:7.1f} us "
            f"({1 / per_iteration:,.0f} it/s) | 100x100 grid {grid * 1e3:.2f} ms"
        )


if __name__ == "__main__":
    main()
