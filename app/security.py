"""Security for a classroom server: response headers, the optional token, WebSocket origins.

- Every HTTP response carries a Content-Security-Policy and the usual hardening headers.
- DESCENT_TOKEN, when set, is required by /api/* (Authorization: Bearer <token> or
  X-Descent-Token) and by /ws (a `token` query parameter: browsers cannot set headers
  there); the page, /static and /healthz stay open so the page can load and ask for it.
- A WebSocket's Origin must be the page's own (its host equals the Host header) or one of
  DESCENT_ALLOWED_ORIGINS ("*" for any); clients that send no Origin (scripts) are allowed.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The template's one inline handler (<form onsubmit="return false">) is allowed by its hash;
# inline style attributes are used by the teaching panels (swatch colours, bar widths).
SUBMIT_HANDLER_HASH = "'sha256-GZIcz60Uwd6wT3vaYke/atSr53TehbYAPepOa3d03Vw='"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-hashes' {SUBMIT_HANDLER_HASH}",
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self' ws: wss:",
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
# /docs (Swagger UI, served from local files by app.apidocs) starts with an inline script of
# FastAPI's own: it gets a policy that allows exactly that, and nothing from elsewhere.
DOCS_PATHS = ("/docs",)
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]
TOKEN_HEADERS = "send it as 'Authorization: Bearer <token>' or 'X-Descent-Token: <token>'"
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}


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


def query_token(scope: Scope) -> str | None:
    """The `token` query parameter (the WebSocket's way of sending it)."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


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
    return {"type": "error", "message": reason, "field": "token"}


class SecurityMiddleware:
    """Adds the security headers to every HTTP response and guards /api/* with the token."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.token = settings.token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = SECURITY_HEADERS
        if scope["path"] in DOCS_PATHS:
            policy = (b"content-security-policy", DOCS_CONTENT_SECURITY_POLICY.encode())
            headers = [policy, *SECURITY_HEADERS[1:]]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in headers if k not in present]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        if self.token and needs_token(scope["path"]) and scope.get("method") != "OPTIONS":
            given = rest_token(scope)
            if not token_matches(given, self.token):
                await unauthorized(send_with_headers, missing=given is None)
                return
        await self.app(scope, receive, send_with_headers)


async def unauthorized(send: Send, missing: bool) -> None:
    """A 401 whose JSON names the token and how to send it."""
    reason = token_error(missing)["message"]
    body = {
        "detail": [
            {
                "type": "token_required",
                "loc": ["header", "authorization"],
                "msg": reason,
                "field": "token",
                "message": f"{reason}: {TOKEN_HEADERS}" if missing else reason,
            }
        ]
    }
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"www-authenticate", b'Bearer realm="descent"'),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def websocket_token_error(scope: Scope, settings: Settings) -> dict[str, Any] | None:
    """The `error` for a WebSocket without the right `token` parameter, or None if fine."""
    if not settings.token:
        return None
    given = query_token(scope)
    return None if token_matches(given, settings.token) else token_error(given is None)


class RedactToken(logging.Filter):
    """Hides `token=...` in log lines (uvicorn logs a WebSocket's path with its query)."""

    pattern = re.compile(r"(token=)[^&\s\"']*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any("token=" in str(a) for a in record.args):
            record.args = tuple(
                self.pattern.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def redact_tokens_in_logs() -> None:
    """Install RedactToken on uvicorn's loggers (once)."""
    for name in ("uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) for f in logger.filters):
            logger.addFilter(RedactToken())
