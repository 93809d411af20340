"""What a researcher's script leans on: fixed test sets, epochs, POST /api/gradcheck, the
order of custom points, and sweeps on custom points that maximise an accuracy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.wire.config import TrainConfig
from core import Trainer, gradient_check_report
from core.course_data import course_circles

# Two clusters of custom points; labels alternate so any permutation would show.
RNG = np.random.default_rng(5)
CENTRES = np.where(np.arange(40) % 2 == 0, -1.5, 1.5)
POINTS = [
    [round(float(c + RNG.normal(0, 0.6)), 4), round(float(c + RNG.normal(0, 0.6)), 4), i % 2]
    for i, c in enumerate(CENTRES)
]
TEST_POINTS = [[-1.5, -1.2, 0], [1.4, 1.6, 1], [-0.2, 0.1, 0], [2.0, 1.0, 1], [0.3, 0.4, 1]]
CUSTOM = {"dataset": {"name": "custom", "points": POINTS}, "network": {"hidden": [3]}}


def with_dataset(**fields: object) -> dict:
    """The custom config with dataset fields changed."""
    return {**CUSTOM, "dataset": {**CUSTOM["dataset"], **fields}}


def detail(response) -> dict:
    """The first entry of a 422's detail."""
    assert response.status_code == 422, response.text
    return response.json()["detail"][0]


def test_test_points_are_the_test_set_and_every_history_entry_measures_them(client):
    config = with_dataset(test_points=TEST_POINTS)
    body = {"config": config, "iterations": 200, "record_every": 50}
    run = client.post("/api/train", json=body).json()
    assert [h["iteration"] for h in run["history"]] == [0, 50, 100, 150, 200]
    trainer = Trainer(TrainConfig.model_validate(config).to_core())
    for entry in run["history"]:
        trainer.step(entry["iteration"] - trainer.iteration, metrics=False)
        expected = trainer.metrics()
        assert entry["accuracy_test"] == expected.accuracy_test
        assert entry["cost_test"] == expected.cost_test
    assert run["final"]["confusion"]["test"]["matrix"] is not None
    assert sum(map(sum, run["final"]["confusion"]["test"]["matrix"])) == len(TEST_POINTS)
    preview = client.post("/api/datasets/preview", json={"dataset": config["dataset"]}).json()
    assert preview["train"]["x"] == [p[:2] for p in POINTS]  # every point is trained on
    assert preview["test"]["x"] == [p[:2] for p in TEST_POINTS]


def test_test_points_on_training_points_give_test_figures_equal_to_the_training_loss(client):
    body = {"config": with_dataset(test_points=POINTS), "iterations": 100, "record_every": 25}
    for entry in client.post("/api/train", json=body).json()["history"]:
        assert entry["accuracy_test"] == entry["accuracy_train"]
        assert entry["cost_test"] == pytest.approx(entry["loss_train"], rel=1e-12)


def test_a_built_in_dataset_takes_test_points_too(client):
    config = {"dataset": {"name": "moons", "samples": 100, "test_points": TEST_POINTS}}
    final = client.post("/api/train", json={"config": config, "iterations": 10}).json()["final"]
    assert final["accuracy_test"] is not None
    assert final["accuracy_test"] * len(TEST_POINTS) == pytest.approx(
        round(final["accuracy_test"] * len(TEST_POINTS))
    )


def test_the_course_circles_bring_their_own_test_set_measured_during_training(client):
    config = {"dataset": {"name": "course_circles"}, "network": {"hidden": [10, 5]}}
    preview = client.post("/api/datasets/preview", json={"dataset": config["dataset"]}).json()
    X_train, _, X_test, _ = course_circles()
    assert preview["test"]["x"] == X_test.T.tolist() and preview["train"]["x"] == X_train.T.tolist()
    run = client.post("/api/train", json={"config": config, "iterations": 20}).json()
    assert all(entry["accuracy_test"] is not None for entry in run["history"])


@pytest.mark.parametrize(
    ("config", "field", "words"),
    [
        (with_dataset(test_points=TEST_POINTS, test_fraction=0.2),
         "dataset.test_points", "not both"),
        ({"dataset": {"name": "course_circles", "test_points": TEST_POINTS}},
         "dataset.test_points", "its own test set"),
        (with_dataset(test_points=[[0, 0, 0], [1, 1, 2]]), "dataset.test_points.1.2", "0 to 1"),
        (with_dataset(test_points=[[0, 0]]), "dataset.test_points.0", "at least 3"),
    ],
)  # fmt: skip
def test_bad_test_points_are_a_422_naming_the_field(client, config, field, words):
    entry = detail(client.post("/api/train", json={"config": config, "iterations": 1}))
    assert entry["field"] == f"config.{field}" and words in entry["message"], entry


def test_epochs_count_ceil_m_over_batch_updates_keeping_the_last_partial_batch(client):
    config = {**with_dataset(test_fraction=0.25), "optimizer": {"batch_size": 8}}
    # 40 points, 10 for testing: 30 to train on, batches of 8, 8, 8 and 6
    by_epochs = client.post("/api/train", json={"config": config, "epochs": 3}).json()
    assert by_epochs["final"]["iteration"] == 3 * math.ceil(30 / 8) == 12
    assert by_epochs["final"]["epoch"] == 3
    by_iterations = client.post("/api/train", json={"config": config, "iterations": 12}).json()
    assert by_epochs["final"] == by_iterations["final"]
    assert by_epochs["weights"] == by_iterations["weights"]


