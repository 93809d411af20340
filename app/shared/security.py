"""Security for a classroom server: response headers, the optional token, WebSocket origins.

- Every HTTP response carries a Content-Security-Policy and the usual hardening headers.
- DESCENT_TOKEN, when set, is required by /api/* (Authorization: Bearer <token> or
  X-Descent-Token) and by /ws (a `token` query parameter: browsers cannot set headers
  there); the page, /static and /healthz stay open so the page can load and ask for it.
- A WebSocket's Origin must be the page's own (its host equals the Host header) or one of
  DESCENT_ALLOWED_ORIGINS ("*" for any); clients that send no Origin (scripts) are allowed.
- A server bound to a loopback address answers only requests whose Host is a localhost name
  (or one of DESCENT_ALLOWED_HOSTS): a DNS-rebinding page cannot reach it under its own name.
- HEAD is answered wherever GET is; request bodies over DESCENT_MAX_BODY_BYTES get a 413
  before they are read in full.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from app.settings import Settings
from app.wire.errors import error_message

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
# /docs (Swagger UI, served from local files by app.server.apidocs) starts with an inline script of
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


class SecurityMiddleware:
    """Security headers on every HTTP response, the Host check, HEAD as GET, the body cap,
    and the token on /api/*."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.token = settings.token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not host_allowed(scope, self.settings):
            await refuse_host(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An HTTP request: headers added, HEAD answered as GET without a body, body capped."""
        headers = SECURITY_HEADERS
        if scope["path"] in DOCS_PATHS:
            policy = (b"content-security-policy", DOCS_CONTENT_SECURITY_POLICY.encode())
            headers = [policy, *SECURITY_HEADERS[1:]]
        head = scope.get("method") == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {key.lower() for key, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in headers if k not in present]
                message["headers"] = [*message.get("headers", ()), *extra]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if self.token and needs_token(scope["path"]) and scope.get("method") != "OPTIONS":
            given = rest_token(scope)
            if not token_matches(given, self.token):
                await unauthorized(send_with_headers, missing=given is None)
                return
        limit = self.settings.max_body_bytes
        length = header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await too_large(send_with_headers, limit)
            return
        refused = False
        seen = 0

        async def receive_capped() -> Message:
            """The body as it comes; past the cap, answer 413 and tell the app we are gone."""
            nonlocal refused, seen
            message = await receive()
            if message["type"] == "http.request" and not refused:
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    if not started:
                        await too_large(send_with_headers, limit)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send_with_headers(message)

        await self.app(scope, receive_capped, send_unless_refused)


async def too_large(send: Send, limit: int) -> None:
    """413 naming the limit."""
    message = f"request body too large: at most {limit} bytes (DESCENT_MAX_BODY_BYTES)"
    detail = {"type": "body_too_large", "loc": ["body"], "msg": message, "field": None,
              "message": message, "limit": limit}  # fmt: skip
    await send_json(send, 413, {"detail": [detail]}, [(b"connection", b"close")])


async def refuse_host(scope: Scope, receive: Receive, send: Send) -> None:
    """A request for a host name this loopback server does not answer to."""
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008, "reason": "host not allowed"})
        return
    message = "host not allowed: this server answers to localhost (see DESCENT_ALLOWED_HOSTS)"
    detail = {"type": "host_not_allowed", "loc": ["header", "host"], "msg": message,
              "field": "host", "message": message}  # fmt: skip
    await send_json(send, 400, {"detail": [detail]})


async def send_json(
    send: Send, status: int, body: Any, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """A whole JSON response."""
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


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
    await send_json(send, 401, body, [(b"www-authenticate", b'Bearer realm="descent"')])


def websocket_token_error(scope: Scope, settings: Settings) -> dict[str, Any] | None:
    """The `error` for a WebSocket without the right `token` parameter, or None if fine."""
    if not settings.token:
        return None
    given = query_token(scope)
    return None if token_matches(given, settings.token) else token_error(given is None)


QUERY_PARAMETER = re.compile(r"(?P<key>[^?&=\s\"']+)=(?P<value>[^&\s\"']*)")


def redact(text: str) -> str:
    """Every query parameter whose decoded name is `token` (%74oken, TOKEN too) as ***."""

    def hide(found: re.Match[str]) -> str:
        if unquote_plus(found["key"]).strip().lower() == "token":
            return f"{found['key']}=***"
        return found[0]

    return QUERY_PARAMETER.sub(hide, text) if "=" in text else text


def query_token(scope: Scope) -> str | None:
    """The `token` query parameter (the WebSocket's way of sending it), however it is
    spelled: a name that decodes to "token" counts."""
    query = scope.get("query_string", b"").decode("latin-1")
    for key, values in parse_qs(query).items():
        if key.strip().lower() == "token" and values:
            return values[0]
    return None


class RedactToken(logging.Filter):
    """Hides token parameters in log lines (uvicorn logs a WebSocket's path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_tokens_in_logs() -> None:
    """Install RedactToken on uvicorn's loggers (once)."""
    for name in ("uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) for f in logger.filters):
            logger.addFilter(RedactToken())
