"""K classes and custom points over REST: training, previews, CSV routes and every rejection."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import core
from core.labels import class_labels

THREE_CLASSES = [[0.0, 0.0, 0], [0.2, 0.1, 0], [3.0, 0.0, 1], [3.1, 0.3, 1], [0.0, 3.0, 2],
                 [0.2, 3.2, 2]]  # fmt: skip


def custom(points: list, **dataset: Any) -> dict[str, Any]:
    """A TrainConfig dict with a custom dataset."""
    return {"dataset": {"name": "custom", "points": points, **dataset}}


def many(n: int) -> list[list[float]]:
    """n points of two classes."""
    return [[float(i), float(-i), float(i % 2)] for i in range(n)]


# (config, field named, words in the message): every way custom data or classes can be wrong
REJECTIONS: list[tuple[dict[str, Any], str, str]] = [
    (custom([[0, 0, 0], [1, 1, 1], [2, 2, 2.5]]), "dataset.points.2.2", "integer from 0 to 2"),
    (custom([[0, 0, 0], [1, 1, 1], [2, 2, 3]], classes=3), "dataset.points.2.2", "0 to 2 (got 3)"),
    (custom([[0, 0, 0], [1, 1, -1], [2, 2, 1]]), "dataset.points.1.2", "(got -1)"),
    (custom([[0, 0, 0], [1, 1, 9], [2, 2, 1]]), "dataset.points.1.2", "0 to 7 (got 9)"),
    (custom([[0, 0, 0], [1, 1, 1], [2, 2, 2]], classes=4), "dataset.points", "no point of class 3"),
    (custom([[0, 0, 0], [1, 1, 1], [2, "a", 1]]), "dataset.points.2.1", "valid number"),
    (custom([[0, 0, 0], [True, 1, 1]]), "dataset.points.1.0", "valid number"),
    (custom([[0, 0, 0], [1, 1]]), "dataset.points.1", "at least 3 items"),
    (custom([[0, 0, 0], [1, 1, 1, 1]]), "dataset.points.1", "at most 3 items"),
    (custom(many(2001)), "dataset.points", "at most 2000 points (got 2001)"),
    (custom([[0, 0, 0]]), "dataset.points", "at least 2 points"),
    (custom([]), "dataset.points", "at least 2 points"),
    ({"dataset": {"name": "custom"}}, "dataset.points", "at least 2 points"),
    (custom(many(4), test_fraction=0.9), "dataset.test_fraction", "no training examples"),
    ({"dataset": {"name": "flower", "points": many(3)}}, "dataset.points", "only the custom"),
    ({"dataset": {"name": "flower", "classes": 4}}, "dataset.classes", "'flower' has 2 classes"),
    ({"dataset": {"name": "moons", "classes": 3}}, "dataset.classes", "blobs"),
    ({"dataset": {"name": "blobs", "classes": 9}}, "dataset.classes", "less than or equal to 8"),
    ({"dataset": {"name": "blobs", "classes": 1}}, "dataset.classes", "greater than or equal"),
    ({"dataset": {"name": "blobs", "classes": 5, "samples": 4}}, "dataset.samples", "per class"),
    (
        {"dataset": {"name": "plane", "classes": 3}, "network": {"output": "regression"}},
        "dataset.classes",
        "no classes",
    ),
    (
        {**custom(many(3), classes=3), "network": {"output": "regression"}},
        "dataset.classes",
        "regression data has no classes",
    ),
    ({"network": {"output": "softmax"}}, "network.output", "classification, regression"),
]
NON_FINITE = [  # JSON that Python's parser reads as NaN or infinity
    ('[[0, 0, 0], [1, NaN, 1]]', "dataset.points.1.1"),
    ('[[0, 0, 0], [1e999, 1, 1]]', "dataset.points.1.0"),
    ('[[0, 0, 0], [1, 1, -Infinity]]', "dataset.points.1.2"),
]  # fmt: skip


@pytest.mark.parametrize(("config", "field", "words"), REJECTIONS)
def test_bad_custom_data_or_classes_are_a_422_naming_field_and_index(client, config, field, words):
    response = client.post("/api/train", json={"config": config, "iterations": 1})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "config." + field
    assert words in detail["message"]


@pytest.mark.parametrize(("points", "field"), NON_FINITE)
def test_non_finite_custom_numbers_are_a_422_naming_the_index(client, points, field):
    text = '{"config": {"dataset": {"name": "custom", "points": ' + points + "}}}"
    response = client.post("/api/train", content=text, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "config." + field
    assert "finite" in response.json()["detail"][0]["message"]


def test_three_custom_classes_train_to_100_percent_with_softmax_and_a_confusion_matrix(client):
    config = {**custom(THREE_CLASSES), "network": {"hidden": [4], "init": "xavier"}}
    body = {"config": config, "iterations": 300, "boundary_resolution": 4}
    run = client.post("/api/train", json=body).json()
    assert run["status"] == "done" and run["final"]["accuracy_train"] == 1.0
    assert {k: np.shape(v) for k, v in run["weights"].items() if k[0] == "W"} == {
        "W1": (4, 2),
        "W2": (3, 4),
    }
    assert run["final"]["confusion"] == {
        "classes": 3,
        "train": {"matrix": [[2, 0, 0], [0, 2, 0], [0, 0, 2]], "per_class_accuracy": [1.0] * 3},
        "test": None,
    }
    boundary = run["boundary"]
    assert boundary["classes"] == 3 and np.shape(boundary["probabilities"]) == (3, 4, 4)
    np.testing.assert_allclose(np.sum(boundary["probabilities"], axis=0), 1.0, rtol=1e-5)
    assert boundary["values"] == np.argmax(boundary["probabilities"], axis=0).tolist()


def test_custom_points_take_features_a_split_and_regression(client):
    rings = [[np.cos(t) * r, np.sin(t) * r, float(r > 2)] for r in (1, 3) for t in range(12)]
    config = {
        **custom(rings, test_fraction=0.25, seed=3),
        "features": ["x1_squared", "x2_squared"],
        "network": {"hidden": [], "init": "xavier"},
        "optimizer": {"name": "adam", "learning_rate": 0.1},
    }
    run = client.post("/api/train", json={"config": config, "iterations": 400}).json()
    assert run["final"]["accuracy_train"] == 1.0 and run["final"]["accuracy_test"] == 1.0
    assert run["final"]["confusion"]["test"]["matrix"] != []
    preview = client.post("/api/datasets/preview", json={"dataset": config["dataset"]}).json()
    assert preview["custom"] is True and preview["classes"] == 2
    assert len(preview["train"]["x"]) == 18 and len(preview["test"]["x"]) == 6
    line = [[float(x), 0.0, 2.0 * x - 1.0] for x in range(10)]
    regression = {**custom(line), "network": {"hidden": [], "output": "regression"}}
    body = {"config": {**regression, "optimizer": {"learning_rate": 0.01}}, "iterations": 2000}
    fitted = client.post("/api/train", json=body).json()
    assert fitted["final"]["rmse_train"] < 0.01 and fitted["final"]["confusion"] is None


def test_a_k_class_dataset_gets_k_output_units_and_a_two_class_one_keeps_one(client):
    for classes, units in ((4, 4), (2, 1), (None, 3)):
        dataset = {"name": "blobs", "samples": 100, **({"classes": classes} if classes else {})}
        run = client.post("/api/train", json={"config": {"dataset": dataset}, "iterations": 5})
        assert len(run.json()["weights"]["b2"]) == units


def test_options_list_the_classes_of_every_dataset_and_the_custom_rules(client):
    options = client.get("/api/options").json()
    by_name = {d["name"]: d for d in options["datasets"]}
    assert by_name["blobs"]["classes"] == {"default": 3, "min": 2, "max": 8}
    assert by_name["flower"]["classes"] == {"default": 2, "min": 2, "max": 2}
    assert by_name["plane"]["classes"] is None
    assert options["custom"]["max_points"] == 2000
    assert options["custom"]["classes"] == {"min": 2, "max": 8}
    assert "draw or upload" in options["custom"]["regenerate"]


def test_parse_turns_csv_text_into_points_and_a_legend(client):
    text = "x1,x2,species\n1.5,2,setosa\n3,4,virginica\n5,6,setosa\n"
    parsed = client.post("/api/datasets/parse", json={"text": text}).json()
    assert parsed == {
        "points": [[1.5, 2.0, 0.0], [3.0, 4.0, 1.0], [5.0, 6.0, 0.0]],
        "problem": "classification",
        "classes": 2,
        "legend": ["setosa", "virginica"],
        "header": ["x1", "x2", "species"],
    }
    run = client.post("/api/train", json={"config": custom(parsed["points"]), "iterations": 1})
    assert run.status_code == 200


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("1,2,0\n" * 16 + "1,2,abc\n3,x,1\n", 18, 2, "line 18, column 2: 'x' is not a number"),
        ("1,2\n", 1, None, "line 1: expected 3 columns"),
        ("x1,x2,label\n", None, None, "no data"),
    ],
)
def test_a_malformed_csv_is_a_422_with_line_and_column(client, text, line, column, message):
    response = client.post("/api/datasets/parse", json={"text": text})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "text" and message in detail["msg"]
    assert (detail["line"], detail["column"]) == (line, column)


def test_parse_refuses_more_points_than_the_limit_and_a_non_problem(client):
    response = client.post("/api/datasets/parse", json={"text": "1,1,0\n" * 2001})
    assert response.json()["detail"][0]["msg"] == "line 2001: more than 2000 points"
    response = client.post("/api/datasets/parse", json={"text": "1,1,0", "output": "softmax"})
    assert response.json()["detail"][0]["field"] == "output"


def test_any_dataset_downloads_as_csv_that_parses_back_to_the_same_points(client):
    query = {"name": "spiral", "classes": 3, "samples": 30, "noise": 0.1, "seed": 4}
    response = client.get("/api/datasets/csv", params=query)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="spiral.csv"' in response.headers["content-disposition"]
    parsed = client.post("/api/datasets/parse", json={"text": response.text}).json()
    X, Y = core.make_dataset("spiral", 30, 0.1, 4, classes=3)
    np.testing.assert_array_equal(np.array(parsed["points"])[:, :2], X.T)
    np.testing.assert_array_equal(np.array(parsed["points"])[:, 2], class_labels(Y))
    plane = client.get("/api/datasets/csv", params={"name": "plane", "samples": 5}).text
    assert plane.splitlines()[0] == "x1,x2,y" and len(plane.splitlines()) == 6


def test_custom_points_download_with_their_class_names(client):
    body = {"dataset": {"name": "custom", "points": THREE_CLASSES}, "legend": ["a", "b", "c"]}
    text = client.post("/api/datasets/csv", json=body).text
    assert text.splitlines()[:3] == ["x1,x2,label", "0.0,0.0,a", "0.2,0.1,a"]
    assert text.splitlines()[-1] == "0.2,3.2,c"
    short = client.post("/api/datasets/csv", json={**body, "legend": ["a"]})
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "legend"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"name": "flower", "classes": 3}, "dataset.classes"),
        ({"name": "nope"}, "dataset.name"),
        ({"name": "blobs", "colour": "red"}, "dataset.colour"),
        ({"name": "moons", "samples": 5000}, "dataset.samples"),
    ],
)
def test_a_bad_download_is_a_422_naming_the_field(client, query, field):
    response = client.get("/api/datasets/csv", params=query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_a_custom_run_is_budgeted_by_its_points_not_by_samples():
    from app.shared.budget import examples
    from app.wire.config import TrainConfig

    config = TrainConfig.model_validate(custom(many(40), test_fraction=0.25, samples=2000))
    assert examples(config) == 30


def test_a_legend_naming_too_few_of_two_classes_is_a_422_not_a_crash(client):
    body = {"dataset": {"name": "flower", "samples": 10}, "legend": ["only one"]}
    response = client.post("/api/datasets/csv", json=body)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "legend"
