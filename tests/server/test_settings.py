"""Settings: defaults, DESCENT_* overrides, and the app enforcing the overridden limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.server.pages import asset_dir
from app.settings import Settings


def test_the_default_limits():
    assert Settings().limits().model_dump() == {
        "max_hidden_layers": 8,
        "max_neurons": 64,
        "max_samples": 2000,
        "max_iterations": 200_000,
        "max_grid_resolution": 200,
        "max_message_bytes": 65_536,
        "max_lanes": 4,
        "max_speed": 10000,
        "max_edit": 10000.0,
    }


def test_environment_variables_override_limits(monkeypatch):
    monkeypatch.setenv("DESCENT_MAX_SAMPLES", "100")
    monkeypatch.setenv("DESCENT_MAX_LANES", "2")
    settings = Settings()
    assert (settings.max_samples, settings.max_lanes) == (100, 2)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/options").json()["limits"]["max_samples"] == 100
        response = client.post("/api/train", json={"config": {"dataset": {"samples": 101}}})
        assert response.status_code == 422
        assert response.json()["detail"][0]["limit"] == 100
        with client.websocket_connect("/ws") as ws:
            assert ws.receive_json()["limits"]["max_lanes"] == 2
            small = {"dataset": {"samples": 50}}
            ws.send_json({"type": "configure", "config": small, "lanes": [{}, {}, {}]})
            assert ws.receive_json()["field"] == "lanes"


def test_a_nonsense_override_is_refused(monkeypatch):
    monkeypatch.setenv("DESCENT_MAX_NEURONS", "0")
    with pytest.raises(ValueError, match="max_neurons"):
        Settings()


def test_assets_are_found_next_to_the_package():
    assert (asset_dir("templates") / "index.html").is_file()
    assert asset_dir("static").is_dir()
