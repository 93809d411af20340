"""A scripted run for POST /api/train: train, record a history, report weights and boundary."""

from __future__ import annotations

import numpy as np

from app.errors import FieldError
from app.frames import boundary_values, metrics_view, weights_view
from app.messages import TrainRequest
from core import Trainer
from core.pictures import Pictures


def run_training(request: TrainRequest) -> dict:
    """Train request.iterations updates (stopping at divergence) and describe the result."""
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
        result = trainer.step(min(every, request.iterations - trainer.iteration))
        metrics = metrics_view(result.metrics)
        history.append(metrics)
    final = metrics or metrics_view(trainer.metrics())
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
