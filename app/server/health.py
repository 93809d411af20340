"""Health routes: liveness for load balancers, and this process's live sessions and runs."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request

from app import __version__
from app.playground.engine import all_engines
from app.sweeps.doorbell import doorbell_folder, live_workers

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str | int]:
    """Liveness: {"status": "ok", "version": ..., "sweep_workers": live trial workers on this
    machine (app/sweeps/launch.py restarts one that dies within about a second)}."""
    workers = live_workers(doorbell_folder(request.app.state.settings))
    return {"status": "ok", "version": __version__, "sweep_workers": workers}


@router.get("/healthz/sessions", include_in_schema=False)
async def live_sessions(request: Request) -> dict[str, int]:
    """This process's id, live WebSocket sessions, sessions known to engines, engine threads."""
    engines = all_engines()
    return {
        "process": os.getpid(),
        "sessions": request.app.state.sessions.count,
        "engine_sessions": sum(len(engine.sessions) for engine in engines),
        "engine_threads": sum(engine.thread is not None for engine in engines),
        "rest_runs": request.app.state.runs.admitted,
    }
