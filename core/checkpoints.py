"""Checkpoints: everything a Trainer needs to go on exactly where it was, as plain data.

Runs are deterministic, so a checkpoint (parameters, optimizer buffers and counters, the
generators' states, iteration, epoch and the position in the epoch's shuffle) restored into
a Trainer built from the same config continues bit for bit as if nothing had happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.training import Trainer

Array = np.ndarray


@dataclass(frozen=True)
class Checkpoint:
    """A trainer's state: theta, optimizer buffers and counters, generators, position, and
    batch norm's running averages."""

    iteration: int
    epoch: int
    theta: Array
    optimizer_t: int
    learning_rate: float
    base_learning_rate: float
    buffers: dict[str, list[Array]]
    batch_rng: dict[str, Any]
    dropout_rng: dict[str, Any]
    epoch_order: Array | None
    batches_left: int
    running: Array | None = None  # batch norm's running averages (None without batch norm)


def capture(trainer: Trainer) -> Checkpoint:
    """The trainer's state now (copies: the trainer may go on training)."""
    optimizer = trainer.optimizer
    return Checkpoint(
        iteration=trainer.iteration,
        epoch=trainer.epoch,
        theta=trainer.network.theta.copy(),
        optimizer_t=optimizer.t,
        learning_rate=optimizer.learning_rate,
        base_learning_rate=optimizer.base_learning_rate,
        buffers={k: [b.copy() for b in v] for k, v in optimizer.state.items()},
        batch_rng=trainer.batch_rng.bit_generator.state,
        dropout_rng=trainer.network.rng.bit_generator.state,
        epoch_order=None if trainer.epoch_order is None else trainer.epoch_order.copy(),
        batches_left=trainer.batches_left,
        running=None if trainer.network.running is None else trainer.network.running.copy(),
    )


def restore(trainer: Trainer, checkpoint: Checkpoint) -> None:
    """Put a checkpoint into a trainer of the same config; ValueError naming what does not
    fit (the trainer is left as it was)."""
    check(trainer, checkpoint)
    optimizer = trainer.optimizer
    trainer.network.theta[...] = checkpoint.theta
    trainer.previous_theta[...] = checkpoint.theta  # no update since the restore
    if trainer.network.running is not None and checkpoint.running is not None:
        trainer.network.running[...] = checkpoint.running
    optimizer.t = checkpoint.optimizer_t
    optimizer.learning_rate = checkpoint.learning_rate
    optimizer.base_learning_rate = checkpoint.base_learning_rate
    optimizer.state = {k: [b.copy() for b in v] for k, v in checkpoint.buffers.items()}
    trainer.batch_rng.bit_generator.state = checkpoint.batch_rng
    trainer.network.rng.bit_generator.state = checkpoint.dropout_rng
    trainer.resume_epoch(checkpoint.epoch_order, checkpoint.batches_left)
    trainer.iteration, trainer.epoch = checkpoint.iteration, checkpoint.epoch
    trainer.diverged = None


def check(trainer: Trainer, checkpoint: Checkpoint) -> None:
    """ValueError unless the checkpoint fits this trainer's shapes and is finite and sane."""
    size = trainer.network.theta.size
    if checkpoint.theta.shape != (size,):
        raise ValueError(f"theta: {checkpoint.theta.size} numbers, this network has {size}")
    if not np.isfinite(checkpoint.theta).all():
        raise ValueError("theta: not finite")
    running = trainer.network.running
    if checkpoint.running is not None and (
        running is None
        or checkpoint.running.shape != running.shape
        or not np.isfinite(checkpoint.running).all()
    ):
        raise ValueError(
            f"running: must be {0 if running is None else running.size} finite numbers"
        )
    count = trainer.optimizer.buffer_count
    if count and checkpoint.optimizer_t and "theta" not in checkpoint.buffers:
        raise ValueError(f"buffers: this optimizer keeps {count} buffers of theta")
    for name, buffers in checkpoint.buffers.items():
        if name != "theta" or len(buffers) != count:
            raise ValueError(f"buffers.{name}: this optimizer keeps {count} buffers of theta")
        for buffer in buffers:
            if buffer.shape != (size,) or not np.isfinite(buffer).all():
                raise ValueError(f"buffers.{name}: must be {size} finite numbers")
    if min(checkpoint.iteration, checkpoint.epoch, checkpoint.optimizer_t) < 0:
        raise ValueError("iteration, epoch and optimizer_t must be >= 0")
    rates = (checkpoint.learning_rate, checkpoint.base_learning_rate)
    if not all(np.isfinite(rates)) or min(rates) <= 0:
        raise ValueError("learning_rate: must be a positive number")
    check_order(trainer, checkpoint.epoch_order, checkpoint.batches_left)
    for name, state in (
        ("batch_rng", checkpoint.batch_rng),
        ("dropout_rng", checkpoint.dropout_rng),
    ):
        try:
            np.random.PCG64().state = state
        except (TypeError, ValueError, KeyError) as error:
            raise ValueError(f"{name}: not a PCG64 state ({error})") from None


def check_order(trainer: Trainer, order: Array | None, batches_left: int) -> None:
    """The epoch's shuffle is a permutation of the training examples; its position fits."""
    m = trainer.X_train.shape[1]
    if order is not None and (
        order.dtype.kind != "i" or not np.array_equal(np.sort(order), np.arange(m))
    ):
        raise ValueError(f"epoch_order: must be a permutation of the {m} training examples")
    batches = len(trainer.batches_of(order))
    if not 0 <= batches_left <= batches:
        raise ValueError(f"batches_left: must be between 0 and {batches}")
