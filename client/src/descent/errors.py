"""The exceptions of the client: every answer the server refuses becomes one of these."""

from __future__ import annotations

from typing import Any

import httpx

CONFIG_KEYS = ("dataset", "features", "network", "optimizer", "regularization", "seed")


class DescentError(Exception):
    """Any refusal by the server (or a server that cannot be reached): `status` is the HTTP
    status (None for a WebSocket error or no answer), `detail` the server's answer body."""

    def __init__(self, message: str, status: int | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail


class ValidationError(DescentError):
    """A 422: the server named the bad fields. `errors` is the server's list, each entry with
    `field` (the dotted path, e.g. "config.network.hidden") and a one-line `message`."""

    def __init__(self, errors: list[dict[str, Any]], status: int | None = 422) -> None:
        self.errors = errors
        message = "; ".join(str(e.get("message") or e.get("msg") or e) for e in errors)
        super().__init__(message or "invalid request", status, {"detail": errors})

    @property
    def fields(self) -> list[str | None]:
        """The dotted field names, in the server's order (None for the whole body)."""
        return [e.get("field") for e in self.errors]

    @property
    def field(self) -> str | None:
        """The first bad field's dotted name."""
        return self.fields[0] if self.errors else None


class BusyError(DescentError):
    """A 429 (the server's run pool is full) or a full server on the WebSocket:
    `retry_after` is the seconds the server asked to wait (None when it did not say)."""

    def __init__(
        self, message: str, retry_after: float | None = None, status: int | None = 429,
        detail: Any = None,
    ) -> None:  # fmt: skip
        super().__init__(message, status, detail)
        self.retry_after = retry_after


def detail_message(detail: Any) -> str:
    """A one-line reading of a `detail` (FastAPI's string, or the server's list of entries)."""
    if isinstance(detail, list):
        return "; ".join(
            str(e.get("message") or e.get("msg")) if isinstance(e, dict) else str(e) for e in detail
        )
    return str(detail)


def error_for(response: httpx.Response) -> DescentError:
    """The exception for an HTTP answer with an error status."""
    try:
        body = response.json()
    except ValueError:
        body = response.text
    detail = body.get("detail", body) if isinstance(body, dict) else body
    status = response.status_code
    if status == 422 and isinstance(detail, list):
        return ValidationError([e if isinstance(e, dict) else {"message": e} for e in detail])
    what = f"{response.request.method} {response.request.url.path}"
    message = f"{status} {response.reason_phrase} from {what}: {detail_message(detail)}"
    if status == 429:
        return BusyError(message, retry_after_of(response.headers), status, body)
    return DescentError(message, status, body)


def retry_after_of(headers: httpx.Headers) -> float | None:
    """The Retry-After header in seconds (None when absent or a date)."""
    try:
        return float(headers["retry-after"])
    except (KeyError, ValueError):
        return None


def checked(response: httpx.Response) -> httpx.Response:
    """The response, or the exception its error status stands for."""
    if response.is_error:
        raise error_for(response)
    return response


def socket_error(message: dict[str, Any], configuring: bool = False) -> DescentError:
    """The exception for a WebSocket `error` message. Fields of a configure's config are named
    as REST names them ("config.network.hidden"), so one config gives one name either way."""
    field = message.get("field")
    if configuring and isinstance(field, str) and field.split(".")[0] in CONFIG_KEYS:
        field = f"config.{field}"
    text = str(message.get("message", "error"))
    if "limit" in message and field is None:  # "server is full" and the like
        return BusyError(text, None, None, message)
    if field is None or field == "type":
        return DescentError(text, None, message)
    entry = {**message, "field": field, "message": text}
    return ValidationError([entry], status=None)


def unreachable(url: str, error: Exception) -> DescentError:
    """A server that could not be reached at all."""
    return DescentError(f"cannot reach the Descent server at {url}: {error}")
