"""POST /api/landscape, GET /api/surfaces and POST /api/surfaces/path over HTTP."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from core.landscape import landscape
from core.lessons import FLOWER
from core.surfaces import SURFACES

SMALL = {"config": {"dataset": {"samples": 100}}, "iterations": 200, "resolution": 9}


def error_field(response) -> str:
    """The field named by a 422."""
    assert response.status_code == 422, response.text
    return response.json()["detail"][0]["field"]


def test_landscape_answers_axes_grid_path_and_explained_variance(client) -> None:
    body = client.post("/api/landscape", json=SMALL).json()
    assert len(body["axes"]["alpha"]) == len(body["axes"]["beta"]) == 9
    assert len(body["cost"]) == 9 and all(len(row) == 9 for row in body["cost"])
    first, last = body["path"][0], body["path"][-1]
    assert first["iteration"] == 0 and last["iteration"] == 200
    assert (last["alpha"], last["beta"]) == (0.0, 0.0)
    assert last["cost"] == last["cost_on_plane"]
    assert set(first) == {"iteration", "alpha", "beta", "cost", "cost_on_plane"}
    a, b = body["explained_variance"]
    assert 1 >= a >= b >= 0
    assert body["status"] == "done" and body["directions"] == "pca"
    assert body["parameters"] == 17  # [2, 4, 1]: 4 x 3 + 1 x 5


def test_landscape_is_the_cores_landscape_of_the_same_config(client) -> None:
    request = {"iterations": 300, "resolution": 5, "directions": "random", "points": 30}
    body = client.post("/api/landscape", json=request).json()
    found = landscape(FLOWER, 300, 5, "random", 30)
    np.testing.assert_array_equal(np.array(body["cost"]), found.cost)
    assert [p["cost_on_plane"] for p in body["path"]] == found.plane_cost.tolist()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"resolution": 62}, "resolution"),
        ({"resolution": 2}, "resolution"),
        ({"directions": "hessian"}, "directions"),
        ({"iterations": 0}, "iterations"),
        ({"iterations": 200_001}, "iterations"),
        ({"config": {"network": {"hidden": [65]}}}, "config.network.hidden.0"),
        ({"config": {"optimizer": {"name": "sgd"}}}, "config.optimizer.name"),
        ({"points": 1}, "points"),
    ],
)
def test_bad_landscape_input_is_a_422_naming_the_field(client, change, field) -> None:
    assert error_field(client.post("/api/landscape", json={**SMALL, **change})) == field


def test_too_much_landscape_work_is_a_422_that_says_so(client) -> None:
    big = {"config": {"network": {"hidden": [64, 64, 64]}}, "iterations": 20_000}
    response = client.post("/api/landscape", json={**big, "resolution": 61})
    assert error_field(response) == "iterations"
    detail = response.json()["detail"][0]
    assert "too much work" in detail["msg"] and detail["value"] > detail["limit"]


def test_the_work_limit_is_a_setting() -> None:
    with TestClient(create_app(Settings(max_landscape_work=1e6))) as small:
        response = small.post("/api/landscape", json={**SMALL, "resolution": 61})
        assert error_field(response) == "resolution"


def test_surfaces_lists_the_registry_with_extents_and_limits(client) -> None:
    body = client.get("/api/surfaces").json()
    assert [s["name"] for s in body["surfaces"]] == list(SURFACES)
    bowl = body["surfaces"][0]
    assert bowl["extent"] == list(SURFACES["bowl"].extent) and bowl["minimum"] == [0.0, 0.0]
    assert body["surfaces"][2]["minimum"] is None  # the saddle
    assert body["limits"]["max_steps"] == 5000 and body["limits"]["max_lanes"] == 4


def test_surface_path_races_lanes_from_one_start(client) -> None:
    lanes = [{"optimizer": {"name": "gd"}}, {"label": "heavy", "optimizer": {"name": "momentum"}}]
    request = {"surface": "bowl", "steps": 400, "resolution": 11, "lanes": lanes}
    body = client.post("/api/surfaces/path", json=request).json()
    gd, momentum = body["lanes"]
    assert gd["label"] == "gd 0.099" and momentum["label"] == "heavy"
    assert gd["points"][0] == momentum["points"][0] == [-1.5, -4.0]
    assert len(gd["points"]) == len(gd["costs"]) == len(gd["gradients"]) == 401
    assert momentum["reached"] < gd["reached"]  # the course's claim, through the API
    assert len(body["grid"]["cost"]) == 11 and len(body["grid"]["w1"]) == 11


def test_surface_path_takes_a_start_hyperparameters_and_decay(client) -> None:
    lane = {"optimizer": {"name": "adam", "learning_rate": 0.05, "beta1": 0.5, "decay": 0.1}}
    request = {"surface": "banana", "start": [0.5, -0.5], "steps": 3, "lanes": [lane]}
    body = client.post("/api/surfaces/path", json=request).json()
    (only,) = body["lanes"]
    assert only["points"][0] == [0.5, -0.5] and body["start"] == [0.5, -0.5]
    assert only["optimizer"]["beta1"] == 0.5 and only["optimizer"]["decay"] == 0.1
    assert only["reached"] is None and only["stopped"] is None


def test_surface_path_takes_the_surfaces_steps_unless_told(client) -> None:
    body = client.post("/api/surfaces/path", json={"surface": "banana"}).json()
    assert len(body["lanes"][0]["points"]) == SURFACES["banana"].steps + 1
    with TestClient(create_app(Settings(max_surface_steps=50))) as small:
        body = small.post("/api/surfaces/path", json={"surface": "banana"}).json()
        assert len(body["lanes"][0]["points"]) == 51


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"surface": "egg"}, "surface"),
        ({"steps": 5001}, "steps"),
        ({"lanes": [{}] * 5}, "lanes"),
        ({"lanes": []}, "lanes"),
        ({"resolution": 201}, "resolution"),
        ({"start": [1.0]}, "start"),
        ({"lanes": [{"optimizer": {"name": "momentum", "beta": 1.5}}]}, "lanes.0.optimizer.beta"),
    ],
)
def test_bad_surface_input_is_a_422_naming_the_field(client, change, field) -> None:
    response = client.post("/api/surfaces/path", json={"steps": 5, **change})
    assert error_field(response).startswith(field)


RACE = {
    **SMALL,
    "lanes": [
        {"label": "gd"},
        {"label": "momentum", "optimizer": {"name": "momentum"}},
        {"label": "adam", "optimizer": {"name": "adam", "learning_rate": 0.01}},
    ],
}


def test_a_race_shares_one_plane_through_lane_0s_final_weights(client) -> None:
    body = client.post("/api/landscape", json=RACE).json()
    assert [lane["label"] for lane in body["lanes"]] == ["gd", "momentum", "adam"]
    assert body["path"] == body["lanes"][0]["path"]
    assert body["lanes"][0]["path"][-1]["alpha"] == 0.0
    starts = {(lane["path"][0]["alpha"], lane["path"][0]["beta"]) for lane in body["lanes"]}
    assert len({(round(a, 9), round(b, 9)) for a, b in starts}) == 1  # same initial weights
    ends = [lane["path"][-1] for lane in body["lanes"][1:]]
    assert all(end["iteration"] == 200 and end["cost"] is not None for end in ends)


def test_without_lanes_the_config_is_the_one_lane(client) -> None:
    body = client.post("/api/landscape", json=SMALL).json()
    assert [lane["label"] for lane in body["lanes"]] == ["config"]


@pytest.mark.parametrize(
    ("lane", "field"),
    [
        ({"network": {"hidden": [5]}}, "lanes.1.network.hidden"),
        ({"network": {"activation": "relu"}}, "lanes.1.network.activation"),
        ({"regularization": {"l2": 0.5}}, "lanes.1.regularization.l2"),
        ({"optimizer": {"beta": 2}}, "lanes.1.optimizer.beta"),
        ({"network": {"hidden": [99]}}, "lanes.1.network.hidden.0"),
    ],
)
def test_lanes_that_cannot_share_a_plane_are_a_422_naming_the_field(client, lane, field) -> None:
    request = {**SMALL, "lanes": [{}, lane]}
    assert error_field(client.post("/api/landscape", json=request)) == field


def test_at_most_max_lanes_lanes(client) -> None:
    assert error_field(client.post("/api/landscape", json={**SMALL, "lanes": [{}] * 5})) == "lanes"
    assert error_field(client.post("/api/landscape", json={**SMALL, "lanes": []})) == "lanes"


def test_the_contours_page_is_served_with_its_own_modules(client) -> None:
    page = client.get("/contours")
    assert page.status_code == 200
    assert 'src="static/js/contours/contours.bundle.js?v=' in page.text
    assert client.get("/static/js/contours/contours.bundle.js").status_code == 200
    assert client.get("/static/js/contours/contours.js").status_code == 200
    assert client.get("/static/css/contours.css").status_code == 200


def test_the_websocket_gives_a_races_lanes_on_one_plane(client):
    from tests.playground.test_ws import receive_until

    lanes = [
        {"label": "gd"},
        {"label": "adam", "optimizer": {"name": "adam", "learning_rate": 0.01}},
    ]
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": {"network": {"hidden": [3]}}, "lanes": lanes})
        receive_until(ws, lambda m: m["type"] == "status")
        ws.send_json({"type": "landscape", "iterations": 300, "resolution": 11})
        answer = receive_until(ws, lambda m: m["type"] in ("landscape", "error"))[-1]
        ws.send_json({"type": "landscape", "resolution": 999})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
    assert answer["type"] == "landscape", answer
    assert [lane["label"] for lane in answer["lanes"]] == ["gd", "adam"]
    assert len(answer["cost"]) == 11 and answer["lanes"][0]["path"][0]["iteration"] == 0
    assert error["field"] == "resolution"
