"""A scripted run for POST /api/train: train, record a history, report weights and boundary."""

from __future__ import annotations

import threading

import numpy as np

from app.rest.bodies import TrainRequest
from app.shared.run_pool import Cancelled
from app.wire.errors import FieldError
from app.wire.frames import boundary_values, confusion_view, metrics_view, weights_view
from core import Trainer
from core.pictures import Pictures


def run_training(
    request: TrainRequest, stop: threading.Event | None = None, check_every: int = 1000
) -> dict:
    """Train request.iterations updates (stopping at divergence) and describe the result;
    Cancelled within check_every iterations of stop being set."""
    initial = None
    if request.initial_weights is not None:
        initial = {k: np.asarray(v, dtype=np.float64) for k, v in request.initial_weights.items()}
    try:
        trainer = Trainer(request.config.to_core(), initial_params=initial)
    except ValueError as error:
        raise FieldError("config", str(error)) from None
    every = request.record_every or max(1, request.iterations // 100)
    history = [metrics_view(trainer.metrics())]
    metrics = None
    while trainer.iteration < request.iterations and trainer.diverged is None:
        target = min(trainer.iteration + every, request.iterations)
        while trainer.iteration < target and trainer.diverged is None:
            if stop is not None and stop.is_set():
                raise Cancelled
            trainer.step(min(check_every, target - trainer.iteration), metrics=False)
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
