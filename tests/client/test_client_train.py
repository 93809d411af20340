"""Client.train and the REST helpers against a live server: the same numbers as a direct
POST, bad inputs named by field, configs filled from the server's defaults."""

from __future__ import annotations

import descent
import httpx
import numpy as np
import pytest

FLOWER = {
    "dataset": {"name": "flower", "samples": 200, "noise": 0.2, "test_fraction": 0.2},
    "network": {"hidden": [4], "activation": "tanh"},
    "optimizer": {"name": "gd", "learning_rate": 1.2},
    "seed": 3,
}


def test_train_returns_the_numbers_of_a_direct_post_bit_for_bit(
    remote: descent.Client, live_server: str
):
    run = remote.train(FLOWER, iterations=300, record_every=50, boundary_resolution=20)
    body = {"config": FLOWER, "iterations": 300, "record_every": 50, "boundary_resolution": 20}
    direct = httpx.post(f"{live_server}/api/train", json=body, timeout=120).json()
    assert run.raw == direct
    assert run.status == "done" and run.message == direct["message"]
    assert run.history == direct["history"]
    assert [h["iteration"] for h in run.history] == [0, 50, 100, 150, 200, 250, 300]
    assert run.final == direct["final"] and run.iterations == 300
    assert run.weights["W1"].shape == (4, 2) and run.weights["b2"].shape == (1, 1)
    assert np.array_equal(run.weights["W1"], np.array(direct["weights"]["W1"]))
    assert run.boundary is not None and run.boundary["values"].shape == (20, 20)


def test_a_run_goes_on_from_a_previous_runs_weights(remote: descent.Client):
    whole = remote.train(FLOWER, iterations=200)
    first = remote.train(FLOWER, iterations=100)
    # gd on the whole batch has no other state: 100 + 100 from the weights is the 200-run
    second = remote.train(FLOWER, iterations=100, initial_weights=first)
    again = remote.train(FLOWER, iterations=100, initial_weights=first.weights)
    assert second.final["cost_train"] == again.final["cost_train"]
    assert second.final["cost_train"] == pytest.approx(whole.final["cost_train"], rel=1e-12)


def test_a_bad_config_raises_a_validation_error_naming_the_field(remote: descent.Client):
    with pytest.raises(descent.ValidationError) as caught:
        remote.train({"network": {"hidden": "four"}}, iterations=10)
    error = caught.value
    assert isinstance(error, descent.DescentError) and error.status == 422
    assert error.field is not None and error.field.startswith("config.network.hidden")
    assert "config.network.hidden" in str(error)
    assert all("message" in entry for entry in error.errors)


def test_a_value_over_a_limit_names_the_field_and_the_limit(remote: descent.Client):
    with pytest.raises(descent.ValidationError) as caught:
        remote.train({"network": {"hidden": [100]}}, iterations=10)
    (entry,) = caught.value.errors
    assert entry["field"] == "config.network.hidden.0" and entry["limit"] == 64
    assert caught.value.fields == ["config.network.hidden.0"]


def test_a_misspelt_field_is_refused_not_ignored(remote: descent.Client):
    with pytest.raises(descent.ValidationError) as caught:
        remote.train({"optimizer": {"learning_rat": 0.1}}, iterations=10)
    assert caught.value.field == "config.optimizer.learning_rat"


def test_epochs_train_whole_passes_and_equal_their_iterations(remote: descent.Client):
    config = {**FLOWER, "optimizer": {"batch_size": 64}}  # 160 training points: 3 batches
    by_epochs = remote.train(config, epochs=2)
    assert by_epochs.final["epoch"] == 2 and by_epochs.iterations == 6
    assert by_epochs.final == remote.train(config, iterations=6).final
    with pytest.raises(descent.ValidationError) as caught:
        remote.train(config, iterations=6, epochs=2)
    assert caught.value.field == "epochs"


def test_test_points_from_arrays_are_the_test_set_in_their_order(remote: descent.Client):
    X = np.array([[0.0, 1.0, -1.0, 2.0], [0.5, -0.5, 1.5, 0.0]])  # the course's (2, m)
    y = np.array([[1, 0, 1, 0]])
    test_points = descent.points(X, y)
    assert test_points == [[0.0, 0.5, 1.0], [1.0, -0.5, 0.0], [-1.0, 1.5, 1.0], [2.0, 0.0, 0.0]]
    assert descent.points(X.T, y[0]) == test_points
    config = {**FLOWER, "dataset": {**FLOWER["dataset"], "test_fraction": 0.0,
                                    "test_points": test_points}}  # fmt: skip
    assert remote.preview(config["dataset"])["test"]["x"] == [p[:2] for p in test_points]
    run = remote.train(config, iterations=50, record_every=10)
    assert all(entry["accuracy_test"] in (0, 0.25, 0.5, 0.75, 1) for entry in run.history)


