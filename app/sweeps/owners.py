"""Who owns a sweep, and how many may be open: owner keys, the admin token, open-sweep caps.

Creating a sweep returns an owner key (or keeps the one the caller sent in X-Sweep-Key, so a
script or a browser keeps all its sweeps under one key); only its SHA-256 is stored. Listing
and cancelling need the key; the holder of DESCENT_TOKEN sees and cancels every sweep.
Creations are admitted one at a time, after counting the open sweeps (queued or running,
not cancelled) in all and of the asking address: past either cap, a 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading

from fastapi import Request
from fastapi.responses import JSONResponse
from optuna.storages import RDBStorage

from app.settings import Settings
from app.shared.access import rest_token, token_matches
from app.sweeps.request import SweepRequest
from app.sweeps.store import create_sweep, open_clients
from app.wire.errors import FieldError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
CREATING = threading.Lock()  # one creation at a time in this process: its cost is one thread's
CREATE_WAIT_SECONDS = 10.0  # a creation waiting longer for the one before it gets a 429


class BusyError(Exception):
    """Too many open sweeps (in all or of this client), or creations waiting: a 429."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    def response(self) -> JSONResponse:
        """429 with Retry-After and the usual detail list."""
        detail = {"type": "busy", "loc": ["body"], "msg": self.message, "field": None,
                  "message": self.message}  # fmt: skip
        headers = {"retry-after": str(self.retry_after)}
        return JSONResponse({"detail": [detail]}, status_code=429, headers=headers)


def owner_key(given: str | None) -> str:
    """The caller's own key if it sent a well-formed one, else a new one (144 random bits);
    FieldError naming X-Sweep-Key for a malformed key."""
    if given is None:
        return secrets.token_urlsafe(18)
    if not KEY_PATTERN.match(given):
        raise FieldError("X-Sweep-Key", "16 to 128 letters, digits, '-' or '_'")
    return given


def key_hash(key: str) -> str:
    """SHA-256 of an owner key, as stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def is_admin(request: Request, settings: Settings) -> bool:
    """Whether the caller holds DESCENT_TOKEN (only when one is set)."""
    return bool(settings.token) and token_matches(rest_token(request.scope), settings.token or "")


def admitted(
    storage: RDBStorage, settings: Settings, client: str, owner: str, request: SweepRequest
) -> str:
    """Create the sweep if the open-sweep caps allow it (counted and created under one lock,
    so parallel creations cannot both slip under a cap); BusyError otherwise."""
    retry = settings.sweep_retry_seconds
    if not CREATING.acquire(timeout=CREATE_WAIT_SECONDS):
        raise BusyError("other sweeps are being created: try again shortly", retry)
    try:
        clients = open_clients(storage)
        if len(clients) >= settings.max_open_sweeps:
            raise BusyError(f"this server already runs {len(clients)} sweeps (at most "
                       f"{settings.max_open_sweeps}): try again when one ends", retry)  # fmt: skip
        mine = clients.count(client)
        if mine >= settings.max_open_sweeps_per_client:
            raise BusyError(f"you already have {mine} open sweeps (at most "
                       f"{settings.max_open_sweeps_per_client}): wait for one to end or "
                       "cancel one", retry)  # fmt: skip
        return create_sweep(storage, request, owner, client)
    finally:
        CREATING.release()
