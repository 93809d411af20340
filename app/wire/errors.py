"""Errors that name the offending field, and the translation of pydantic errors into them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any


class FieldError(ValueError):
    """A bad value for one field: "network.hidden: at most 8 hidden layers (got 9)"."""

    def __init__(self, field: str | None, message: str, **extra: Any) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message
        self.extra = extra

    def as_detail(self) -> dict[str, Any]:
        """One entry of a 422 "detail" list (FastAPI's shape plus "field" and "message")."""
        loc = ["body", *self.field.split(".")] if self.field else ["body"]
        return {
            "type": self.extra.get("type", "value_error"),
            "loc": loc,
            "msg": self.reason,
            "field": self.field,
            "message": str(self),
            **{k: v for k, v in self.extra.items() if k != "type"},
        }


def error_message(message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The WebSocket `error` reply: {"type": "error", "message", "field", ...limit, value};
    a FieldError's adds "reason", the message without the field path, for people to read."""
    return {"type": "error", "message": message, "field": field, **extra}


def error_reply(error: FieldError) -> dict[str, Any]:
    """A FieldError as the WebSocket `error` reply (its limit and value, when it has them)."""
    extra = {k: v for k, v in error.extra.items() if k in ("limit", "value")}
    return error_message(str(error), error.field, reason=error.reason, **extra)


ECHO_LIMIT = 200  # characters of a bad input that an error may repeat


def dotted(loc: Sequence[str | int], drop: Iterable[str] = ("body",)) -> str:
    """("body", "network", "hidden", 0) -> "network.hidden.0"."""
    parts = [str(p) for p in loc]
    for prefix in drop:
        if parts and parts[0] == prefix:
            parts = parts[1:]
    return ".".join(parts)


def short(value: Any, limit: int = 60) -> str:
    """A value as it appears in a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def readable(error: dict[str, Any], drop: Iterable[str] = ("body",)) -> dict[str, Any]:
    """A pydantic error dict with "field" (dotted path) and a one-line "message" added."""
    field = dotted(error.get("loc", ()), drop)
    msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if len(msg) > 2 * ECHO_LIMIT:
        msg = msg[: 2 * ECHO_LIMIT] + "..."
    got = "" if error.get("type") == "missing" else f" (got {short(error.get('input'))})"
    entry = {k: json_safe(v) for k, v in error.items() if k not in ("ctx", "url", "input")}
    if "input" in error:  # echoed only when small: never a large body back to its sender
        value = error["input"]
        entry["input"] = json_safe(value) if len(repr(value)) <= ECHO_LIMIT else short(value, 80)
    if "ctx" in error:
        entry["ctx"] = {k: short(str(v), ECHO_LIMIT) for k, v in error["ctx"].items()}
    whole = all(str(part) in drop for part in error.get("loc", ()))  # no path: the whole body
    entry.update(field=None if whole else field, msg=msg, message=f"{field or 'body'}: {msg}{got}")
    return entry


def json_safe(value: Any) -> Any:
    """The value with NaN and infinities turned into strings, so it can be sent as JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):  # a body that was not JSON (e.g. sent as text/plain)
        return short(value.decode("utf-8", "replace"), 200)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
