"""Numbers that are right (issue 11): J with its penalty beside the plain loss, the test cost
without any penalty, L1 in J, and learned leaky slopes kept in [0, 1]."""

import numpy as np
import pytest

from core import (
    DatasetConfig,
    Network,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
    Trainer,
)
from core.losses import OUTPUTS


def test_the_test_cost_is_the_plain_loss_and_j_is_the_loss_plus_the_penalty():
    config = TrainConfig(
        dataset=DatasetConfig(name="flower", test_fraction=0.3),
        network=NetworkConfig(hidden=(8,)),
        regularization=RegularizationConfig(l2=0.7, l1=0.1),
    )
    trainer = Trainer(config)
    metrics = trainer.step(300).metrics
    network = trainer.network
    output = OUTPUTS["classification"]
    Z_test = network.last_z(trainer.X_test)
    plain_test = output.loss(Z_test, output.activation(Z_test), trainer.Y_test)
    Z_train = network.last_z(trainer.X_train)
    plain_train = output.loss(Z_train, output.activation(Z_train), trainer.Y_train)
    m = trainer.Y_train.shape[1]
    assert metrics.cost_test == pytest.approx(plain_test, rel=1e-12)
    assert metrics.loss_train == pytest.approx(plain_train, rel=1e-12)
    assert metrics.cost_train == pytest.approx(plain_train + network.penalty(m), rel=1e-12)
    assert network.penalty(m) > 0.01


def test_l1_adds_lambda1_over_m_times_the_sum_of_absolute_weights():
    net = Network([2, 3, 1], l1=0.5, seed=1)
    X = np.random.default_rng(0).standard_normal((2, 10))
    Y = (X[:1] > 0).astype(float)
    plain = Network([2, 3, 1], seed=1)
    absolute = sum(np.abs(net.params[f"W{l}"]).sum() for l in (1, 2))
    assert net.cost(X, Y) == pytest.approx(plain.cost(X, Y) + 0.5 / 10 * absolute, rel=1e-12)


def test_a_learned_leaky_slope_stays_in_zero_to_one():
    # unprojected, this run drives a slope to about -1.29 (measured)
    config = TrainConfig(
        dataset=DatasetConfig(name="moons", samples=200),
        network=NetworkConfig(hidden=(8, 8), activation="leaky_relu", learn_slope=True, init="he"),
        optimizer=OptimizerConfig(name="adam", learning_rate=0.05),
    )
    trainer = Trainer(config)
    lowest = highest = 0.01
    for _ in range(40):
        trainer.step(50, metrics=False)
        slopes = [trainer.network.slope(l) for l in (1, 2)]
        lowest, highest = min(lowest, *slopes), max(highest, *slopes)
    assert lowest >= 0.0 and highest <= 1.0
    assert lowest == 0.0, "the projection was exercised"
