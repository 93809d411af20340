"""Room and AsyncRoom: a classroom room steered from a teacher's script."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from descent import calls
from descent.errors import DescentError

if TYPE_CHECKING:
    from descent.client import AsyncClient, Client

Lesson = Mapping[str, Any] | str


class RoomState:
    """A room's code and teacher key, and the calls of its teacher routes."""

    def __init__(self, created: Mapping[str, Any], base_url: str) -> None:
        self.code = str(created["code"])
        self.key = str(created["teacher_key"])
        self.created = dict(created)
        self.base_url = base_url.rstrip("/")

    @property
    def join_url(self) -> str:
        """The link students open to join."""
        return self.base_url + str(self.created.get("join_path", f"/?room={self.code}"))

    @property
    def teacher_url(self) -> str:
        """The dashboard's link (the key is in its #fragment: keep it to yourself)."""
        fallback = f"/teach#room={self.code}&key={self.key}"
        return self.base_url + str(self.created.get("teacher_path", fallback))

    def call(self, method: str, action: str = "", json: Any = None) -> calls.Call[Any]:
        """A teacher route of this room."""
        return calls.room(method, self.code, self.key, action, json)

    def __repr__(self) -> str:
        return f"<Room {self.code}>"


def lesson_named(lessons: Sequence[Mapping[str, Any]], name: str) -> Mapping[str, Any]:
    """The lesson of /api/lessons with that name, or a DescentError listing the names."""
    for lesson in lessons:
        if lesson.get("name") == name:
            return lesson
    names = ", ".join(str(lesson.get("name")) for lesson in lessons)
    raise DescentError(f"no lesson named {name!r}; the lessons are {names}")


class Room(RoomState):
    """A room for scripts: students(), view(), push(), pause(), resume(), reset(), close()."""

    def __init__(self, client: Client, created: Mapping[str, Any]) -> None:
        super().__init__(created, client.url)
        self.client = client

    def view(self) -> dict[str, Any]:
        """{"code", "students": [tile], "lesson", "paused", "spotlight"}."""
        return dict(self.client.send(self.call("GET")))

    def students(self) -> list[dict[str, Any]]:
        """Each student's latest tile: name, iteration, costs, accuracies, state, config."""
        return list(self.view()["students"])

    def push(self, lesson: Lesson, locks: Sequence[str] = ()) -> dict[str, Any]:
        """Send everyone a config, a lesson of lessons() or a lesson's name; the controls
        named in `locks` (e.g. ["optimizer", "l2"]) are hidden on the students' pages."""
        if isinstance(lesson, str):
            lesson = lesson_named(self.client.lessons(), lesson)
        call = calls.push(self.code, self.key, calls.lesson_config(lesson), locks)
        return self.client.send(call)

    def pause(self) -> dict[str, Any]:
        """Pause every student (their play waits for resume())."""
        return dict(self.client.send(self.call("POST", "pause")))

    def resume(self) -> dict[str, Any]:
        """Start every student training."""
        return dict(self.client.send(self.call("POST", "resume")))

    def reset(self) -> dict[str, Any]:
        """Every student back to iteration 0 with their config."""
        return dict(self.client.send(self.call("POST", "reset")))

    def spotlight(self, name: str | None) -> dict[str, Any]:
        """Put one student's run on the projector view (None: nobody)."""
        return dict(self.client.send(self.call("POST", "spotlight", {"name": name})))

    def results_csv(self) -> str:
        """The class's figures and key settings as CSV text, one row per student."""
        return str(self.client.send(self.call("GET", "results.csv")))

    def close(self) -> dict[str, Any]:
        """End the room; students keep their runs."""
        return dict(self.client.send(self.call("DELETE")))


class AsyncRoom(RoomState):
    """A room for asyncio: the same methods as coroutines."""

    def __init__(self, client: AsyncClient, created: Mapping[str, Any]) -> None:
        super().__init__(created, client.url)
        self.client = client

    async def view(self) -> dict[str, Any]:
        """{"code", "students": [tile], "lesson", "paused", "spotlight"}."""
        return dict(await self.client.send(self.call("GET")))

    async def students(self) -> list[dict[str, Any]]:
        """Each student's latest tile."""
        return list((await self.view())["students"])

    async def push(self, lesson: Lesson, locks: Sequence[str] = ()) -> dict[str, Any]:
        """Send everyone a config, a lesson of lessons() or a lesson's name, locking `locks`."""
        if isinstance(lesson, str):
            lesson = lesson_named(await self.client.lessons(), lesson)
        call = calls.push(self.code, self.key, calls.lesson_config(lesson), locks)
        return await self.client.send(call)

    async def pause(self) -> dict[str, Any]:
        """Pause every student."""
        return dict(await self.client.send(self.call("POST", "pause")))

    async def resume(self) -> dict[str, Any]:
        """Start every student training."""
        return dict(await self.client.send(self.call("POST", "resume")))

    async def reset(self) -> dict[str, Any]:
        """Every student back to iteration 0."""
        return dict(await self.client.send(self.call("POST", "reset")))

    async def spotlight(self, name: str | None) -> dict[str, Any]:
        """Put one student's run on the projector view (None: nobody)."""
        return dict(await self.client.send(self.call("POST", "spotlight", {"name": name})))

    async def results_csv(self) -> str:
        """The class's figures as CSV text."""
        return str(await self.client.send(self.call("GET", "results.csv")))

    async def close(self) -> dict[str, Any]:
        """End the room; students keep their runs."""
        return dict(await self.client.send(self.call("DELETE")))
