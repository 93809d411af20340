"""Sweep routes: POST/GET/DELETE /api/sweeps and live progress as Server-Sent Events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from optuna.storages import RDBStorage

from app.sweeps import store as sweep_store
from app.sweeps.doorbell import doorbell_folder, ring
from app.sweeps.owners import BusyError, admitted, is_admin, key_hash, owner_key
from app.sweeps.request import EXAMPLE_SPACE, SweepRequest, check_sweep
from app.sweeps.views import TERMINAL, listing_entry, sweep_view
from app.wire.errors import FieldError

router = APIRouter(prefix="/api/sweeps", tags=["sweeps"])
SweepKey = Annotated[
    str | None,
    Header(alias="X-Sweep-Key", description="the owner key a sweep's creation returned"),
]
EVENT_POLL_SECONDS = 0.25  # how often the stream looks at the storage
KEEPALIVE_SECONDS = 15.0
SETTLE_SECONDS = 3.0  # after a cancel, how long the stream waits for running trials to stop
SWEEP_EXAMPLES = {
    "learning rate": {
        "summary": "The flower lesson: 12 learning rates on a log scale, 5,000 iterations each",
        "value": {"space": EXAMPLE_SPACE, "trials": 12, "iterations": 5000},
    }
}


def storage_of(request: Request) -> RDBStorage:
    """The sweep storage named by the app's settings (opened once per process)."""
    return sweep_store.settings_storage(request.app.state.settings)


def snapshot(storage: RDBStorage, sweep_id: str) -> dict[str, Any] | None:
    """A sweep's view, or None when there is no such sweep (runs in a thread)."""
    study_id = sweep_store.find(storage, sweep_id)
    if study_id is None:
        return None
    return sweep_view(sweep_id, *sweep_store.read(storage, study_id))


def json_of(data: Any) -> Response:
    """The JSON response of a view, written by orjson at once (a view holds every trial's
    history: FastAPI's validation and encoding of a returned dict would cost more than reading
    it from the storage)."""
    return Response(orjson.dumps(data), media_type="application/json")


async def found(request: Request, sweep_id: str) -> dict[str, Any]:
    """The sweep's view, or 404."""
    view = await run_in_threadpool(snapshot, storage_of(request), sweep_id)
    if view is None:
        raise HTTPException(404, f"no sweep {sweep_id!r}")
    return view


@router.post("", status_code=202)
async def create(
    request: Request,
    body: Annotated[SweepRequest, Body(openapi_examples=SWEEP_EXAMPLES)],
    key: SweepKey = None,
) -> Response:
    """Queue `trials` trials of the space around `config`; worker processes run them. The
    answer's `key` owns the sweep (send it as X-Sweep-Key to list or cancel; send one you
    have to keep all your sweeps under one key)."""
    settings = request.app.state.settings
    owner = owner_key(key)
    client = request.client.host if request.client else ""

    def checked_create() -> str:
        check_sweep(body, settings)  # a thread: pricing the space takes a few ms to 100 ms
        return admitted(storage_of(request), settings, client, key_hash(owner), body)

    try:
        sweep_id = await run_in_threadpool(checked_create)
    except BusyError as busy:
        return busy.response()
    ring(doorbell_folder(settings))  # this machine's workers start it now
    url = f"/api/sweeps/{sweep_id}"
    content = {"id": sweep_id, "url": url, "events": f"{url}/events", "status": "queued",
               "key": owner}  # fmt: skip
    return JSONResponse(content, status_code=202, headers={"Location": url})


