"""The course's planar-flower results, reproduced by the core."""

import numpy as np
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


def course_planar_dataset() -> list[list[float]]:
    """load_planar_dataset() of the course's assignment, with its legacy generator (seed 1)."""
    legacy = np.random.RandomState(1)  # the course's np.random.seed(1); only in this test
    m, a = 400, 4
    N = m // 2
    X, Y = np.zeros((m, 2)), np.zeros(m)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + legacy.randn(N) * 0.2
        r = a * np.sin(4 * t) + legacy.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return np.column_stack([X, Y]).tolist()


def course_run(client, hidden: list[int]) -> dict:
    """The course's network on its own data, uploaded as custom points over REST."""
    config = {
        "dataset": {"name": "custom", "points": course_planar_dataset()},
        "network": {"hidden": hidden, "activation": "tanh", "init": "random", "init_scale": 0.01},
        "optimizer": {"name": "gd", "learning_rate": 1.2},
        "seed": 0,
    }
    response = client.post("/api/train", json={"config": config, "iterations": 10_000})
    assert response.status_code == 200
    return response.json()["final"]


def test_the_courses_own_flower_data_uploaded_reaches_its_accuracy(client) -> None:
    final = course_run(client, [4])
    assert abs(final["accuracy_train"] - 0.9075) <= 0.03, final["accuracy_train"]
    logistic = course_run(client, [])
    assert logistic["accuracy_train"] < 0.60, logistic["accuracy_train"]
