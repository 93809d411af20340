"""One trial: train the sampled config with core.Trainer, report, prune, stop when told."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import optuna

from app.frames import metrics_view
from app.schemas import TrainConfig, validate
from app.sweep_request import SweepRequest
from app.sweep_space import applied, suggest
from core import Trainer

SLICE = 25  # iterations between two looks at the stop flag (well under 100 ms)
WORKER_STOPPED = "the worker stopped"  # the message of a trial its worker gave back


class StoppedError(Exception):
    """The sweep was cancelled or the worker is shutting down."""


class UnnumberedTrialError(Exception):
    """A trial Optuna created after the queue ran dry (another worker took the last one)."""


class DivergedError(Exception):
    """The trial's cost became NaN, infinite or larger than 1e6."""


def report_every(iterations: int) -> int:
    """Iterations between two reports: a tenth of the run, at most 500."""
    return max(1, min(500, iterations // 10))


def objective(trial: optuna.Trial, request: SweepRequest, stop: Callable[[], str | None]) -> float:
    """The trial's objective after request.iterations updates (Optuna's objective function)."""
    if "slot" not in trial.user_attrs:
        raise UnnumberedTrialError("no trial left in the queue")
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    trial.set_user_attr("message", None)  # a retry inherits the attempt's attributes
    params = suggest(trial, request.space)
    config = validate(TrainConfig, applied(request.config.model_dump(), params))
    trainer = Trainer(config.to_core())
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
    return value


def train(
    trial: optuna.Trial,
    request: SweepRequest,
    trainer: Trainer,
    history: list[dict],
    stop: Callable[[], str | None],
) -> float:
    """Train to request.iterations in slices, recording and reporting every report_every."""
    every, total = report_every(request.iterations), request.iterations
    value = None
    while trainer.iteration < total and trainer.diverged is None:
        target = min(total, trainer.iteration + every)
        while trainer.iteration < target and trainer.diverged is None:
            trainer.step(min(SLICE, target - trainer.iteration), metrics=False)
            reason = stop()
            if reason:
                trial.set_user_attr("message", reason)
                raise StoppedError(reason)
        metrics = metrics_view(trainer.metrics())
        history.append(metrics)
        value = metrics[request.objective]
        if value is not None:
            trial.report(value, trainer.iteration)
        if request.pruner and trial.should_prune():
            trial.set_user_attr("message", f"pruned at iteration {trainer.iteration}")
            raise optuna.TrialPruned(f"worse than the median at iteration {trainer.iteration}")
    if trainer.diverged:
        trial.set_user_attr("message", trainer.diverged)
        raise DivergedError(trainer.diverged)
    if value is None:
        trial.set_user_attr("message", f"{request.objective} is not defined for this config")
        raise DivergedError(f"no {request.objective}")
    return value
