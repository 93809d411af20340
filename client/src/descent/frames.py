"""Live runs over the WebSocket /ws: frames decoded, and the conversation written once (sans
I/O) for the sync and the async stream, which only carry its messages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from descent.arrays import arrays, decode_grids
from descent.configs import jsonable
from descent.errors import socket_error

MISSING_WEBSOCKETS = (
    "live runs need the websockets package: pip install websockets "
    "(or pip install 'descent-client[live]')"
)


def socket_url(base: str, token: str | None, path: str = "/ws") -> str:
    """http://host:port -> ws://host:port/ws (wss for https), with ?token= when there is one."""
    url = base.rstrip("/").replace("https://", "wss://", 1).replace("http://", "ws://", 1) + path
    return f"{url}?token={quote(token, safe='')}" if token else url


class Frame:
    """One lane's state at an iteration, as the server sent it, its grids decoded.

    Attributes read the common fields (`iteration`, `cost_train`, ...); `frame["key"]` reads any
    field of the message; `raw` is the message with its grids still encoded."""

    def __init__(self, message: dict[str, Any]) -> None:
        self.raw = message

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the message, or default."""
        return self.raw.get(key, default)

    @property
    def lane(self) -> int:
        """Which lane (0 unless the run races several)."""
        return int(self.raw.get("lane", 0))

    @property
    def iteration(self) -> int:
        """Parameter updates made so far."""
        return int(self.raw["iteration"])

    @property
    def epoch(self) -> int:
        """Passes over the training set so far."""
        return int(self.raw.get("epoch", 0))

    @property
    def costs(self) -> list[float | None]:
        """Every iteration's training cost since the lane's previous frame."""
        return list(self.raw.get("costs") or [])

    @property
    def cost_train(self) -> float | None:
        """J: training loss plus the penalties (dropout off)."""
        return self.raw.get("cost_train")

    @property
    def cost_test(self) -> float | None:
        """The test loss (None without a test set)."""
        return self.raw.get("cost_test")

    @property
    def accuracy_train(self) -> float | None:
        """Training accuracy (None for regression)."""
        return self.raw.get("accuracy_train")

    @property
    def accuracy_test(self) -> float | None:
        """Test accuracy (None for regression or without a test set)."""
        return self.raw.get("accuracy_test")

    @property
    def learning_rate(self) -> float | None:
        """The current learning rate (after decay)."""
        return self.raw.get("learning_rate")

    @property
    def diverged(self) -> str | None:
        """The lane's divergence message once it diverged, else None."""
        return self.raw.get("diverged")

    @property
    def weights(self) -> dict[str, Any]:
        """{"W1": ..., "b1": ...} as arrays (lists without NumPy); empty when not sent."""
        return arrays(self.raw.get("weights"))

    @property
    def boundary(self) -> Any:
        """The output over the grid: shape (planes, r, r), planes 1 for two classes and for
        regression, K for K >= 3 classes; row 0 is y max, column 0 is x min. None if absent."""
        grid = self.raw.get("boundary")
        if not grid:
            return None
        low, high = grid["range"]
        return decode_grids(grid["data"], low, high, grid.get("planes", 1), grid["resolution"])

    @property
    def neurons(self) -> list[Any] | None:
        """Every layer's units over the neurons' grid, inputs first and output last: one array
        of shape (units, r, r) per layer; None in frames that do not carry them."""
        neurons = self.raw.get("neurons")
        if not neurons:
            return None
        r = neurons["resolution"]
        return [
            decode_grids(layer["data"], layer["range"][0], layer["range"][1], layer["units"], r)
            for layer in neurons["layers"]
        ]

    def __repr__(self) -> str:
        return f"<Frame lane {self.lane} iteration {self.iteration} cost_train {self.cost_train}>"


