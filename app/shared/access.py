"""Who may reach the server: a Host a loopback server answers to, a WebSocket's Origin, and
the optional DESCENT_TOKEN (a header for REST, a `token` query parameter for /ws)."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.settings import Settings
from app.wire.errors import error_message

Scope = MutableMapping[str, Any]


TOKEN_HEADERS = "send it as 'Authorization: Bearer <token>' or 'X-Descent-Token: <token>'"

DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(address: str) -> bool:
    """Whether an IP address (the server's bound one) is a loopback address."""
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return address == "localhost"


def host_allowed(scope: Scope, settings: Settings) -> bool:
    """Bound to loopback: the Host must be a localhost name or an allowed host; else any."""
    server = scope.get("server")
    if not server or not is_loopback(str(server[0])):
        return True
    host = header(scope, b"host")
    if host is None:
        return True  # HTTP/1.0 clients on this machine
    name = host_port(host, "http")[0].strip("[]")
    allowed = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
    return name in LOCAL_NAMES or name.endswith(".localhost") or name in allowed


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (name in lower case), or None."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of the client's token with the server's."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def rest_token(scope: Scope) -> str | None:
    """The token of a REST request: `Authorization: Bearer <t>` or `X-Descent-Token: <t>`."""
    authorization = header(scope, b"authorization")
    if authorization is not None:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return header(scope, b"x-descent-token")


def needs_token(path: str) -> bool:
    """REST routes that the token guards (the page, its files and /healthz stay open)."""
    return path == "/api" or path.startswith("/api/")


def host_port(netloc: str, scheme: str) -> tuple[str, int | None]:
    """("example.org", 80) from "Example.org:80" or "example.org" with scheme http."""
    parts = urlsplit(f"//{netloc.strip().lower()}")
    try:
        port = parts.port
    except ValueError:
        return netloc.lower(), None
    return parts.hostname or "", port if port is not None else DEFAULT_PORTS.get(scheme)


def origin_allowed(scope: Scope, settings: Settings) -> bool:
    """Same origin (Origin's host:port is the Host header's), a listed origin, or no Origin."""
    origin = header(scope, b"origin")
    if origin is None:
        return True
    allowed = [o.strip().rstrip("/").lower() for o in settings.allowed_origins.split(",")]
    if "*" in allowed or origin.rstrip("/").lower() in allowed:
        return True
    parts = urlsplit(origin)
    host = header(scope, b"host")
    if not parts.netloc or host is None:
        return False
    scheme = parts.scheme.lower()
    return host_port(parts.netloc, scheme) == host_port(host, scheme)


def token_error(missing: bool) -> dict[str, Any]:
    """The `error` message or 401 detail entry for a missing or wrong token."""
    reason = "token required" if missing else "token required: the token given is wrong"
    return error_message(reason, "token")


def websocket_token_error(scope: Scope, settings: Settings) -> dict[str, Any] | None:
    """The `error` for a WebSocket without the right `token` parameter, or None if fine."""
    if not settings.token:
        return None
    given = query_token(scope)
    return None if token_matches(given, settings.token) else token_error(given is None)


def query_token(scope: Scope) -> str | None:
    """The `token` query parameter (the WebSocket's way of sending it), however it is
    spelled: a name that decodes to "token" counts."""
    query = scope.get("query_string", b"").decode("latin-1")
    for key, values in parse_qs(query).items():
        if key.strip().lower() == "token" and values:
            return values[0]
    return None
