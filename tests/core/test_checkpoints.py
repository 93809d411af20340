"""A checkpoint restored into a fresh Trainer continues bit for bit; a bad one is refused."""

import dataclasses

import numpy as np
import pytest

from core import (
    DatasetConfig,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
    Trainer,
)
from core.checkpoints import capture, restore
from core.optimizers import OPTIMIZERS


def config(optimizer: str) -> TrainConfig:
    """Mini-batches, dropout and L2: every piece of state matters."""
    return TrainConfig(
        dataset=DatasetConfig(name="moons", samples=300),
        network=NetworkConfig(hidden=(6, 4), activation="leaky_relu", learn_slope=True),
        optimizer=OptimizerConfig(name=optimizer, learning_rate=0.01, batch_size=64, decay=0.1),
        regularization=RegularizationConfig(l2=0.1, keep_prob=0.8),
    )


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_a_restored_trainer_continues_exactly_as_the_uninterrupted_one(optimizer):
    uninterrupted = Trainer(config(optimizer))
    uninterrupted.step(137, metrics=False)  # mid-epoch: 300 * 0.8 / 64 is not whole
    checkpoint = capture(uninterrupted)
    expected = uninterrupted.step(250, metrics=False).costs

    resumed = Trainer(config(optimizer))
    restore(resumed, checkpoint)
    assert (resumed.iteration, resumed.epoch) == (137, checkpoint.epoch)
    np.testing.assert_array_equal(resumed.step(250, metrics=False).costs, expected)
    np.testing.assert_array_equal(resumed.network.theta, uninterrupted.network.theta)
    assert resumed.metrics() == uninterrupted.metrics()


def test_a_checkpoint_is_a_copy_not_a_view():
    trainer = Trainer(config("adam"))
    trainer.step(10)
    checkpoint = capture(trainer)
    trainer.step(10)
    assert not np.array_equal(checkpoint.theta, trainer.network.theta)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"theta": np.zeros(3)}, "theta"),
        ({"theta": np.full(1, np.nan)}, "theta"),
        ({"buffers": {"theta": [np.zeros(2)]}}, "buffers.theta"),
        ({"buffers": {"W1": []}}, "buffers"),
        ({"iteration": -1}, "iteration"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"epoch_order": np.arange(5)}, "epoch_order"),
        ({"batches_left": 99}, "batches_left"),
        ({"batch_rng": {"bit_generator": "PCG64", "state": {}}}, "batch_rng"),
    ],
)
def test_a_checkpoint_that_does_not_fit_is_refused_and_changes_nothing(change, message):
    trainer = Trainer(config("adam"))
    trainer.step(20)
    good = capture(trainer)
    if "theta" in change and change["theta"].size == 1:
        change = {"theta": np.full_like(good.theta, np.nan)}
    before = trainer.network.theta.copy()
    with pytest.raises(ValueError, match=message):
        restore(trainer, dataclasses.replace(good, **change))
    np.testing.assert_array_equal(trainer.network.theta, before)