class Conversation:
    """What a live run sends and how it reads the server's messages (no I/O of its own).

    The transport sends `opening()` once the socket is open, feeds every text it receives
    to `receive()` and sends what that returns; `receive()` gives the frames to yield, and
    `finished` says when the run reached its target (every lane at `iterations`)."""

    def __init__(
        self,
        config: Mapping[str, Any] | None,
        iterations: int | None = None,
        speed: int | None = None,
        rate: float | None = None,
        lanes: Sequence[Mapping[str, Any]] | None = None,
        initial_weights: Any = None,
    ) -> None:
        self.config = jsonable(dict(config or {}))
        self.iterations, self.speed, self.rate = iterations, speed, rate
        self.lanes = jsonable(list(lanes)) if lanes else None
        self.initial_weights = jsonable(initial_weights)
        self.hello: dict[str, Any] | None = None
        self.configured: dict[str, Any] | None = None
        self.state = "connecting"  # configuring, running, paused, diverged, finished
        self.reached: dict[int, int] = {}
        self.stopped: set[int] = set()  # lanes that diverged
        self.started = False

    def configure(self) -> dict[str, Any]:
        """The configure message."""
        message: dict[str, Any] = {"type": "configure", "config": self.config}
        if self.lanes:
            message["lanes"] = self.lanes
        if self.initial_weights:
            message["initial_weights"] = self.initial_weights
        return message

    def opening(self) -> list[dict[str, Any]]:
        """The first messages: configure (paced messages wait for `configured`)."""
        self.state = "configuring"
        return [self.configure()]

    def start(self) -> list[dict[str, Any]]:
        """Once configured: the pace, then play, or a step of exactly `iterations`."""
        out: list[dict[str, Any]] = []
        if self.rate is not None:
            out.append({"type": "rate", "frames_per_second": self.rate})
        if self.speed is not None:
            out.append({"type": "speed", "iterations_per_frame": self.speed})
        if self.iterations is None:
            out.append({"type": "play"})
        elif self.iterations > 0:
            out.append({"type": "step", "iterations": self.iterations})
        self.started = True
        self.state = "running"
        return out

    @property
    def finished(self) -> bool:
        """Whether every lane reached `iterations` (or diverged)."""
        return self.state == "finished"

    def lane_count(self) -> int:
        """How many lanes the session has."""
        return len(self.configured["lanes"]) if self.configured else 1

    def receive(self, text: str | bytes) -> tuple[list[Frame], list[dict[str, Any]]]:
        """Read one server message: (frames to yield, messages to send back). Raises the
        matching DescentError for an `error` message."""
        message = json.loads(text)
        kind = message.get("type")
        if kind == "hello":
            self.hello = message
        elif kind == "configured":
            self.configured = message
        elif kind == "error":
            raise socket_error(message, configuring=self.state == "configuring")
        elif kind == "frame":
            return [self.frame(message)], []
        elif kind == "status":
            return [], self.status(message)
        return [], []

    def frame(self, message: dict[str, Any]) -> Frame:
        """Note how far the lane got; the run is finished once every lane reached the target."""
        frame = Frame(message)
        self.reached[frame.lane] = frame.iteration
        if frame.diverged:
            self.stopped.add(frame.lane)
        if self.started and self.iterations is not None:
            lanes = range(self.lane_count())
            if all(self.reached.get(k, -1) >= self.iterations or k in self.stopped for k in lanes):
                self.state = "finished"
        return frame

    def status(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """`paused` after configure starts the run; `diverged` of every lane finishes it."""
        state = message.get("state")
        if state == "diverged" and "lane" in message:
            self.stopped.add(int(message["lane"]))
        if self.state == "configuring" and state == "paused":
            if self.iterations == 0:
                self.state = "finished"
                return []
            return self.start()
        if state == "diverged" and len(self.stopped) >= self.lane_count():
            self.state = "finished"
        return []


def text_of(message: Mapping[str, Any]) -> str:
    """A message as the JSON text the server reads."""
    return json.dumps(jsonable(dict(message)), separators=(",", ":"))