@router.get("", response_class=JSONResponse)
async def list_sweeps(
    request: Request,
    key: SweepKey = None,
    limit: Annotated[int, Query(ge=1, description="sweeps on this page")] = 20,
    offset: Annotated[int, Query(ge=0, description="sweeps skipped")] = 0,
) -> Response:
    """The caller's sweeps (those of its X-Sweep-Key; every sweep for the holder of
    DESCENT_TOKEN), newest first, without their trials, a page at a time: X-Total-Count and
    a Link rel="next" header when there are more."""
    settings = request.app.state.settings
    if limit > settings.max_sweeps_listed:
        most = settings.max_sweeps_listed
        raise FieldError("limit", f"at most {most} sweeps a page (got {limit})")
    owner = None if is_admin(request, settings) else key_hash(key) if key else ""

    def page(storage: RDBStorage) -> tuple[list[dict[str, Any]], int]:
        if owner == "":
            return [], 0
        ids, total = sweep_store.owned_ids(storage, owner, limit, offset)
        study_ids = {sweep_id: sweep_store.find(storage, sweep_id) for sweep_id in ids}
        known = {k: v for k, v in study_ids.items() if v is not None}
        trials = sweep_store.light_trials(storage, list(known.values()))
        return [
            listing_entry(sweep_id, storage.get_study_user_attrs(study_id), trials[study_id])
            for sweep_id, study_id in known.items()
        ], total

    summaries, total = await run_in_threadpool(page, storage_of(request))
    response = json_of(summaries)
    response.headers["X-Total-Count"] = str(total)
    if offset + limit < total:
        following = f"/api/sweeps?limit={limit}&offset={offset + limit}"
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


@router.get("/{sweep_id}", response_class=JSONResponse)
async def get_sweep(request: Request, sweep_id: str) -> Response:
    """Status, progress, every started trial and the best one with its full TrainConfig."""
    return json_of(await found(request, sweep_id))


@router.delete("/{sweep_id}", response_class=JSONResponse)
async def cancel_sweep(request: Request, sweep_id: str, key: SweepKey = None) -> Response:
    """Cancel (with the sweep's X-Sweep-Key, or as the holder of DESCENT_TOKEN): running
    trials stop at once on this machine and within about 100 ms on others; no queued trial
    starts."""
    view = await found(request, sweep_id)
    storage = storage_of(request)
    study_id = sweep_store.find(storage, sweep_id)
    settings = request.app.state.settings
    if not is_admin(request, settings):
        attrs = await run_in_threadpool(storage.get_study_user_attrs, study_id)
        if key is None or attrs.get("owner") != key_hash(key):
            reason = "the X-Sweep-Key header is missing" if key is None else "wrong X-Sweep-Key"
            raise HTTPException(403, f"{reason}: only the sweep's owner may cancel it")
    if view["status"] not in TERMINAL:
        await run_in_threadpool(sweep_store.cancel, storage, study_id)
        ring(doorbell_folder(settings))  # this machine's trials stop now
        view = await found(request, sweep_id)
    return json_of(view)


def over(view: dict[str, Any]) -> bool:
    """Whether a sweep is finished and none of its trials still runs."""
    running = any(t["state"] == "running" for t in view["trials"])
    return view["status"] in TERMINAL and not running


def event(name: str, data: Any) -> bytes:
    """One Server-Sent Event."""
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


@router.get("/{sweep_id}/events")
async def sweep_events(request: Request, sweep_id: str) -> StreamingResponse:
    """`sweep` events (the whole view) whenever it changes, then `end` once it is over."""
    first = await found(request, sweep_id)
    storage = storage_of(request)

    async def stream() -> AsyncIterator[bytes]:
        view, quiet, settling = first, 0.0, SETTLE_SECONDS
        yield event("sweep", view)
        while not over(view):
            if view["status"] in TERMINAL:  # cancelled: wait a moment for running trials to stop
                settling -= EVENT_POLL_SECONDS
                if settling < 0:
                    break
            if await request.is_disconnected():
                return
            await asyncio.sleep(EVENT_POLL_SECONDS)
            latest = await run_in_threadpool(snapshot, storage, sweep_id)
            if latest is None:
                return
            if latest != view:
                view, quiet = latest, 0.0
                yield event("sweep", view)
            else:
                quiet += EVENT_POLL_SECONDS
                if quiet >= KEEPALIVE_SECONDS:
                    quiet = 0.0
                    yield b": keep-alive\n\n"
        yield event("end", {"id": sweep_id, "status": view["status"]})

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