def test_an_epoch_of_batch_gradient_descent_is_one_update(client):
    run = client.post("/api/train", json={"config": CUSTOM, "epochs": 7}).json()
    assert run["final"]["iteration"] == run["final"]["epoch"] == 7


def test_epochs_and_iterations_together_are_a_422_on_epochs(client):
    body = {"config": CUSTOM, "epochs": 2, "iterations": 10}
    assert detail(client.post("/api/train", json=body))["field"] == "epochs"
    body = {"config": {"optimizer": {"batch_size": 1}}, "epochs": 1000}  # 400 updates an epoch
    entry = detail(client.post("/api/train", json=body))
    assert entry["field"] == "epochs" and entry["value"] == 400_000


def test_gradcheck_answers_the_course_check_of_the_trained_network_per_parameter(client):
    config = {**CUSTOM, "optimizer": {"name": "adam", "learning_rate": 0.01}}
    body = {"config": config, "iterations": 30, "epsilon": 1e-6, "examples": 25}
    report = client.post("/api/gradcheck", json=body).json()
    trainer = Trainer(TrainConfig.model_validate(config).to_core())
    trainer.step(30, metrics=False)
    X, Y = trainer.X_train[:, :25], trainer.Y_train[:, :25]
    expected = gradient_check_report(trainer.network, X, Y, epsilon=1e-6)
    assert report["difference"] == expected.difference < 1e-7
    assert report["per_parameter"] == expected.per_parameter
    assert report["verdict"] == "correct" and report["examples"] == 25
    assert report["epsilon"] == 1e-6 and report["iteration"] == 30
    assert [(row["name"], row["shape"]) for row in report["parameters"]] == [
        ("W1", [3, 2]), ("b1", [3, 1]), ("W2", [1, 3]), ("b2", [1, 1])
    ]  # fmt: skip
    assert [row["difference"] for row in report["parameters"]] == list(
        expected.per_parameter.values()
    )


def test_gradcheck_checks_given_weights_on_the_first_examples_in_the_points_order(client):
    weights = {"W1": [[0.5, -0.3], [0.2, 0.8], [-0.7, 0.1]], "b1": [[0.0], [0.1], [-0.1]],
               "W2": [[1.0, -1.0, 0.5]], "b2": [[0.2]]}  # fmt: skip
    body = {"config": CUSTOM, "initial_weights": weights, "examples": 4, "epsilon": 1e-4}
    report = client.post("/api/gradcheck", json=body).json()
    trainer = Trainer(TrainConfig.model_validate(CUSTOM).to_core())
    for name, value in weights.items():
        trainer.network.params[name][...] = value
    first = np.array(POINTS[:4], dtype=float).T
    expected = gradient_check_report(trainer.network, first[:2], first[2:], epsilon=1e-4)
    assert report["difference"] == expected.difference and report["iteration"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"epsilon": 0}, "epsilon"),
        ({"epsilon": 0.5}, "epsilon"),
        ({"examples": 101}, "examples"),
        ({"config": {"network": {"hidden": [64, 64, 64]}}}, "config.network.hidden"),
        ({"iterations": 200_001}, "iterations"),
        ({"initial_weights": {"W1": [[1.0]]}}, "initial_weights.W1"),
    ],
)
def test_a_bad_gradcheck_is_a_422_naming_the_field(client, body, field):
    assert detail(client.post("/api/gradcheck", json=body))["field"] == field


def test_custom_points_keep_their_order_in_the_training_set_the_test_set_and_the_csv(client):
    preview = client.post("/api/datasets/preview", json={"dataset": CUSTOM["dataset"]}).json()
    assert preview["train"]["x"] == [p[:2] for p in POINTS]
    assert preview["train"]["y"] == [p[2] for p in POINTS]
    split = {**CUSTOM["dataset"], "test_fraction": 0.3, "seed": 4}
    preview = client.post("/api/datasets/preview", json={"dataset": split}).json()
    train, test = preview["train"]["x"], preview["test"]["x"]
    assert len(test) == 12 and sorted(train + test) == sorted(p[:2] for p in POINTS)
    indices = [[p[:2] for p in POINTS].index(x) for x in (train, test) for x in x]
    assert indices[:28] == sorted(indices[:28]) and indices[28:] == sorted(indices[28:])


def test_a_sweep_on_custom_points_may_maximise_training_accuracy(client, tmp_path):
    body = {"config": CUSTOM, "space": {}, "trials": 1, "iterations": 10,
            "objective": "accuracy_train"}  # fmt: skip
    response = client.post("/api/sweeps", json=body)
    assert response.status_code == 202, response.text
    body = {**body, "config": with_dataset(test_points=TEST_POINTS), "objective": "accuracy_test"}
    assert client.post("/api/sweeps", json=body).status_code == 202
    regression = {"dataset": {"name": "custom", "points": [[0, 0, 0.5], [1, 1, 0.2]]},
                  "network": {"output": "regression"}}  # fmt: skip
    entry = detail(client.post("/api/sweeps", json={**body, "config": regression}))
    assert entry["field"] == "objective" and "use a cost" in entry["message"]
