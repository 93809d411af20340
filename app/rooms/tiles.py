"""What a room sees of a session (computed in the engine thread): its tile and spotlight frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from app.wire.config import TrainConfig
from app.wire.frames import boundary_view, dataset_view, frame_body, metrics_view

if TYPE_CHECKING:
    from app.playground.session import Session

TILE_RESOLUTION = 16
SPOT_RESOLUTION = 60
SPOT_NEURONS = 20
# The figures of a tile, in order: key, the dashboard's label, how it is written. The tile
# message, the dashboard (sent in the teacher socket's `room` message) and the CSV read this.
TILE_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("iteration", "iter", "count"),
    ("epoch", "epoch", "count"),
    ("cost_train", "cost", "number"),
    ("cost_test", "test cost", "number"),
    ("accuracy_train", "acc", "percent"),
    ("accuracy_test", "test acc", "percent"),
)
FIGURES = tuple(key for key, _, _ in TILE_FIGURES)


def figure_list() -> list[dict[str, str]]:
    """TILE_FIGURES as the dashboard reads them: [{key, label, format}, ...]."""
    return [{"key": key, "label": label, "format": kind} for key, label, kind in TILE_FIGURES]


def rounded(value: Any) -> Any:
    """A figure to 5 significant digits (a tile stays a few hundred bytes)."""
    return value if not isinstance(value, float) else float(f"{value:.5g}")


def key_settings(config: TrainConfig) -> dict[str, Any]:
    """The settings a teacher scans a tile for."""
    return {
        "dataset": config.dataset.name,
        "features": len(config.features),
        "hidden": "-".join(str(units) for units in config.network.hidden) or "none",
        "activation": config.network.activation,
        "optimizer": config.optimizer.name,
        "learning_rate": config.optimizer.learning_rate,
        "batch_size": config.optimizer.batch_size or "all",
        "l2": config.regularization.l2,
        "keep_prob": config.regularization.keep_prob,
    }


def summary(session: Session) -> dict[str, Any] | None:
    """(engine) Lane 0's figures, 16x16 boundary, key settings and the run state; None
    before the first configure."""
    if not session.lanes:
        return None
    lane = session.lanes[0]
    trainer = lane.trainer
    metrics, grid = lane.pictures.snapshot(TILE_RESOLUTION)
    figures = metrics_view(metrics)
    tile = {name: rounded(figures[name]) for name in FIGURES}
    tile["state"] = session.state
    tile["problem"] = trainer.problem
    tile["lanes"] = len(session.lanes)
    tile["config"] = key_settings(lane.config)
    tile["boundary"] = boundary_view(trainer, TILE_RESOLUTION, grid)
    tile["boundary"]["extent"] = [rounded(v) for v in tile["boundary"]["extent"]]
    return tile


def spot_frame(session: Session) -> dict[str, Any] | None:
    """(engine) Lane 0's frame as the student's page draws it, with the points and settings."""
    if not session.lanes:
        return None
    lane = session.lanes[0]
    trainer = lane.trainer
    message = frame_body(
        0,
        lane.pictures,
        np.zeros(0),
        boundary_resolution=SPOT_RESOLUTION,
        neuron_resolution=SPOT_NEURONS,
        exact=False,
    )
    message.pop("costs", None)
    message.update(type="spot", kind="spot", state=session.state, dataset=dataset_view(trainer))
    message["network"] = {"hidden": list(lane.config.network.hidden),
                          "features": list(lane.config.features)}  # fmt: skip
    message["config"] = key_settings(lane.config)
    return message
