"""Client and AsyncClient: one method per thing the server does, the sync one for scripts and
notebooks, the async one for asyncio code. Both build their requests and read their answers
through descent.calls; they differ only in how the bytes travel."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import httpx

from descent import calls
from descent.configs import Config, merge, overrides_of
from descent.errors import DescentError, checked, unreachable
from descent.frames import Conversation, socket_url
from descent.room import AsyncRoom, Room
from descent.run import Run
from descent.stream import AsyncStream, Stream
from descent.sweep import AsyncSweep, Sweep

T = TypeVar("T")
DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 300.0  # a REST run may take up to the server's 120 s budget, and wait in line
OPEN_TIMEOUT = 30.0


class Base:
    """What both clients share: the address, the token, the options they read once."""

    def __init__(self, url: str, token: str | None, timeout: float | httpx.Timeout) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.cached_options: dict[str, Any] | None = None
        self.sweep_key = secrets.token_urlsafe(18)  # owns this client's sweeps (X-Sweep-Key)

    def http_settings(self) -> dict[str, Any]:
        """The keyword arguments of the httpx client: base URL, timeout, the token header and
        the sweep owner key (so sweeps() lists the sweeps this client created)."""
        headers = {"X-Sweep-Key": self.sweep_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return {"base_url": self.url, "timeout": self.timeout, "headers": headers}

    def conversation(
        self,
        config: Mapping[str, Any] | None,
        iterations: int | None,
        speed: int | None,
        rate: float | None,
        lanes: Sequence[Mapping[str, Any]] | None,
        initial_weights: Any,
    ) -> tuple[str, Conversation]:
        """A live run's socket address and conversation."""
        weights = calls.weights_of(initial_weights)
        talk = Conversation(config, iterations, speed, rate, lanes, weights)
        return socket_url(self.url, self.token), talk

    def filled(
        self, options: Mapping[str, Any], updates: tuple[Mapping[str, Any], ...],
        overrides: Mapping[str, Any],
    ) -> Config:  # fmt: skip
        """The server's default config with the updates merged in."""
        return merge(options["defaults"], overrides_of(updates, overrides))

    def failed(self, error: httpx.TransportError) -> DescentError:
        """A request that got no answer."""
        if isinstance(error, httpx.TimeoutException):
            return DescentError(f"no answer from {self.url} within the timeout ({error!r})")
        return unreachable(self.url, error)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


