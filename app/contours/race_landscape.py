"""The playground's `landscape` message: the loss landscape of every lane of a session on one
plane, computed as POST /api/landscape computes it, added to the socket as an extension."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt

from app.contours.landscape import checked_lanes, compute, race_request
from app.playground import side_work
from app.playground.table import Connection, Extension, MessageType
from app.wire.config import Model
from app.wire.errors import FieldError


class Landscape(Model):
    """The loss landscape of every lane of the session on one plane (as POST /api/landscape
    with the session's lanes): trained afresh from each lane's config."""

    type: Literal["landscape"]
    iterations: StrictInt = Field(2000, ge=1)
    resolution: StrictInt = Field(41, ge=3)
    directions: Literal["pca", "random"] = "pca"
    points: StrictInt = Field(100, ge=2, le=1000)


async def landscape(connection: Connection, message: Landscape) -> None:
    """Train each lane's config afresh and answer with a `landscape` message."""
    session = connection.session
    lanes = await session.lane_configs()
    if not lanes:
        raise FieldError("type", "send configure first")
    labels, configs = [label for label, _ in lanes], [config for _, config in lanes]
    body = race_request(configs, labels, **message.model_dump(exclude={"type"}))
    checked = checked_lanes(body, session.settings)
    view = await side_work.run("check", compute, body, checked)
    session.outbox.put({"type": "landscape", **view})


class NoAddon:
    """The landscape keeps nothing beside a session."""

    def check(self, kind: str) -> None:
        """Refuses nothing."""

    async def close(self) -> None:
        """Nothing to release."""


def extension() -> Extension:
    """Landscapes on the playground socket: the `landscape` message."""
    return Extension(
        name="landscape",
        attach=lambda session: NoAddon(),
        messages={"landscape": MessageType(Landscape, landscape)},
    )
