"""Classroom rooms over REST: create, read, steer and close a room; the teacher's pages.

Every teacher route takes the room's teacher key in the X-Teacher-Key header. An unknown
code and a wrong key get the same 404, and wrong guesses are rate-limited per client and
for the whole server (app/rooms/hub.py), so codes cannot be enumerated here. Room creation
is capped and rate-limited per client address unless DESCENT_TEACHER_TOKEN is set and given.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field, StringConstraints

from app.rooms.hub import Hub, RoomError
from app.rooms.tiles import FIGURES
from app.shared.csv_cells import csv_text
from app.wire.checks import check_config
from app.wire.config import Model, TrainConfig
from app.wire.errors import FieldError
from core import LESSONS

router = APIRouter(prefix="/api/rooms", tags=["rooms"])
Key = Annotated[str | None, Header(alias="X-Teacher-Key", description="the room's teacher key")]
ControlName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_ -]{1,40}$")]
CSV_FIELDS = ["name", "state", *FIGURES]


class PushRequest(Model):
    """A lesson for every student: a TrainConfig and the controls to lock (hide)."""

    config: TrainConfig = TrainConfig()
    lock: list[ControlName] = Field([], max_length=60, description="control names, e.g. l2")
    lesson: str | None = Field(
        None, max_length=60, description="a lesson's name (GET /api/lessons): students run it whole"
    )


class SpotlightRequest(Model):
    """The student whose run the projector shows (null: nobody)."""

    name: str | None = Field(None, max_length=40)


def hub(request: Request) -> Hub:
    """This app's room service."""
    return request.app.state.rooms


def client_of(request: Request) -> str:
    """The asking client's address (what per-client limits count)."""
    return request.client.host if request.client else ""


def sent(published: bool, **extra: Any) -> dict[str, Any]:
    """A command's answer: whether the broker took it."""
    return {"ok": True, "delivered": published, **extra}


@router.post("")
async def create_room(
    request: Request,
    teacher_token: Annotated[str | None, Header(alias="X-Teacher-Token")] = None,
) -> dict[str, str]:
    """A new room: its join code and the teacher key (keep it: it reopens the dashboard)."""
    code, key = await hub(request).create(teacher_token, client_of(request))
    return {"code": code, "teacher_key": key, "join_path": f"/?room={code}",
            "teacher_path": f"/teach#room={code}&key={key}"}  # fmt: skip


@router.get("/{code}")
async def read_room(request: Request, code: str, key: Key = None) -> dict[str, Any]:
    """The room's students (latest tile each), its lesson, spotlight and pause state."""
    record = await hub(request).authorize(code, key, client_of(request))
    students = await hub(request).students(record["code"])
    return {"code": record["code"], "students": students, "lesson": record["lesson"],
            "paused": record["paused"], "spotlight": record["spotlight"]}  # fmt: skip


@router.post("/{code}/push")
async def push(request: Request, code: str, body: PushRequest, key: Key = None) -> dict[str, Any]:
    """Send everyone a config; the listed controls are hidden on their pages."""
    record = await hub(request).authorize(code, key, client_of(request))
    check_config(body.config, request.app.state.settings.limits(), prefix="config.")
    if body.lesson is not None and body.lesson not in LESSONS:
        raise FieldError("lesson", f"no lesson named {body.lesson!r}; GET /api/lessons lists them")
    config = body.config.model_dump()
    command = {"command": "push", "config": config, "lock": sorted(set(body.lock)),
               "lesson": body.lesson}  # fmt: skip
    return sent(await hub(request).command(record, command))


async def simple(request: Request, code: str, key: str | None, kind: str) -> dict[str, Any]:
    """pause, resume or reset everyone."""
    record = await hub(request).authorize(code, key, client_of(request))
    return sent(await hub(request).command(record, {"command": kind}))


@router.post("/{code}/pause")
async def pause(request: Request, code: str, key: Key = None) -> dict[str, Any]:
    """Pause every student (their play button waits for resume)."""
    return await simple(request, code, key, "pause")


@router.post("/{code}/resume")
async def resume(request: Request, code: str, key: Key = None) -> dict[str, Any]:
    """Start every student training."""
    return await simple(request, code, key, "resume")


@router.post("/{code}/reset")
async def reset(request: Request, code: str, key: Key = None) -> dict[str, Any]:
    """Every student back to iteration 0 with their config."""
    return await simple(request, code, key, "reset")


@router.post("/{code}/spotlight")
async def spotlight(
    request: Request, code: str, body: SpotlightRequest, key: Key = None
) -> dict[str, Any]:
    """Put one student's run on the projector (/teach/CODE/spotlight)."""
    record = await hub(request).authorize(code, key, client_of(request))
    return sent(await hub(request).command(record, {"command": "spotlight", "name": body.name}))


@router.delete("/{code}")
async def close_room(request: Request, code: str, key: Key = None) -> dict[str, Any]:
    """End the room; students keep their runs."""
    record = await hub(request).authorize(code, key, client_of(request))
    await hub(request).close_room(record)
    return {"ok": True, "closed": record["code"]}


@router.get("/{code}/results.csv")
async def results(request: Request, code: str, key: Key = None) -> Response:
    """The class's latest figures and key settings, one row per student."""
    record = await hub(request).authorize(code, key, client_of(request))
    students = await hub(request).students(record["code"])
    settings = sorted({name for s in students for name in (s.get("config") or {})})
    rows = [CSV_FIELDS + settings]
    for student in students:
        config = student.get("config") or {}
        rows.append([student.get(f) for f in CSV_FIELDS] + [config.get(s) for s in settings])
    text = csv_text(rows)
    name = f"descent-room-{record['code']}.csv"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(text, media_type="text/csv", headers=headers)


async def room_error(request: Request, error: Exception) -> JSONResponse:
    """A RoomError as its status and a detail list."""
    assert isinstance(error, RoomError)
    return JSONResponse(error.as_json(), status_code=error.status, headers=error.headers())


def install(app: FastAPI) -> None:
    """The room service (its hub and errors), closed at shutdown; main.py includes the routes."""
    app.state.rooms = Hub(app.state.settings)
    app.add_exception_handler(RoomError, room_error)
    previous = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with previous(application) as state:
            yield state
        await app.state.rooms.close()

    app.router.lifespan_context = lifespan
