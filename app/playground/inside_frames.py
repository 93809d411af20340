"""Inside the network, live: `inside` messages (per hidden layer histograms of A, Z and dW,
saturated and dead shares, log10 update/weight ratio, and one layer's hidden space) for the
lane the client watches, at most every INSIDE_SECONDS while training (core/inside.py computes).

The client turns them on with {"type": "inside", "enabled": true, "lane": 0, "layer": 1,
"units": [0, 1]}; a session keeps one InsideWatch and its tick calls `watch.frames(...)`.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field, StrictInt

from app.playground.lanes import TrainingLane
from app.playground.outbox import Item, Outbox
from app.wire.config import Model
from app.wire.encoding import finite, float_list
from app.wire.errors import FieldError
from core.datasets import make_features
from core.inside import Histogram, hidden_space, inside
from core.pictures import grid_points
from core.training import Trainer

INSIDE_SECONDS = 0.25  # at most 4 inside messages per second while training
SPACE_RESOLUTION = 15  # the hidden-space grid: 15 x 15 points, drawn as warped grid lines
DIGITS = 4


class Inside(Model):
    """Turn the live `inside` messages on or off; pick the lane, and the hidden layer and two
    of its units for the hidden-space view."""

    type: Literal["inside"]
    enabled: bool = True
    lane: StrictInt = Field(0, ge=0)
    layer: StrictInt = Field(1, ge=1)
    units: tuple[StrictInt, StrictInt] = (0, 1)


@dataclass
class InsideWatch:
    """What the client watches, and when it was last sent."""

    enabled: bool = False
    lane: int = 0
    layer: int = 1
    units: tuple[int, int] = (0, 1)
    sent: float = 0.0  # time.monotonic() of the last inside message

    def frames(
        self, lanes: list[TrainingLane], outbox: Outbox, *, settled: bool = False
    ) -> list[Item]:
        """(engine) The watched lane's inside message when one is due: always when settled,
        else at most every INSIDE_SECONDS and only when the client has taken its last frame."""
        if not self.enabled or self.lane >= len(lanes):
            return []
        now = time.monotonic()
        lane = lanes[self.lane]
        if not settled and (now - self.sent < INSIDE_SECONDS or outbox.waiting(lane.index)):
            return []
        self.sent = now
        try:
            with np.errstate(all="ignore"):
                return [inside_message(lane.index, lane.trainer, self.layer, self.units)]
        except ValueError:  # values beyond float range (a diverged run): nothing to draw
            return []


def check_watch(message: Inside, lanes: list[TrainingLane]) -> None:
    """FieldError unless the lane exists and (when it has hidden layers) layer and units fit."""
    if not lanes:
        raise FieldError("type", "send configure first")
    if message.lane >= len(lanes):
        raise FieldError("lane", f"no lane {message.lane}; there are {len(lanes)}")
    sizes = lanes[message.lane].trainer.network.layer_sizes
    if len(sizes) > 2 and message.layer > len(sizes) - 2:
        raise FieldError("layer", f"must be a hidden layer, 1 to {len(sizes) - 2}")
    width = sizes[message.layer] if len(sizes) > 2 else 0
    if width and max(message.units) >= width:
        raise FieldError("units", f"layer {message.layer} has {width} units: 0 to {width - 1}")


def histogram_view(histogram: Histogram) -> dict[str, Any]:
    """Counts over equal bins from low to high."""
    edges = histogram.edges
    return {"counts": histogram.counts.tolist(), "low": finite(edges[0]), "high": finite(edges[-1])}


def probed(trainer: Trainer) -> tuple[Any, dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """(network, grads, previous weights) of the last update; before any (iteration 0, or just
    resumed) a training pass on a copy over the whole training set, the lane untouched."""
    network = trainer.network
    try:
        network.hidden_values()
        fresh = trainer.iteration > 0 and bool(trainer.last_grads)
    except RuntimeError:
        fresh = False
    if fresh:
        return network, trainer.last_grads, network.views(trainer.previous_theta)
    copied = copy.deepcopy(network)
    copied.forward(trainer.X_train, training=True)
    grads = copied.backward(trainer.Y_train)
    return copied, grads, None


def space_view(trainer: Trainer, network: Any, layer: int, units: tuple[int, int]) -> dict:
    """The input grid and the training points in units (i, j) of a hidden layer (inference)."""
    width = network.layer_sizes[layer]
    chosen = (min(units[0], width - 1), min(units[1], width - 1))
    raw = grid_points(trainer.extent, SPACE_RESOLUTION)
    grid = make_features(raw, trainer.config.features)
    grid_xy, data_xy = hidden_space(network, grid, trainer.X_train, layer, chosen)
    return {
        "layer": layer,
        "units": list(chosen),
        "width": width,
        "resolution": SPACE_RESOLUTION,
        "grid": [float_list(grid_xy[0], DIGITS), float_list(grid_xy[1], DIGITS)],
        "data": [float_list(data_xy[0], DIGITS), float_list(data_xy[1], DIGITS)],
    }


def inside_message(index: int, trainer: Trainer, layer: int, units: tuple[int, int]) -> dict:
    """The `inside` message of a lane: every hidden layer's figures and one hidden space."""
    network, grads, previous = probed(trainer)
    layers = [
        {
            "layer": item.layer,
            "units": network.layer_sizes[item.layer],
            "activations": histogram_view(item.activations),
            "preactivations": histogram_view(item.preactivations),
            "weight_gradients": histogram_view(item.weight_gradients),
            "saturated": item.saturated,
            "dead": item.dead,
            "update_ratio": finite(item.update_ratio),
        }
        for item in inside(network, grads, previous)
    ]
    hidden = network.L - 1
    space = space_view(trainer, trainer.network, min(layer, hidden), units) if hidden else None
    return {
        "type": "inside",
        "lane": index,
        "iteration": trainer.iteration,
        "activation": network.hidden.name,
        "batch_norm": network.batch_norm,
        "layers": layers,
        "hidden_space": space,
    }


def watch(session: Any, message: Inside) -> tuple[list[Item], None]:
    """(engine) Check and keep what the client watches; an inside message at once if on."""
    check_watch(message, session.lanes)
    kept: InsideWatch = session.inside
    kept.enabled, kept.lane, kept.layer = message.enabled, message.lane, message.layer
    kept.units = (int(message.units[0]), int(message.units[1]))
    return kept.frames(session.lanes, session.outbox, settled=True), None


async def handle_inside(connection: Any, message: Inside) -> None:
    """The `inside` client message: the session's watch, changed on its engine thread."""
    session = connection.session
    await session.command(lambda: watch(session, message))
