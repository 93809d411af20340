"""Scripted runs: POST /api/train (train, record a history, report weights and boundary) and
POST /api/gradcheck (train, then check the gradients)."""

from __future__ import annotations

import threading

import numpy as np

from app.rest.bodies import GradCheckRequest, TrainRequest
from app.shared.run_pool import Cancelled
from app.wire.config import TrainConfig, Weights
from app.wire.errors import FieldError
from app.wire.frames import boundary_values, confusion_view, metrics_view, weights_view
from app.wire.gradcheck import check_inputs, gradcheck_view, parameter_table
from core import Trainer, gradient_check_report
from core.pictures import Pictures


def build_trainer(config: TrainConfig, initial_weights: Weights | None) -> Trainer:
    """The Trainer of a checked config, from the given weights if any."""
    initial = None
    if initial_weights is not None:
        initial = {k: np.asarray(v, dtype=np.float64) for k, v in initial_weights.items()}
    try:
        return Trainer(config.to_core(), initial_params=initial)
    except ValueError as error:
        raise FieldError("config", str(error)) from None


def train_to(trainer: Trainer, target: int, stop: threading.Event | None, check_every: int) -> None:
    """Step until `target` iterations or divergence; Cancelled once stop is set."""
    while trainer.iteration < target and trainer.diverged is None:
        if stop is not None and stop.is_set():
            raise Cancelled
        trainer.step(min(check_every, target - trainer.iteration), metrics=False)


def run_training(
    request: TrainRequest, stop: threading.Event | None = None, check_every: int = 1000
) -> dict:
    """Train request.iterations updates (stopping at divergence) and describe the result;
    Cancelled within check_every iterations of stop being set."""
    trainer = build_trainer(request.config, request.initial_weights)
    every = request.record_every or max(1, request.iterations // 100)
    history = [metrics_view(trainer.metrics())]
    metrics = None
    while trainer.iteration < request.iterations and trainer.diverged is None:
        train_to(trainer, min(trainer.iteration + every, request.iterations), stop, check_every)
        metrics = metrics_view(trainer.metrics())
        history.append(metrics)
    final = {**(metrics or metrics_view(trainer.metrics())), "confusion": confusion_view(trainer)}
    body = {
        "status": "diverged" if trainer.diverged else "done",
        "message": trainer.diverged or f"trained {trainer.iteration} iterations",
        "history": history,
        "final": final,
        "weights": weights_view(trainer),
        "boundary": None,
    }
    if request.boundary_resolution:
        body["boundary"] = boundary_values(Pictures(trainer), request.boundary_resolution)
    return body


def run_gradcheck(
    request: GradCheckRequest,
    examples: int,
    max_parameters: int,
    stop: threading.Event | None = None,
    check_every: int = 1000,
) -> dict:
    """Train request.iterations updates, then the course's centred-difference check on the
    first `examples` training examples (dropout off): the overall and per-parameter figures."""
    trainer = build_trainer(request.config, request.initial_weights)
    train_to(trainer, request.iterations, stop, check_every)
    if trainer.diverged:
        raise FieldError("iterations", f"no gradient to check: {trainer.diverged}")
    network, X, Y = check_inputs(trainer, examples, max_parameters, "config.network.hidden")
    report = gradient_check_report(network, X, Y, request.epsilon)
    return {
        **gradcheck_view(report, X.shape[1]),
        "parameters": parameter_table(report, network),
        "epsilon": request.epsilon,
        "iteration": trainer.iteration,
    }
