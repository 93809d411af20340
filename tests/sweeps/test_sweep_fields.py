"""A sweep takes what POST /api/train takes: initial weights, epochs, record_every; seed lists
vary the training seed; the trials' numbers are /api/train's."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.sweeps.request import SweepRequest, check_sweep
from tests.sweeps.test_sweeps import run_in_process

WEIGHTS = {"W1": [[0.5, -0.3], [0.2, 0.8]], "b1": [[0.0], [0.1]], "W2": [[1.0, -1.0]],
           "b2": [[0.2]]}  # fmt: skip
CONFIG = {"dataset": {"name": "moons", "samples": 60, "test_fraction": 0.2},
          "network": {"hidden": [2]}, "optimizer": {"batch_size": 16}}  # fmt: skip


@pytest.fixture
def sweeps(tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient whose sweeps live in a fresh SQLite file (no worker runs them)."""
    with TestClient(create_app(Settings(data_dir=str(tmp_path)))) as test_client:
        yield test_client


def checked(body: dict) -> SweepRequest:
    """The request as POST /api/sweeps reads and checks it."""
    request = SweepRequest.model_validate(body)
    check_sweep(request, Settings())
    return request


def test_trials_start_from_the_initial_weights_and_count_epochs_like_train(tmp_path, sweeps):
    space = {"optimizer.learning_rate": {"choices": [0.1, 0.5]}}
    body = {"config": CONFIG, "space": space, "trials": 2, "sampler": "grid", "epochs": 5,
            "record_every": 4, "initial_weights": WEIGHTS, "boundary_resolution": 20}  # fmt: skip
    request = checked(body)
    assert request.iterations == 5 * 3  # 48 training points in batches of 16
    view = run_in_process(tmp_path, request)
    for trial in view["trials"]:
        config = {**CONFIG, "optimizer": {**CONFIG["optimizer"], "learning_rate":
                                          trial["params"]["optimizer.learning_rate"]}}  # fmt: skip
        train = {"config": config, "epochs": 5, "initial_weights": WEIGHTS, "record_every": 4}
        run = sweeps.post("/api/train", json={**train, "boundary_resolution": 20}).json()
        assert trial["history"] == run["history"]
        grid = trial["boundary"]
        assert grid["resolution"] == 20 and grid["range"] == [0, 1]
        quantised = np.frombuffer(zlib.decompress(base64.b64decode(grid["data"])), np.uint8)
        exact = np.array(run["boundary"]["values"]).ravel()
        assert np.abs(quantised / 255 - exact).max() <= 0.5 / 255 + 1e-12
        assert trial["value"] == run["final"]["cost_train"]
        assert (
            run["history"][0]["cost_train"]
            == sweeps.post("/api/train", json={**train, "epochs": 0}).json()["final"]["cost_train"]
        )


def test_a_seed_list_runs_the_config_once_per_training_seed(tmp_path):
    body = {"config": CONFIG, "space": {"seed": {"choices": [0, 1, 2]}}, "sampler": "grid",
            "trials": 3, "iterations": 20}  # fmt: skip
    view = run_in_process(tmp_path, checked(body))
    assert sorted(t["params"]["seed"] for t in view["trials"]) == [0, 1, 2]
    assert len({t["value"] for t in view["trials"]}) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"initial_weights": {"W1": [[1.0]]}}, "initial_weights.W1"),
        ({"initial_weights": WEIGHTS, "space": {"network.hidden": {"choices": [[2], [3]]}},
          "trials": 2}, "space.network.hidden"),
        ({"epochs": 2, "iterations": 10}, "epochs"),
        ({"epochs": 2, "space": {"optimizer.batch_size": {"choices": [8, 16]}}, "trials": 2},
         "space.optimizer.batch_size"),
        ({"epochs": 100_000}, "epochs"),
        ({"record_every": 1, "iterations": 20_000}, "record_every"),
        ({"boundary_resolution": 201}, "boundary_resolution"),
    ],
)  # fmt: skip
def test_a_bad_field_is_a_422_naming_it(sweeps, body, field):
    response = sweeps.post("/api/sweeps", json={"config": CONFIG, **body})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field
