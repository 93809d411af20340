"""The course's planar-flower results, reproduced by the core."""

import pytest

from core import NetworkConfig, TrainConfig, Trainer


def test_logistic_regression_cannot_separate_the_flower() -> None:
    trainer = Trainer(TrainConfig(network=NetworkConfig(hidden=())))
    assert trainer.step(2000).metrics.accuracy_train <= 0.60


@pytest.mark.slow
def test_four_tanh_units_reach_the_courses_accuracy_for_most_seeds() -> None:
    accuracies = [
        Trainer(TrainConfig(seed=seed)).step(10_000).metrics.accuracy_train for seed in range(5)
    ]
    assert sum(a >= 0.88 for a in accuracies) >= 4, accuracies
