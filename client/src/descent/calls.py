"""Every REST request the client makes, written once for the sync and the async client: a Call
says what to send and how to read the answer; the clients only carry it over their transport."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from descent.configs import jsonable
from descent.run import Run

T = TypeVar("T", covariant=True)
SWEEP_KEY_FIELDS = ("owner_key", "key", "sweep_key")  # what a sweep's creation may return


def json_body(response: httpx.Response) -> Any:
    """The answer's JSON."""
    return response.json()


@dataclass(frozen=True)
class Call(Generic[T]):
    """One HTTP request and the reading of its (successful) answer."""

    method: str
    path: str
    read: Callable[[httpx.Response], T]
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def body(**fields: Any) -> dict[str, Any]:
    """A JSON body of the fields that are not None, NumPy values as lists."""
    return {name: jsonable(value) for name, value in fields.items() if value is not None}


def options() -> Call[dict[str, Any]]:
    """GET /api/options."""
    return Call("GET", "/api/options", json_body)


def health() -> Call[dict[str, Any]]:
    """GET /healthz."""
    return Call("GET", "/healthz", json_body)


def lessons() -> Call[list[dict[str, Any]]]:
    """GET /api/lessons: the list of lessons."""
    return Call("GET", "/api/lessons", lambda r: list(r.json()["lessons"]))


def weights_of(initial: Any) -> Any:
    """initial_weights given as a dict of arrays or lists, or as a Run to go on from."""
    return initial.raw["weights"] if isinstance(initial, Run) else initial


def train(
    config: Mapping[str, Any] | None,
    iterations: int | None,
    epochs: int | None,
    record_every: int | None,
    boundary_resolution: int | None,
    initial_weights: Any,
) -> Call[Run]:
    """POST /api/train."""
    sent = body(
        config=dict(config or {}),
        iterations=iterations,
        epochs=epochs,
        record_every=record_every,
        boundary_resolution=boundary_resolution,
        initial_weights=weights_of(initial_weights),
    )
    return Call("POST", "/api/train", lambda r: Run(r.json(), sent["config"]), sent)


def landscape(
    config: Mapping[str, Any] | None,
    iterations: int | None,
    resolution: int | None,
    directions: str | None,
    points: int | None,
    lanes: Sequence[Mapping[str, Any]] | None,
) -> Call[dict[str, Any]]:
    """POST /api/landscape."""
    sent = body(
        config=dict(config or {}),
        iterations=iterations,
        resolution=resolution,
        directions=directions,
        points=points,
        lanes=lanes,
    )
    return Call("POST", "/api/landscape", json_body, sent)


def gradient_check(
    config: Mapping[str, Any] | None,
    iterations: int | None,
    initial_weights: Any,
    epsilon: float | None = None,
    examples: int | None = None,
) -> Call[dict[str, Any]]:
    """POST /api/gradcheck."""
    sent = body(
        config=dict(config or {}),
        iterations=iterations,
        initial_weights=weights_of(initial_weights),
        epsilon=epsilon,
        examples=examples,
    )
    return Call("POST", "/api/gradcheck", json_body, sent)


def parse_csv(text: str, output: str | None) -> Call[dict[str, Any]]:
    """POST /api/datasets/parse."""
    return Call("POST", "/api/datasets/parse", json_body, body(text=text, output=output))


def preview(dataset: Mapping[str, Any] | str, output: str | None) -> Call[dict[str, Any]]:
    """POST /api/datasets/preview; a bare name stands for {"name": name}."""
    named = {"name": dataset} if isinstance(dataset, str) else dict(dataset)
    return Call("POST", "/api/datasets/preview", json_body, body(dataset=named, output=output))


def create_sweep(
    config: Mapping[str, Any] | None,
    space: Mapping[str, Any] | None,
    trials: int | None,
    iterations: int | None,
    objective: str | None,
    sampler: str | None,
    pruner: str | None,
    seed: int | None,
    epochs: int | None = None,
    record_every: int | None = None,
    initial_weights: Any = None,
    boundary_resolution: int | None = None,
) -> Call[dict[str, Any]]:
    """POST /api/sweeps (pruner None sends nothing: the server's default is no pruner)."""
    sent = body(
        config=dict(config or {}),
        space=dict(space or {}),
        trials=trials,
        iterations=iterations,
        epochs=epochs,
        record_every=record_every,
        boundary_resolution=boundary_resolution,
        initial_weights=weights_of(initial_weights),
        objective=objective,
        sampler=sampler,
        pruner=pruner,
        seed=seed,
    )
    return Call("POST", "/api/sweeps", json_body, sent)


def sweep_key_of(created: Mapping[str, Any]) -> str | None:
    """The secret a sweep's creation returned for cancelling it, if the server gives one."""
    for name in SWEEP_KEY_FIELDS:
        if isinstance(created.get(name), str):
            return str(created[name])
    return None


def sweep_view(sweep_id: str) -> Call[dict[str, Any]]:
    """GET /api/sweeps/{id}."""
    return Call("GET", f"/api/sweeps/{sweep_id}", json_body)


def sweeps() -> Call[list[dict[str, Any]]]:
    """GET /api/sweeps: every sweep's summary, newest first."""
    return Call("GET", "/api/sweeps", json_body)


def cancel_sweep(sweep_id: str, key: str | None) -> Call[dict[str, Any]]:
    """DELETE /api/sweeps/{id}, with the sweep's key when it has one."""
    headers = {"X-Sweep-Key": key} if key else {}
    return Call("DELETE", f"/api/sweeps/{sweep_id}", json_body, headers=headers)


def sweep_events_path(sweep_id: str) -> str:
    """GET /api/sweeps/{id}/events (Server-Sent Events)."""
    return f"/api/sweeps/{sweep_id}/events"


def create_room(teacher_token: str | None) -> Call[dict[str, Any]]:
    """POST /api/rooms (X-Teacher-Token when the server asks for one)."""
    headers = {"X-Teacher-Token": teacher_token} if teacher_token else {}
    return Call("POST", "/api/rooms", json_body, headers=headers)


def room(method: str, code: str, key: str, action: str = "", json: Any = None) -> Call[Any]:
    """A teacher's route of a room: GET/DELETE /api/rooms/{code} or POST .../{action}."""
    path = f"/api/rooms/{code}" + (f"/{action}" if action else "")
    read: Callable[[httpx.Response], Any] = (
        (lambda r: r.text) if action == "results.csv" else json_body
    )
    return Call(method, path, read, json, {"X-Teacher-Key": key})


def lesson_config(lesson: Mapping[str, Any]) -> dict[str, Any]:
    """The config a room lesson pushes: a lesson of /api/lessons gives its first lane's."""
    lanes = lesson.get("lanes")
    if isinstance(lanes, list) and lanes and "config" in lanes[0]:
        return dict(lanes[0]["config"])
    return dict(lesson)


def push(
    code: str, key: str, config: Mapping[str, Any], locks: Sequence[str]
) -> Call[dict[str, Any]]:
    """POST /api/rooms/{code}/push."""
    sent = {"config": jsonable(dict(config)), "lock": list(locks)}
    return room("POST", code, key, "push", sent)