def test_config_fills_the_servers_defaults_with_nested_dotted_and_keyword_changes(
    remote: descent.Client,
):
    defaults = remote.defaults()
    assert defaults == remote.options()["defaults"]
    config = remote.config(
        {"network": {"hidden": [8, 4]}},
        {"optimizer.learning_rate": 0.05},
        optimizer__name="adam",
        seed=7,
    )
    assert config["network"]["hidden"] == [8, 4]
    assert config["network"]["activation"] == defaults["network"]["activation"]
    assert config["optimizer"]["learning_rate"] == 0.05 and config["optimizer"]["name"] == "adam"
    assert config["optimizer"]["beta1"] == defaults["optimizer"]["beta1"] and config["seed"] == 7
    assert remote.defaults() == defaults  # the cached options were not changed by merging
    # a complete config trains exactly as the partial one the server completes itself
    partial = {"network": {"hidden": [3]}, "seed": 1}
    full = remote.train(remote.config(partial), iterations=50)
    assert full.final == remote.train(partial, iterations=50).final


def test_numpy_weights_and_values_are_sent_as_json(remote: descent.Client):
    run = remote.train(FLOWER, iterations=20)
    config = remote.config(FLOWER, seed=np.int64(3))
    again = remote.train(config, iterations=20)
    assert again.final == run.final


def test_to_pandas_or_a_clear_import_error(remote: descent.Client):
    run = remote.train(FLOWER, iterations=100)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            run.to_pandas()
    else:
        table = run.to_pandas()
        assert list(table.index) == [h["iteration"] for h in run.history]


def test_options_lessons_preview_and_csv(remote: descent.Client):
    options = remote.options()
    assert "adam" in [o["name"] for o in options["optimizers"]]
    lessons = remote.lessons()
    assert "planar-flower" in [lesson["name"] for lesson in lessons]
    preview = remote.preview({"name": "moons", "samples": 100, "test_fraction": 0.2})
    assert len(preview["train"]["x"]) == 80 and len(preview["test"]["x"]) == 20
    assert remote.preview("spiral")["problem"] == "classification"
    parsed = remote.parse_csv("x1,x2,label\n0,0,cat\n1,1,dog\n2,0,cat\n")
    assert parsed["points"] == [[0, 0, 0], [1, 1, 1], [2, 0, 0]]
    assert parsed["legend"] == ["cat", "dog"]
    with pytest.raises(descent.ValidationError) as caught:
        remote.parse_csv("x1,x2,label\n0,abc,1\n")
    assert caught.value.field == "text" and "line 2" in str(caught.value)
    run = remote.train({"dataset": {"name": "custom", "points": parsed["points"]}}, 10)
    assert run.status == "done"


def test_landscape_answers_the_plane_of_the_trained_weights(remote: descent.Client):
    plane = remote.landscape(FLOWER, iterations=200, resolution=11, points=20)
    assert len(plane["cost"]) == 11 and len(plane["axes"]["alpha"]) == 11
    assert plane["path"][-1]["iteration"] == 200
    with pytest.raises(descent.ValidationError) as caught:
        remote.landscape(FLOWER, iterations=10, resolution=500)
    assert caught.value.field == "resolution"


def test_gradient_check_runs_the_course_check_over_rest(remote: descent.Client):
    run = remote.train(FLOWER, iterations=100)
    report = remote.gradient_check(FLOWER, initial_weights=run, epsilon=1e-7, examples=50)
    assert report["verdict"] == "correct" and report["difference"] < 1e-7
    assert report["examples"] == 50 and report["epsilon"] == 1e-7
    assert [row["name"] for row in report["parameters"]] == ["W1", "b1", "W2", "b2"]
    trained = remote.gradient_check(FLOWER, iterations=100, examples=50)
    assert trained["per_parameter"] == report["per_parameter"]  # the same weights either way
    with pytest.raises(descent.ValidationError) as caught:
        remote.gradient_check(FLOWER, epsilon=-1)
    assert caught.value.field == "epsilon"


def test_an_unknown_sweep_is_a_descent_error_with_its_status(remote: descent.Client):
    with pytest.raises(descent.DescentError) as caught:
        remote.get_sweep("nosuchsweep")
    assert caught.value.status == 404 and "no sweep" in str(caught.value)


def test_a_server_that_is_not_there_is_a_descent_error():
    with (
        descent.Client("http://127.0.0.1:9", timeout=5) as client,
        pytest.raises(descent.DescentError, match="cannot reach"),
    ):
        client.options()


def test_a_token_is_sent_as_a_bearer_header():
    from tests.servers import served

    with served(settings={"DESCENT_TOKEN": "s3cret"}) as (base, _):
        with descent.Client(base) as anonymous, pytest.raises(descent.DescentError) as caught:
            anonymous.options()
        assert caught.value.status == 401
        with descent.Client(base, token="s3cret") as client:
            assert client.train(FLOWER, iterations=5).status == "done"
            frames = list(client.stream(FLOWER, iterations=5))
            assert frames[-1].iteration == 5
