"""The security middleware of a classroom server: response headers, and the checks of
app/shared/access.py applied to every request.

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

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from app.settings import Settings
from app.shared.access import (
    TOKEN_HEADERS,
    Scope,
    header,
    host_allowed,
    needs_token,
    rest_token,
    token_error,
    token_matches,
)

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
