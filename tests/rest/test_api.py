"""REST routes: health, page, options, dataset preview, scripted training runs and their errors."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core

ROOT = Path(__file__).resolve().parents[2]
FLOWER = {"dataset": {"name": "flower"}, "network": {"hidden": [4]}}


def test_healthz_says_ok_and_the_version(client):
    health = client.get("/healthz").json()
    assert health == {"status": "ok", "version": "0.1.0", "sweep_workers": health["sweep_workers"]}
    assert isinstance(health["sweep_workers"], int)  # live trial workers on this machine


def test_the_page_and_its_static_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "0.1.0" in page.text
    assert client.get("/static/js/shared/socket.js").status_code == 200


def test_options_list_every_registry_entry_with_its_hyperparameters(client):
    options = client.get("/api/options").json()
    for key, registry in [
        ("activations", core.ACTIVATIONS),
        ("initializers", core.INITIALIZERS),
        ("optimizers", core.OPTIMIZERS),
    ]:
        assert [entry["name"] for entry in options[key]] == list(registry)
        for entry in options[key]:
            expected = registry[entry["name"]].hyperparameters
            assert entry["hyperparameters"] == {k: h.as_dict() for k, h in expected.items()}
    assert [d["name"] for d in options["datasets"]] == list(core.DATASETS)
    assert [f["name"] for f in options["features"]] == list(core.FEATURES)
    assert [o["name"] for o in options["outputs"]] == list(core.PROBLEMS)
    adam = next(o for o in options["optimizers"] if o["name"] == "adam")
    assert set(adam["hyperparameters"]) == {"beta1", "beta2", "epsilon"}
    assert adam["learning_rate"] == core.OPTIMIZERS["adam"].learning_rate < 0.1  # not gd's 1.2
    assert options["limits"] == {
        "max_hidden_layers": 8, "max_neurons": 64, "max_samples": 2000,
        "max_iterations": 200000, "max_grid_resolution": 200, "max_message_bytes": 65536,
        "max_lanes": 4, "max_speed": 10000, "max_edit": 10000.0,
    }  # fmt: skip
    assert (
        options["defaults"]["optimizer"]["learning_rate"]
        == core.TrainConfig().optimizer.learning_rate
    )


def test_preview_returns_the_points_and_extent(client):
    body = {"dataset": {"name": "moons", "samples": 100, "test_fraction": 0.2}}
    preview = client.post("/api/datasets/preview", json=body).json()
    assert preview["problem"] == "classification"
    assert len(preview["train"]["x"]) == 80 and len(preview["test"]["y"]) == 20
    assert len(preview["train"]["x"][0]) == 2 and len(preview["extent"]) == 4


def test_preview_of_a_regression_dataset_needs_the_regression_output(client):
    ok = client.post("/api/datasets/preview", json={"dataset": {"name": "plane"}})
    assert ok.json()["problem"] == "regression"
    bad = client.post(
        "/api/datasets/preview", json={"dataset": {"name": "plane"}, "output": "classification"}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "output"


def test_train_reports_history_final_weights_and_boundary(client):
    body = {"config": FLOWER, "iterations": 250, "record_every": 100, "boundary_resolution": 7}
    run = client.post("/api/train", json=body).json()
    assert run["status"] == "done"
    assert [h["iteration"] for h in run["history"]] == [0, 100, 200, 250]
    assert run["history"][0]["cost_train"] == pytest.approx(0.6931, abs=1e-3)
    assert run["final"]["iteration"] == 250 and run["final"]["rmse_train"] is None
    assert run["final"]["cost_train"] == run["history"][-1]["cost_train"]
    assert [len(run["weights"]["W1"]), len(run["weights"]["W1"][0])] == [4, 2]
    assert run["boundary"]["resolution"] == 7 and len(run["boundary"]["values"]) == 7


def test_train_defaults_record_every_to_a_hundredth(client):
    run = client.post("/api/train", json={"config": FLOWER, "iterations": 300}).json()
    assert len(run["history"]) == 101 and run["boundary"] is None


def test_the_same_config_gives_the_same_numbers(client):
    body = {"config": {**FLOWER, "optimizer": {"name": "adam", "learning_rate": 0.01,
                                               "batch_size": 32}}, "iterations": 120}  # fmt: skip
    assert (
        client.post("/api/train", json=body).json() == client.post("/api/train", json=body).json()
    )


def test_a_run_continued_from_its_weights_matches_one_long_run(client):
    long = client.post("/api/train", json={"config": FLOWER, "iterations": 200}).json()
    half = client.post("/api/train", json={"config": FLOWER, "iterations": 100}).json()
    rest = client.post(
        "/api/train",
        json={"config": FLOWER, "iterations": 100, "initial_weights": half["weights"]},
    ).json()
    assert rest["weights"] == long["weights"]
    assert rest["final"]["cost_train"] == long["final"]["cost_train"]


def test_regression_reports_rmse(client):
    config = {"dataset": {"name": "plane"}, "network": {"output": "regression"}}
    final = client.post("/api/train", json={"config": config, "iterations": 50}).json()["final"]
    assert final["rmse_train"] > 0 and final["accuracy_train"] is None


def test_divergence_is_reported_not_raised(client):
    config = {"dataset": {"name": "plane"}, "network": {"output": "regression"},
              "optimizer": {"learning_rate": 90}}  # fmt: skip
    run = client.post("/api/train", json={"config": config, "iterations": 500}).json()
    assert run["status"] == "diverged"
    assert "learning rate" in run["message"] and run["final"]["iteration"] < 500


BAD_BODIES = [
    ({"config": {"network": {"hidden": [4] * 9}}}, "config.network.hidden", 8),
    ({"config": {"network": {"hidden": [65]}}}, "config.network.hidden.0", 64),
    ({"config": {"dataset": {"samples": 2001}}}, "config.dataset.samples", 2000),
    ({"iterations": 200_001}, "iterations", 200_000),
    ({"boundary_resolution": 201}, "boundary_resolution", 200),
    ({"config": {"optimizer": {"batch_size": 5000}}}, "config.optimizer.batch_size", 2000),
    ({"iterations": 20_004, "record_every": 2}, "record_every", 10_000),
]


@pytest.mark.parametrize(("body", "field", "limit"), BAD_BODIES)
def test_a_value_over_a_limit_is_a_422_naming_field_limit_and_value(client, body, field, limit):
    response = client.post("/api/train", json=body)
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    assert detail["field"] == field and detail["limit"] == limit
    assert detail["type"] == "limit_exceeded"
    assert str(limit) in detail["message"] and str(detail["value"]) in detail["message"]


INVALID = [
    ({"config": {"network": {"activation": "swish"}}}, "config.network.activation"),
    ({"config": {"optimizer": {"name": "sgd"}}}, "config.optimizer.name"),
    ({"config": {"optimizer": {"learning_rate": -1}}}, "config.optimizer.learning_rate"),
    ({"config": {"optimizer": {"beta2": 1.5}}}, "config.optimizer.beta2"),
    ({"config": {"regularization": {"keep_prob": 0}}}, "config.regularization.keep_prob"),
    ({"config": {"features": []}}, "config.features"),
    ({"config": {"features": ["x3"]}}, "config.features.0"),
    ({"config": {"dataset": {"name": "plane"}}}, "config.network.output"),
    ({"config": {"dataset": {"samples": 1}}}, "config.dataset.samples"),
    ({"config": {"network": {"hidden": [0]}}}, "config.network.hidden.0"),
    ({"config": {"network": {"hidden": "4"}}}, "config.network.hidden"),
    ({"config": {"optimiser": {}}}, "config.optimiser"),
    ({"iterations": -5}, "iterations"),
    ({"record_every": 0}, "record_every"),
    ({"initial_weights": {"W1": [[1.0, 2.0]]}}, "initial_weights.W1"),
    ({"initial_weights": {"W7": [[1.0]]}}, "initial_weights.W7"),
    ({"initial_weights": {"W1": [[1, 2], [3]] * 2}}, "initial_weights.W1"),
]


@pytest.mark.parametrize(("body", "field"), INVALID)
def test_an_invalid_value_is_a_422_naming_the_field(client, body, field):
    response = client.post("/api/train", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == field
    assert detail["message"].startswith(field + ": ")
    assert "loc" in detail and "msg" in detail


@pytest.mark.parametrize("text", ["{", "[]", '{"iterations": NaN}', '{"iterations": 1e999}', ""])
def test_malformed_json_is_a_422_not_a_500(client, text):
    response = client.post("/api/train", content=text, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert all("message" in d for d in response.json()["detail"])


SCALARS = st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(-1e3, 1e3)
JSON = st.recursive(
    SCALARS | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
SECTIONS = {
    "dataset": ["name", "samples", "noise", "test_fraction", "seed", "factor"],
    "network": ["hidden", "activation", "output", "init", "init_scale", "leaky_slope"],
    "optimizer": ["name", "learning_rate", "batch_size", "beta", "beta2", "epsilon", "decay"],
    "regularization": ["l2", "keep_prob"],
}
CONFIGS = st.fixed_dictionaries(
    {},
    optional={
        section: st.dictionaries(st.sampled_from(keys), JSON, max_size=3)
        for section, keys in SECTIONS.items()
    }
    | {"features": JSON, "seed": JSON},
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(config=CONFIGS, iterations=st.integers(-1, 20))
def test_no_input_yields_a_500(client, config, iterations):
    response = client.post(
        "/api/train", json={"config": config, "iterations": iterations, "boundary_resolution": 3}
    )
    assert response.status_code in (200, 422), response.text


def test_train_config_defaults_mirror_core():
    from app.wire.config import TrainConfig

    assert TrainConfig().to_core() == core.TrainConfig()
    assert {f.name for f in dataclasses.fields(core.TrainConfig)} == set(TrainConfig.model_fields)


def test_the_openapi_schema_carries_the_flower_lesson(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/train"]["post"]["requestBody"]["content"]["application/json"]
    example = body["examples"]["flower"]["value"]
    assert example["iterations"] == 10000
    course = {"hidden": [4], "activation": "tanh", "init": "random", "init_scale": 0.01}
    assert course.items() <= example["config"]["network"].items()
    assert example["config"]["optimizer"]["learning_rate"] == 1.2


def test_the_scripted_runs_example_runs_as_written(live_server):
    text = (ROOT / "README.md").read_text().split("## Scripted runs", 1)[1]
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    assert "http://127.0.0.1:8000" in code
    code = code.replace("http://127.0.0.1:8000", live_server)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("done trained 10000 iterations")
    accuracy = float(re.search(r"training accuracy ([\d.]+)", result.stdout).group(1))
    assert accuracy > 0.85
