"""Operations on a session's lanes that need no session (engine thread): a hand edit of one
parameter, every lane's checkpoint as the message the page keeps, the lanes as they were at
a past iteration (replay), and what a gradient check runs on."""

from __future__ import annotations

from typing import Any

import numpy as np

from app.playground.checkpoints import lane_state
from app.playground.lanes import TrainingLane
from app.playground.messages import Edit
from app.settings import Settings
from app.wire.errors import FieldError
from app.wire.gradcheck import check_inputs
from core import Network, Trainer


def set_parameter(lanes: list[TrainingLane], message: Edit) -> TrainingLane:
    """params[name][row, column] = value on the lane (learned slopes clipped to [0, 1]); the
    optimizer's buffers keep theirs. The lane, or FieldError naming the bad field."""
    if message.lane >= len(lanes):
        raise FieldError("lane", f"no lane {message.lane}; there are {len(lanes)}")
    lane = lanes[message.lane]
    params = lane.trainer.network.params
    if message.name not in params:
        raise FieldError("name", f"no such parameter; one of {', '.join(params)}")
    rows, columns = params[message.name].shape
    if message.row >= rows or message.column >= columns:
        field = "row" if message.row >= rows else "column"
        raise FieldError(field, f"{message.name} is {rows} x {columns}")
    value = message.value
    if message.name.startswith("slope"):
        value = min(max(value, 0.0), 1.0)
    params[message.name][message.row, message.column] = value  # a view into theta
    if lane.history is not None:  # replays from here on start from the edited weights
        lane.history.record(lane.trainer)
    return lane


def checkpoint_message(lanes: list[TrainingLane], max_bytes: int) -> dict[str, Any] | None:
    """{"type": "checkpoint", "lanes": [...]}, or None while a lane has diverged (nothing worth
    resuming) or when it would be too big for the page to send back."""
    if not all(np.isfinite(lane.trainer.network.theta).all() for lane in lanes):
        return None
    states = [
        {"lane": lane.index, "label": lane.label, "config": lane.config.model_dump(),
         "state": lane_state(lane.trainer)}
        for lane in lanes
    ]  # fmt: skip
    if sum(len(lane["state"]["theta"]) * 3 for lane in states) > max_bytes:  # theta + buffers
        return None
    return {"type": "checkpoint", "lanes": states}


def past_trainers(lanes: list[TrainingLane], iteration: int) -> list[tuple[int, Trainer]]:
    """(lane, a copy of its trainer at the iteration) for every lane, recomputed from the
    nearest replay checkpoint; FieldError past the run's current iteration."""
    now = lanes[0].trainer.iteration
    if iteration > now:
        raise FieldError("iteration", f"the run is at iteration {now}; pick one up to it")
    copies = []
    for lane in lanes:
        assert lane.history is not None
        at = min(iteration, lane.trainer.iteration)  # a diverged lane stopped earlier
        copies.append((lane.index, lane.history.trainer_at(lane.trainer, at)))
    return copies


def gradcheck_inputs(
    lanes: list[TrainingLane], index: int, settings: Settings
) -> tuple[Network, np.ndarray, np.ndarray]:
    """A copy of the lane's network and the first examples to check it on; FieldError for a
    missing lane or a network too big to check."""
    if index >= len(lanes):
        raise FieldError("lane", f"no lane {index}; there are {len(lanes)}")
    limit = settings.gradcheck_max_parameters
    return check_inputs(lanes[index].trainer, settings.gradcheck_examples, limit, "lane")
