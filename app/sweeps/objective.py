"""One trial: train the sampled config with core.Trainer, report, prune, stop when told."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable

import numpy as np
import optuna

from app.sweeps.request import SweepRequest
from app.sweeps.space import applied, suggest
from app.wire.config import TrainConfig, validate
from app.wire.frames import boundary_view, metrics_view
from core import Trainer
from core.pictures import Pictures

SLICE = 25  # iterations between two looks at the stop flag (well under 100 ms)
WORKER_STOPPED = "the worker stopped"  # the message of a trial its worker gave back
PROGRESS_SECONDS = 0.25  # a running trial writes its progress at most this often (one write)


class StoppedError(Exception):
    """The sweep was cancelled or the worker is shutting down."""


class UnnumberedTrialError(Exception):
    """A trial Optuna created after the queue ran dry (another worker took the last one)."""


class DivergedError(Exception):
    """The trial's cost became NaN, infinite or larger than 1e6."""


def record_every(iterations: int) -> int:
    """Iterations between two points of a trial's history: a tenth of the run, at most 500."""
    return max(1, min(500, iterations // 10))


def prune_every(iterations: int) -> int:
    """Iterations between two reports to the pruner: the multiple of record_every nearest a
    tenth of the run (a report and its pruning check cost two storage transactions, ~6 ms)."""
    every = record_every(iterations)
    return every * max(1, round(iterations / 10 / every))


def objective(trial: optuna.Trial, request: SweepRequest, stop: Callable[[], str | None]) -> float:
    """The trial's objective after request.iterations updates (Optuna's objective function)."""
    if "slot" not in trial.user_attrs:
        raise UnnumberedTrialError("no trial left in the queue")
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    for stale in ("message", "progress"):  # a retry inherits the attempt's attributes
        if trial.user_attrs.get(stale) is not None:
            trial.set_user_attr(stale, None)
    params = suggest(trial, request.space)
    config = validate(TrainConfig, applied(request.config.model_dump(), params))
    trainer = Trainer(config.to_core(), initial_params=initial_params(request))
    history = [metrics_view(trainer.metrics())]
    try:
        value = train(trial, request, trainer, history, stop)
    except (StoppedError, DivergedError, optuna.TrialPruned):
        raise  # each has said why
    except Exception as error:  # say why, so the trial is not taken for an interrupted one
        trial.set_user_attr("message", f"{type(error).__name__}: {error}"[:200])
        raise
    finally:
        trial.set_user_attr("history", history)
        trial.set_user_attr("iterations", trainer.iteration)
    if request.boundary_resolution:
        trial.set_user_attr("boundary", boundary_of(trainer, request.boundary_resolution))
    return value


def train(
    trial: optuna.Trial,
    request: SweepRequest,
    trainer: Trainer,
    history: list[dict],
    stop: Callable[[], str | None],
) -> float:
    """Train to request.iterations in slices, recording every record_every; with a pruner,
    report to Optuna every prune_every and stop when it says so."""
    every, total = request.record_every or record_every(request.iterations), request.iterations
    rung = prune_every(total)
    progress = Progress(trial)
    value = None
    while trainer.iteration < total and trainer.diverged is None:
        target = min(total, trainer.iteration + every)
        while trainer.iteration < target and trainer.diverged is None:
            trainer.step(min(SLICE, target - trainer.iteration), metrics=False)
            reason = stop()
            if reason:
                trial.set_user_attr("message", reason)
                raise StoppedError(reason)
            progress.maybe_write(trainer.iteration, value)
        metrics = metrics_view(trainer.metrics())
        history.append(metrics)
        value = metrics[request.objective]
        if request.pruner and value is not None and trainer.iteration % rung == 0:
            trial.report(value, trainer.iteration)
            if trial.should_prune():
                trial.set_user_attr("message", f"pruned at iteration {trainer.iteration}")
                raise optuna.TrialPruned(f"worse than the median at iteration {trainer.iteration}")
    if trainer.diverged:
        trial.set_user_attr("message", trainer.diverged)
        raise DivergedError(trainer.diverged)
    if value is None:
        trial.set_user_attr("message", f"{request.objective} is not defined for this config")
        raise DivergedError(f"no {request.objective}")
    return value


def boundary_of(trainer: Trainer, resolution: int) -> dict:
    """The trained output over an r x r grid, encoded as in frames (u8-deflate-base64)."""
    return boundary_view(trainer, resolution, Pictures(trainer).boundary(resolution))


def initial_params(request: SweepRequest) -> dict[str, np.ndarray] | None:
    """The request's initial_weights as arrays (every trial starts from them), or None."""
    weights = request.initial_weights
    return None if weights is None else {k: np.asarray(v, float) for k, v in weights.items()}


class Progress:
    """A running trial's {"iterations", "value"} as a user attribute, written at most every
    PROGRESS_SECONDS: readers see it move while the storage sees a few writes a trial, not one
    per report point (each is a transaction: about 1.5 ms on SQLite)."""

    def __init__(self, trial: optuna.Trial) -> None:
        self.trial = trial
        self.written = time.monotonic()

    def maybe_write(self, iterations: int, value: float | None) -> None:
        """Write the progress if PROGRESS_SECONDS have passed since the last write."""
        now = time.monotonic()
        if now - self.written >= PROGRESS_SECONDS:
            self.written = now
            self.trial.set_user_attr("progress", {"iterations": iterations, "value": value})
