"""A scripted run for POST /api/train: train, record a history, report weights and boundary."""

from __future__ import annotations

import numpy as np

from app.errors import FieldError
from app.messages import TrainRequest
from app.views import boundary_values, confusion_view, metrics_view, weights_view
from core import Trainer

HISTORY_FIELDS = (
    "iteration", "epoch", "cost_train", "cost_test", "accuracy_train", "accuracy_test",
)  # fmt: skip


def history_entry(trainer_metrics: dict) -> dict:
    """The history fields of a metrics view."""
    return {k: trainer_metrics[k] for k in HISTORY_FIELDS}


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
    history = [history_entry(metrics_view(trainer.metrics()))]
    metrics = None
    while trainer.iteration < request.iterations and trainer.diverged is None:
        result = trainer.step(min(every, request.iterations - trainer.iteration))
        metrics = metrics_view(result.metrics)
        history.append(history_entry(metrics))
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
        body["boundary"] = boundary_values(trainer, request.boundary_resolution)
    return body
