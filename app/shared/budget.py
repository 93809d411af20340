"""What a piece of work will cost, estimated from its size before it starts.

seconds = iterations x (a + b x examples x parameters), with a (the per-iteration overhead of
a step) and b (the cost of one example through one parameter, forward and backward) timed
once per process on two small runs of this machine.
"""

from __future__ import annotations

import functools
import time

from app.wire.config import TrainConfig
from app.wire.errors import FieldError
from core import Trainer

CALIBRATION_ITERATIONS = 60


def parameters(config: TrainConfig) -> int:
    """sum over layers of n_l (n_{l-1} + 1): every weight and bias."""
    sizes = config.layer_sizes
    return sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))


def examples(config: TrainConfig) -> int:
    """Training examples one iteration goes through (its batch)."""
    data = config.dataset
    train = data.size - round(data.size * data.test_fraction)
    return min(config.optimizer.batch_size or train, train)


def seconds_for(config: TrainConfig, iterations: int) -> float:
    """Its training time: iterations (a + b m P), with this process's a and b."""
    a, b = calibration()
    return iterations * (a + b * examples(config) * parameters(config))


@functools.cache
def calibration() -> tuple[float, float]:
    """(a, b) timed on a tiny and a larger network (about 0.1 s, once per process)."""
    tiny = TrainConfig.model_validate({"dataset": {"samples": 20}, "network": {"hidden": [2]}})
    large = TrainConfig.model_validate(
        {"dataset": {"samples": 400}, "network": {"hidden": [32, 32], "activation": "tanh"}}
    )
    per_tiny, per_large = (timed(c) for c in (tiny, large))
    work_tiny, work_large = (examples(c) * parameters(c) for c in (tiny, large))
    b = max((per_large - per_tiny) / (work_large - work_tiny), 1e-12)
    return max(per_tiny - b * work_tiny, 1e-6), b


def timed(config: TrainConfig) -> float:
    """Seconds per iteration of a config (best of two)."""
    trainer = Trainer(config.to_core())
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        trainer.step(CALIBRATION_ITERATIONS, metrics=False)
        best = min(best, (time.perf_counter() - started) / CALIBRATION_ITERATIONS)
    return best


def check_budget(field: str, estimate: float, limit: float, instead: str) -> None:
    """422 naming the estimate, the limit and what to do instead, when over budget."""
    if estimate > limit:
        raise FieldError(
            field,
            f"this run would take about {estimate:,.0f} s, over this server's limit of "
            f"{limit:g} s (DESCENT_MAX_RUN_SECONDS): {instead}",
            type="over_budget",
            limit=limit,
            value=round(estimate, 1),
        )
