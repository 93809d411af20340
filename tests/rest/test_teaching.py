"""Teaching routes: lessons as JSON configs and activation curves from the core."""

import numpy as np
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.wire.checks import check_config
from app.wire.config import TrainConfig
from core import LESSONS


def client() -> TestClient:
    return TestClient(create_app())


def test_lessons_list_every_lesson_with_valid_wire_configs() -> None:
    body = client().get("/api/lessons").json()
    assert [lesson["name"] for lesson in body["lessons"]] == list(LESSONS)
    for lesson in body["lessons"]:
        assert lesson["title"] and lesson["watch"] and lesson["course_result"]
        assert 1 <= len(lesson["lanes"]) <= 4
        for lane in lesson["lanes"]:
            wire = TrainConfig.model_validate(lane["config"])
            check_config(wire, Settings().limits())  # a lesson the page sends is accepted
            config = wire.to_core()
            assert config == next(
                lane_.config
                for lane_ in LESSONS[lesson["name"]].lanes
                if lane_.label == lane["label"]
            )


def test_activation_curve_comes_from_the_core_formulas() -> None:
    body = client().get("/api/activations/tanh").json()
    z = np.array(body["z"])
    np.testing.assert_allclose(body["value"], np.tanh(z))
    np.testing.assert_allclose(body["derivative"], 1 - np.tanh(z) ** 2)


def test_leaky_relu_curve_uses_the_given_slope() -> None:
    body = client().get("/api/activations/leaky_relu", params={"slope": 0.2}).json()
    assert body["derivative"][0] == 0.2 and body["derivative"][-1] == 1.0


def test_unknown_activation_and_bad_slope_are_422_naming_the_field() -> None:
    response = client().get("/api/activations/softsign")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"
    response = client().get("/api/activations/relu", params={"slope": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.slope"
