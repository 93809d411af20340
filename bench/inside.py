"""What the live `inside` message costs, against the running frame it rides beside.

For a [2,8,8,1] tanh network on 400 flower points (mini-batch 64) and a [2,16,16,16,1] ReLU
network with batch norm, prints the median time of: one `inside` message built and encoded
(app/playground/inside_frames.py: histograms of A, Z, dW per hidden layer, shares, update
ratios, a 15 x 15 hidden-space grid plus the training points), one running frame built and
encoded as the session builds it (app/wire/frames.py at the live resolutions), one training
iteration, and the ratios inside/frame and inside/iteration. At INSIDE_SECONDS = 0.25 the
message costs at most 4 x that per second of one engine thread.

Run: .venv/bin/python -m bench.inside [--repeats 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from app.playground.inside_frames import INSIDE_SECONDS, inside_message  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.wire.encoding import encode_message  # noqa: E402
from app.wire.frames import frame_body  # noqa: E402
from core import DatasetConfig, NetworkConfig, OptimizerConfig, TrainConfig, Trainer  # noqa: E402
from core.pictures import Pictures  # noqa: E402


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    """Median wall time of work() over `repeats` calls (after 3 warm-up calls)."""
    for _ in range(3):
        work()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, config: TrainConfig, repeats: int) -> None:
    """Print the three medians and their ratios for one network."""
    settings = Settings()
    trainer = Trainer(config)
    trainer.step(50, metrics=False)
    pictures = Pictures(trainer)
    costs = trainer.step(10, metrics=False).costs  # a frame's worth of costs, reused

    def inside() -> str:
        return encode_message(inside_message(0, trainer, 1, (0, 1)))

    def frame() -> str:
        body = frame_body(
            0,
            pictures,
            costs,
            boundary_resolution=settings.boundary_resolution,
            neuron_resolution=settings.neuron_resolution,
            exact=False,
        )
        return encode_message(body)

    t_inside = median_seconds(inside, repeats)
    t_frame = median_seconds(frame, repeats)
    t_step = median_seconds(lambda: trainer.step(1, metrics=False), repeats * 5)
    size = len(inside())
    print(
        f"{name}: inside {t_inside * 1e3:.3f} ms ({size} bytes), running frame "
        f"{t_frame * 1e3:.3f} ms, iteration {t_step * 1e3:.3f} ms; inside/frame "
        f"{t_inside / t_frame:.2f}, inside/iteration {t_inside / t_step:.1f}; at most "
        f"{t_inside / INSIDE_SECONDS * 100:.2f}% of one thread at {1 / INSIDE_SECONDS:.0f}/s"
    )


def main() -> None:
    """Both networks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=200)
    repeats = parser.parse_args().repeats
    flower = DatasetConfig(name="flower", samples=400)
    measure(
        "[2,8,8,1] tanh",
        TrainConfig(
            dataset=flower,
            network=NetworkConfig(hidden=(8, 8), activation="tanh", init="xavier"),
            optimizer=OptimizerConfig(name="adam", learning_rate=0.01, batch_size=64),
        ),
        repeats,
    )
    measure(
        "[2,16,16,16,1] relu + batch norm",
        TrainConfig(
            dataset=flower,
            network=NetworkConfig(hidden=(16, 16, 16), activation="relu", batch_norm=True),
            optimizer=OptimizerConfig(name="adam", learning_rate=0.01, batch_size=64),
        ),
        repeats,
    )


if __name__ == "__main__":
    main()