class Client(Base):
    """The Descent server at `url`, for scripts and notebooks.

    ```python
    import descent

    client = descent.Client("http://127.0.0.1:8000")
    run = client.train({"optimizer": {"learning_rate": 0.5}}, iterations=2000)
    print(run.final["cost_train"])
    ```
    `token` is the server's DESCENT_TOKEN when it has one; `timeout` is in seconds (or an
    httpx.Timeout). Bad inputs raise descent.ValidationError naming the field."""

    def __init__(
        self, url: str = DEFAULT_URL, token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:  # fmt: skip
        super().__init__(url, token, timeout)
        self.http = httpx.Client(**self.http_settings())

    def send(self, call: calls.Call[T]) -> T:
        """Make one request and read its answer (DescentError and subclasses on refusal)."""
        try:
            response = self.http.request(call.method, call.path, json=call.json,
                                         headers=call.headers)  # fmt: skip
        except httpx.TransportError as error:
            raise self.failed(error) from error
        return call.read(checked(response))

    def health(self) -> dict[str, Any]:
        """{"status": "ok", "version": ...} from /healthz."""
        return self.send(calls.health())

    def options(self, refresh: bool = False) -> dict[str, Any]:
        """GET /api/options: every registry entry, the limits and the default config (read
        once per client; refresh=True reads it again)."""
        if self.cached_options is None or refresh:
            self.cached_options = self.send(calls.options())
        return copy.deepcopy(self.cached_options)

    def defaults(self) -> Config:
        """The server's default TrainConfig, complete."""
        return self.config()

    def config(self, *updates: Mapping[str, Any], **overrides: Any) -> Config:
        """The default config with changes merged in: nested dicts, dotted keys
        ({"optimizer.learning_rate": 0.1}) or keywords (optimizer__learning_rate=0.1)."""
        return self.filled(self.options(), updates, overrides)

    def lessons(self) -> list[dict[str, Any]]:
        """The course's lessons: name, title, what to watch, iterations, lanes with configs."""
        return self.send(calls.lessons())

    def preview(
        self, dataset: Mapping[str, Any] | str, output: str | None = None
    ) -> dict[str, Any]:
        """A dataset's train and test points and extent, without training ("moons" or
        {"name": "spiral", "classes": 3})."""
        return self.send(calls.preview(dataset, output))

    def parse_csv(self, text: str, output: str | None = None) -> dict[str, Any]:
        """A CSV file's text as custom points: {"points", "problem", "classes", "legend",
        "header"}; use {"name": "custom", "points": answer["points"]} as a dataset."""
        return self.send(calls.parse_csv(text, output))

    def train(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        epochs: int | None = None,
        record_every: int | None = None,
        boundary_resolution: int | None = None,
        initial_weights: Any = None,
    ) -> Run:
        """Train a config on the server (POST /api/train) and return the Run. `epochs` asks
        for whole passes instead of iterations (servers that lack it answer a 422);
        `initial_weights` (a dict of arrays, or a previous Run) continues a run."""
        call = calls.train(config, iterations, epochs, record_every, boundary_resolution,
                           initial_weights)  # fmt: skip
        return self.send(call)

    def stream(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        speed: int | None = None,
        rate: float | None = None,
        lanes: Sequence[Mapping[str, Any]] | None = None,
        initial_weights: Any = None,
    ) -> Stream:
        """A live run over the WebSocket: `for frame in client.stream(config): ...`. With
        `iterations` it makes exactly that many updates and ends (the last frame is exact, its
        numbers those of train()); without, it plays until the loop stops. `speed` is the
        iterations between two frames, `rate` the frames per second, `lanes` a race."""
        url, talk = self.conversation(config, iterations, speed, rate, lanes, initial_weights)
        return Stream(url, talk, OPEN_TIMEOUT)

    def landscape(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        resolution: int | None = None,
        directions: str | None = None,
        points: int | None = None,
        lanes: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The cost on a plane through the trained weights (POST /api/landscape): axes, cost
        grid, the projected path, explained variance."""
        return self.send(calls.landscape(config, iterations, resolution, directions, points,
                                         lanes))  # fmt: skip

    def gradient_check(
        self, config: Mapping[str, Any] | None = None, *, iterations: int | None = None,
        initial_weights: Any = None, epsilon: float | None = None, examples: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Backpropagation against the course's centred differences (POST /api/gradcheck) after
        `iterations` updates (or on `initial_weights`, a dict or a Run), on the first `examples`
        training examples (server default 100) with step `epsilon` (1e-7): difference,
        per_parameter, parameters (name, shape, difference), verdict."""
        call = calls.gradient_check(config, iterations, initial_weights, epsilon, examples)
        return self.send(call)

    def sweep(
        self,
        config: Mapping[str, Any] | None = None,
        space: Mapping[str, Any] | None = None,
        trials: int | None = None,
        iterations: int | None = None,
        objective: str | None = None,
        sampler: str | None = None,
        pruner: str | None = None,
        seed: int | None = None,
        *,
        epochs: int | None = None,
        record_every: int | None = None,
        initial_weights: Any = None,
        boundary_resolution: int | None = None,
    ) -> Sweep:
        """Queue a search (POST /api/sweeps) and return its handle; sweep.wait() follows it.
        `space` maps dotted config paths to {"low", "high", "log"?, "step"?} or
        {"choices": [...]} (a seed list: {"seed": {"choices": [0, 1, 2]}}); `epochs`,
        `record_every`, `initial_weights` and `boundary_resolution` mean what they mean to
        train() (a trial's boundary comes encoded as in frames)."""
        call = calls.create_sweep(config, space, trials, iterations, objective, sampler, pruner,
                                  seed, epochs, record_every, initial_weights,
                                  boundary_resolution)  # fmt: skip
        return Sweep(self, self.send(call))

    def get_sweep(self, sweep_id: str, key: str | None = None) -> Sweep:
        """A handle on an existing sweep (`key`: its cancel key, when the server gave one)."""
        created = {"id": sweep_id, **({"key": key} if key else {})}
        return Sweep(self, created).refresh()

    def sweeps(self) -> list[dict[str, Any]]:
        """Every sweep's summary, newest first."""
        return self.send(calls.sweeps())

    def create_room(self, teacher_token: str | None = None) -> Room:
        """A new classroom room (`teacher_token`: the server's DESCENT_TEACHER_TOKEN if set)."""
        return Room(self, self.send(calls.create_room(teacher_token)))

    def room(self, code: str, key: str) -> Room:
        """The room with this code, steered with its teacher key."""
        return Room(self, {"code": code, "teacher_key": key})

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(Base):
    """The Descent server at `url` for asyncio code: Client's methods as coroutines
    (`stream()` gives an AsyncStream: `async for frame in client.stream(config)`)."""

    def __init__(
        self, url: str = DEFAULT_URL, token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:  # fmt: skip
        super().__init__(url, token, timeout)
        self.http = httpx.AsyncClient(**self.http_settings())

    async def send(self, call: calls.Call[T]) -> T:
        """Make one request and read its answer (DescentError and subclasses on refusal)."""
        try:
            response = await self.http.request(call.method, call.path, json=call.json,
                                               headers=call.headers)  # fmt: skip
        except httpx.TransportError as error:
            raise self.failed(error) from error
        return call.read(checked(response))

    async def health(self) -> dict[str, Any]:
        """{"status": "ok", "version": ...} from /healthz."""
        return await self.send(calls.health())

    async def options(self, refresh: bool = False) -> dict[str, Any]:
        """GET /api/options (read once per client; refresh=True reads it again)."""
        if self.cached_options is None or refresh:
            self.cached_options = await self.send(calls.options())
        return copy.deepcopy(self.cached_options)

    async def defaults(self) -> Config:
        """The server's default TrainConfig, complete."""
        return await self.config()

    async def config(self, *updates: Mapping[str, Any], **overrides: Any) -> Config:
        """The default config with changes merged in (nested, dotted or keyword__path)."""
        return self.filled(await self.options(), updates, overrides)

    async def lessons(self) -> list[dict[str, Any]]:
        """The course's lessons."""
        return await self.send(calls.lessons())

    async def preview(
        self, dataset: Mapping[str, Any] | str, output: str | None = None
    ) -> dict[str, Any]:
        """A dataset's train and test points and extent, without training."""
        return await self.send(calls.preview(dataset, output))

    async def parse_csv(self, text: str, output: str | None = None) -> dict[str, Any]:
        """A CSV file's text as custom points."""
        return await self.send(calls.parse_csv(text, output))

    async def train(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        epochs: int | None = None,
        record_every: int | None = None,
        boundary_resolution: int | None = None,
        initial_weights: Any = None,
    ) -> Run:
        """Train a config on the server (POST /api/train) and return the Run."""
        call = calls.train(config, iterations, epochs, record_every, boundary_resolution,
                           initial_weights)  # fmt: skip
        return await self.send(call)

    def stream(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        speed: int | None = None,
        rate: float | None = None,
        lanes: Sequence[Mapping[str, Any]] | None = None,
        initial_weights: Any = None,
    ) -> AsyncStream:
        """A live run over the WebSocket: `async for frame in client.stream(config)`."""
        url, talk = self.conversation(config, iterations, speed, rate, lanes, initial_weights)
        return AsyncStream(url, talk, OPEN_TIMEOUT)

    async def landscape(
        self,
        config: Mapping[str, Any] | None = None,
        iterations: int | None = None,
        *,
        resolution: int | None = None,
        directions: str | None = None,
        points: int | None = None,
        lanes: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The cost on a plane through the trained weights (POST /api/landscape)."""
        return await self.send(calls.landscape(config, iterations, resolution, directions,
                                               points, lanes))  # fmt: skip

    async def gradient_check(
        self, config: Mapping[str, Any] | None = None, *, iterations: int | None = None,
        initial_weights: Any = None, epsilon: float | None = None, examples: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Backpropagation against centred differences (POST /api/gradcheck)."""
        call = calls.gradient_check(config, iterations, initial_weights, epsilon, examples)
        return await self.send(call)

    async def sweep(
        self,
        config: Mapping[str, Any] | None = None,
        space: Mapping[str, Any] | None = None,
        trials: int | None = None,
        iterations: int | None = None,
        objective: str | None = None,
        sampler: str | None = None,
        pruner: str | None = None,
        seed: int | None = None,
        *,
        epochs: int | None = None,
        record_every: int | None = None,
        initial_weights: Any = None,
        boundary_resolution: int | None = None,
    ) -> AsyncSweep:
        """Queue a search (POST /api/sweeps) and return its handle."""
        call = calls.create_sweep(config, space, trials, iterations, objective, sampler, pruner,
                                  seed, epochs, record_every, initial_weights,
                                  boundary_resolution)  # fmt: skip
        return AsyncSweep(self, await self.send(call))

    async def get_sweep(self, sweep_id: str, key: str | None = None) -> AsyncSweep:
        """A handle on an existing sweep."""
        created = {"id": sweep_id, **({"key": key} if key else {})}
        return await AsyncSweep(self, created).refresh()

    async def sweeps(self) -> list[dict[str, Any]]:
        """Every sweep's summary, newest first."""
        return await self.send(calls.sweeps())

    async def create_room(self, teacher_token: str | None = None) -> AsyncRoom:
        """A new classroom room."""
        return AsyncRoom(self, await self.send(calls.create_room(teacher_token)))

    def room(self, code: str, key: str) -> AsyncRoom:
        """The room with this code, steered with its teacher key."""
        return AsyncRoom(self, {"code": code, "teacher_key": key})

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
