"""A training lane: one trainer in a session, with its pictures, unsent costs and frame clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.playground.pacing import FrameClock
from app.playground.replay import History
from app.wire.checks import check_weights
from app.wire.config import TrainConfig
from app.wire.errors import FieldError
from core import Trainer
from core.pictures import Pictures


@dataclass
class TrainingLane:
    """One trainer with the costs not yet sent and its frame schedule."""

    index: int
    label: str
    trainer: Trainer
    pictures: Pictures
    clock: FrameClock = field(default_factory=FrameClock)
    history: History | None = None  # for replay; made by the session (it knows the budget)
    pending: list[np.ndarray] = field(default_factory=list)
    pending_count: int = 0

    @property
    def config(self) -> TrainConfig:
        """The lane's config as the wire states it (derived from the trainer's, live changes
        included)."""
        return TrainConfig.from_core(self.trainer.config)

    def take_costs(self) -> np.ndarray:
        """Every training cost since the previous frame, and forget them."""
        costs = np.concatenate(self.pending) if self.pending else np.empty(0)
        self.pending, self.pending_count = [], 0
        return costs

    def add_costs(self, costs: np.ndarray) -> None:
        """Remember costs until the next frame."""
        self.pending.append(costs)
        self.pending_count += len(costs)

    def describe(self) -> dict[str, Any]:
        """The lane's entry in `configured`."""
        config = self.config
        sizes = list(config.layer_sizes)
        return {"lane": self.index, "label": self.label, "layer_sizes": sizes,
                "config": config.model_dump()}  # fmt: skip

    @property
    def parameters(self) -> int:
        """How many numbers the network learns."""
        return int(self.trainer.network.theta.size)


def shares_init(config: TrainConfig, first: TrainConfig) -> bool:
    """Lanes with lane 0's shapes, initializer and batch norm start from lane 0's weights (a
    batch-norm lane has gamma, beta and no hidden b: it draws its own, from the same seed)."""
    a, b = config.network, first.network
    same_init = (a.init, a.init_scale, a.batch_norm) == (b.init, b.init_scale, b.batch_norm)
    return config.layer_sizes == first.layer_sizes and same_init


def fits(weights: dict[str, Any], config: TrainConfig) -> bool:
    """Whether the given weights have this config's shapes."""
    try:
        check_weights(weights, config.layer_sizes)
    except FieldError:
        return False
    return True


def build_lanes(
    configs: list[TrainConfig], labels: list[str], weights: dict[str, Any] | None
) -> list[TrainingLane]:
    """Trainers for every lane; lanes that agree with lane 0 share its initial weights."""
    lanes: list[TrainingLane] = []
    for index, (config, label) in enumerate(zip(configs, labels, strict=True)):
        initial = None
        if weights is not None and (index == 0 or fits(weights, config)):
            initial = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
        elif index > 0 and shares_init(config, configs[0]):
            first = lanes[0].trainer.network.params
            initial = {k: v.copy() for k, v in first.items() if k[0] in "Wb"}
        try:
            trainer = Trainer(config.to_core(), initial_params=initial)
        except ValueError as error:
            raise FieldError(f"lanes.{index}" if len(configs) > 1 else None, str(error)) from None
        lanes.append(TrainingLane(index, label, trainer, Pictures(trainer)))
    return lanes
