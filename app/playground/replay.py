"""A lane's history for replay: checkpoints every k iterations in bounded memory, and any past
iteration recomputed exactly from the nearest one (runs are deterministic).

When the history is full every other checkpoint is dropped and k doubles, so a long run keeps
about `capacity` checkpoints spread over all of it; recomputing a past iteration costs at most
k iterations from the checkpoint before it.
"""

from __future__ import annotations

import bisect
import copy
from typing import Any

import numpy as np

from app.settings import Settings
from app.wire.frames import frame_body
from core import Trainer
from core.checkpoints import Checkpoint, capture, restore
from core.pictures import Pictures

FIRST_EVERY = 50
CAPACITY = 64  # checkpoints per lane, at most


def capacity_for(trainer: Trainer, budget: int) -> int:
    """How many of this trainer's checkpoints fit a budget of bytes (at most CAPACITY)."""
    each = trainer.network.theta.nbytes * (1 + trainer.optimizer.buffer_count)
    return min(budget // each, CAPACITY)


def replay_frame(lane: int, past: Trainer, settings: Settings) -> dict[str, Any]:
    """(worker thread) The exact frame of a past trainer, typed `replay`."""
    body = frame_body(
        lane,
        Pictures(past),
        np.empty(0),
        boundary_resolution=settings.boundary_resolution,
        neuron_resolution=settings.neuron_resolution,
        exact=True,
    )
    body["type"] = "replay"
    return body


class History:
    """Checkpoints of one trainer at iterations 0, k, 2k, ... (k doubles as the run grows)."""

    def __init__(self, trainer: Trainer, capacity: int) -> None:
        self.capacity = max(capacity, 4)
        self.every = FIRST_EVERY
        self.iterations: list[int] = []
        self.checkpoints: list[Checkpoint] = []
        self.record(trainer)

    @property
    def bytes(self) -> int:
        """Memory the checkpoints hold."""
        return sum(c.theta.nbytes * (1 + sum(len(b) for b in c.buffers.values()))
                   for c in self.checkpoints)  # fmt: skip

    def due(self, trainer: Trainer) -> bool:
        """Whether the trainer is k iterations past the last checkpoint."""
        return trainer.iteration >= self.iterations[-1] + self.every

    def record(self, trainer: Trainer) -> None:
        """Keep the trainer's state now (replacing one at the same iteration: after a hand
        edit or a live change); thin out (and double k) when full."""
        if self.iterations and trainer.iteration <= self.iterations[-1]:
            if trainer.iteration < self.iterations[-1]:
                return
            self.iterations.pop()
            self.checkpoints.pop()
        self.iterations.append(trainer.iteration)
        self.checkpoints.append(capture(trainer))
        if len(self.checkpoints) > self.capacity:
            self.iterations, self.checkpoints = self.iterations[::2], self.checkpoints[::2]
            self.every *= 2

    def trainer_at(self, trainer: Trainer, iteration: int) -> Trainer:
        """A copy of the trainer as it was at `iteration` (<= its own): the nearest checkpoint
        before it, trained forward."""
        index = bisect.bisect_right(self.iterations, iteration) - 1
        past = copy.deepcopy(trainer)
        restore(past, self.checkpoints[index])
        past.step(iteration - self.iterations[index], metrics=False)
        return past
