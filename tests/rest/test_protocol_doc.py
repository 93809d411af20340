"""docs/protocol.md against the schemas: its TrainConfig is the default one, and every REST row
names exactly the fields its route's request (and, where typed, answer) model has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import core
from app.main import create_app
from app.rest import datasets, lessons, options, runs
from app.settings import Settings
from app.sweeps import routes as sweep_routes
from app.wire.config import TrainConfig

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text()
ROW = re.compile(r"^\| `(GET|POST|DELETE) (/[^`?]*)[^`]*` \|(.*)$", re.M)


def section(title: str) -> str:
    """The text under '## title' up to the next '## ' heading."""
    return PROTOCOL.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def top_keys(text: str) -> set[str]:
    """The quoted names at the first level of a JSON-like object: '{"a": {"b"}, "c"}' -> a, c."""
    keys, depth, previous = set(), 0, ""
    for match in re.finditer(r'[{}\[\]]|"(\w+)"|[^\s{}\[\]"]', text):
        token = match.group(0)
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
        elif match.group(1) and depth == 1 and previous in ("{", ","):
            keys.add(match.group(1))
        previous = token
    return keys


def rows() -> list[tuple[str, str, str, str]]:
    """(method, path, body cell's first code span, answer cell's first code span) per REST row."""
    found = []
    for method, path, rest in ROW.findall(section("REST")):
        cells = rest.split(" | ")
        spans = [re.search(r"`([^`]*)`", cell.replace("\\|", "|")) for cell in cells[:2]]
        body, answer = (span.group(1) if span else "" for span in spans)
        found.append((method, path.rstrip(), body, answer))
    return found


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    """The app's OpenAPI schema."""
    return create_app(Settings()).openapi()


def properties(openapi: dict[str, Any], schema: dict[str, Any]) -> set[str] | None:
    """A schema's property names, following one $ref; None when it names no object."""
    ref = schema.get("$ref")
    if ref:
        schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return set(schema["properties"]) if "properties" in schema else None


def test_the_documented_train_config_is_exactly_the_schemas_default():
    block = re.search(r"```json\n(.*?)```", section("TrainConfig (REST body field `config`, "
                      "WebSocket `configure.config`)"), re.S).group(1)  # fmt: skip
    assert json.loads(block) == TrainConfig().model_dump()


def test_every_rest_row_names_exactly_its_request_models_fields_and_typed_answers(openapi):
    checked = 0
    for method, path, body, answer in rows():
        operation = openapi["paths"][path][method.lower()]
        request = operation.get("requestBody")
        if request and body.startswith("{"):
            schema = request["content"]["application/json"]["schema"]
            assert top_keys(body) == properties(openapi, schema), f"{method} {path} body"
            checked += 1
        for status in ("200", "202"):
            content = operation["responses"].get(status, {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            names = properties(openapi, schema) if schema else None
            if names and answer.startswith("{"):
                assert top_keys(answer) == names, f"{method} {path} answer"
                checked += 1
    assert checked >= 8


def test_every_rest_route_and_sweep_creation_has_a_row():
    documented = {(method, path) for method, path, _, _ in rows()}
    routers = [runs.router, datasets.router, lessons.router, options.router, sweep_routes.router]
    for route in (route for router in routers for route in router.routes):
        for method in route.methods - {"HEAD"}:
            if route.path.startswith("/api/sweeps/"):
                continue  # a sweep's own routes are documented with the sweeps page
            assert (method, route.path) in documented, (method, route.path)


def test_lesson_configs_are_resolved_configs_the_schema_accepts(client):
    lessons = client.get("/api/lessons").json()["lessons"]
    for lesson in lessons:
        for lane in lesson["lanes"]:
            config = TrainConfig.model_validate(lane["config"])
            assert (
                config.to_core()
                == core.LESSONS[lesson["name"]]
                .lanes[[x["label"] for x in lesson["lanes"]].index(lane["label"])]
                .config
            )
            assert lane["config"]["dataset"]["points"] == []
            assert lane["config"]["dataset"]["classes"] == config.dataset.class_count(
                config.network.output
            )
