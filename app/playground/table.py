"""The playground's WebSocket messages in one table, type -> (model, handler): parsing, dispatch,
the `hello` message's list of types and docs/protocol.md's table all read it.

A part of the product that adds messages to the playground socket (a classroom room's `join`)
does so from outside, as an Extension: it attaches an Addon to each session, may refuse a
message before it reaches the session (`check`), and handles its own message types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.playground.inside_frames import Inside, handle_inside
from app.playground.limits import MAX_NESTING, nesting_depth
from app.playground.messages import (
    Bare,
    Checkpoints,
    Configure,
    Edit,
    GradCheck,
    Rate,
    Replay,
    Resume,
    SetChanges,
    Speed,
    Step,
)
from app.playground.session import Session
from app.settings import Settings
from app.wire.config import Model, validate
from app.wire.errors import FieldError


class Addon(Protocol):
    """What an extension keeps beside one session (e.g. its room membership)."""

    def check(self, kind: str) -> None:
        """Raise FieldError to refuse a message of this type before it is handled."""

    async def close(self) -> None:
        """The session ended."""


@dataclass
class Connection:
    """One WebSocket's session and the addons extensions attached to it, by name."""

    session: Session
    addons: dict[str, Addon] = field(default_factory=dict)

    def check(self, kind: str) -> None:
        """Every addon may refuse a message (a held class refuses play)."""
        for addon in self.addons.values():
            addon.check(kind)

    async def close(self) -> None:
        """Tell every addon the session ended."""
        for addon in self.addons.values():
            await addon.close()


Handler = Callable[[Connection, Any], Awaitable[None]]


@dataclass(frozen=True)
class MessageType:
    """A client message: its model, its handler and how it is admitted."""

    model: type[Model]
    handle: Handler
    rebuilds: bool = False  # rebuilds the session: rate-limited on its own
    big: bool = False  # may be as large as max_resume_bytes
    drop: tuple[str, ...] = ()  # fields validated elsewhere (a configure's partial config)
    doc: str = ""  # what the message does, when the model's docstring says it for several

    @property
    def summary(self) -> str:
        """`doc`, else the first paragraph of the model's docstring on one line."""
        text = self.doc or (self.model.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(text.split())

    @property
    def handled_by(self) -> str:
        """Where the handler lives: module.qualified_name."""
        return f"{self.handle.__module__}.{self.handle.__qualname__}"


@dataclass(frozen=True)
class Extension:
    """Messages and an addon per session, added to the playground from outside it."""

    name: str
    attach: Callable[[Session], Addon]
    messages: dict[str, MessageType]


def on_session(method: str, *fields: str, whole: bool = False) -> Handler:
    """A handler calling session.<method>(message) when whole, else with the named fields."""

    async def handle(connection: Connection, message: Any) -> None:
        call = getattr(connection.session, method)
        if whole:
            await call(message)
        else:
            await call(*(getattr(message, name) for name in fields))

    handle.__module__ = Session.__module__  # named as what it calls, for the table of messages
    handle.__qualname__ = f"Session.{method}"
    return handle


SESSION_MESSAGES: dict[str, MessageType] = {
    "configure": MessageType(
        Configure, on_session("configure", whole=True), rebuilds=True, drop=("config",)
    ),
    "play": MessageType(Bare, on_session("play"), doc="Train continuously."),
    "pause": MessageType(Bare, on_session("pause"), doc="Stop training; one exact frame a lane."),
    "reset": MessageType(Bare, on_session("reset"), doc="Back to iteration 0, same config."),
    "step": MessageType(Step, on_session("step", whole=True)),
    "set": MessageType(SetChanges, on_session("set", whole=True)),
    "rate": MessageType(Rate, on_session("rate", "frames_per_second")),
    "speed": MessageType(Speed, on_session("speed", whole=True)),
    "gradcheck": MessageType(GradCheck, on_session("gradcheck", "lane")),
    "resume": MessageType(Resume, on_session("resume", whole=True), rebuilds=True, big=True),
    "checkpoints": MessageType(Checkpoints, on_session("checkpoints", "enabled")),
    "edit": MessageType(Edit, on_session("edit", whole=True)),
    "replay": MessageType(Replay, on_session("replay", "iteration")),
    "inside": MessageType(Inside, handle_inside),
}


def message_table(extensions: Iterable[Extension] = ()) -> dict[str, MessageType]:
    """The session's messages and every extension's (no type may be defined twice)."""
    table = dict(SESSION_MESSAGES)
    for extension in extensions:
        for kind, entry in extension.messages.items():
            if kind in table:
                raise ValueError(f"message type {kind!r} defined twice ({extension.name})")
            table[kind] = entry
    return table


def big_message_pattern(table: dict[str, MessageType]) -> re.Pattern[str]:
    """Text starting with {"type": <a big type>: allowed up to max_resume_bytes."""
    kinds = "|".join(re.escape(kind) for kind, entry in table.items() if entry.big) or "(?!)"
    return re.compile(rf'\s*\{{\s*"type"\s*:\s*"({kinds})"')


def parse(
    text: str | bytes | None,
    settings: Settings,
    table: dict[str, MessageType],
    big: re.Pattern[str],
) -> tuple[MessageType, Any]:
    """A client message's table entry and validated model; FieldError for anything malformed."""
    if not isinstance(text, str):
        raise FieldError(None, "messages must be JSON text, not binary")
    size = len(text.encode())
    limit = settings.max_resume_bytes if big.match(text) else settings.max_message_bytes
    if size > limit:
        raise FieldError(None, f"message too big: at most {limit} bytes (got {size})")
    try:
        data = json.loads(text)
        depth = nesting_depth(data)
    except ValueError as error:
        raise FieldError(None, f"not valid JSON: {error}") from None
    except RecursionError:  # the decoder's own limit
        depth = MAX_NESTING + 1
    if depth > MAX_NESTING:
        raise FieldError(None, f"nested too deeply: at most {MAX_NESTING} levels of [] and {{}}")
    if not isinstance(data, dict):
        raise FieldError(None, "a message must be a JSON object with a 'type'")
    kind = data.get("type")
    entry = table.get(kind) if isinstance(kind, str) else None
    if entry is None:
        known = ", ".join(table)
        raise FieldError("type", f"unknown message type {kind!r}; one of {known}")
    return entry, validate(entry.model, data, drop=entry.drop)


def markdown_table(table: dict[str, MessageType]) -> str:
    """docs/protocol.md's table of client messages: type, model, handler, what it does."""
    rows = ["| type | model | handled by | what it does |", "|---|---|---|---|"]
    rows += [
        f"| `{kind}` | `{entry.model.__module__}.{entry.model.__name__}` | `{entry.handled_by}` "
        f"| {entry.summary} |"
        for kind, entry in table.items()
    ]
    return "\n".join(rows)
