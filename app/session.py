"""One playground session: lanes of trainers, the run state machine and frame pacing.

The async methods run on the event loop: they validate, then hand the state change to the
engine thread (app/engine.py), which owns the lanes; `tick` is called there for each slice.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import anyio

from app.encoding import encode_message, finite
from app.engine import Engine
from app.errors import FieldError
from app.lanes import Lane, build_lanes
from app.messages import Configure, SetChanges
from app.options import LIVE_CHANGES
from app.outbox import Message, Outbox
from app.room_member import RoomMember
from app.schemas import TrainConfig, check_config, check_weights, over_limit, validate
from app.settings import Settings
from app.views import dataset_view, frame
from core import gradient_check_report

SECTIONS = {"leaky_slope": "network", "l2": "regularization", "keep_prob": "regularization"}
ROUND_LOAD = 0.8  # busy: the engine's share of a frame period (the event loop needs the rest)
BIG_NETWORK = 2000  # parameters above which running frames carry weights only with neurons
Result = tuple[list[Message], Any]


def status(state: str, message: str = "", lane: int | None = None) -> Message:
    """A status message."""
    body: Message = {"type": "status", "state": state, "message": message}
    if lane is not None:
        body["lane"] = lane
    return body


class Session:
    """Control messages change the state; the engine trains it in bounded slices."""

    def __init__(self, settings: Settings, outbox: Outbox, engine: Engine):
        self.settings = settings
        self.limits = settings.limits()
        self.outbox = outbox
        self.engine = engine
        self.lanes: list[Lane] = []
        self.state = "paused"
        self.steps_left = 0
        self.fps = settings.frames_per_second
        self.chunk = 8
        self.slice_target = settings.slice_seconds
        self.late = False
        self.frame_cost = 0.0  # seconds to build one running frame (moving average)
        self.room = RoomMember(None, self)  # classroom rooms; app/ws.py gives it the hub

    async def command(self, action: Any) -> Any:
        """Run action() (returning messages and a value) in the engine thread, in order."""
        return await self.engine.call(self, action)

    def require_lanes(self) -> None:
        """(engine) Raise unless configure came first."""
        if not self.lanes:
            raise FieldError("type", "send configure first")

    # Control messages (event loop) -------------------------------------------------------

    async def configure(self, message: Configure) -> None:
        """Validate everything first; only a valid configure replaces the session."""
        check_config(message.config, self.limits)
        specs = message.lanes
        if specs is not None and len(specs) > self.limits.max_lanes:
            raise over_limit("lanes", "lanes", self.limits.max_lanes, len(specs))
        if specs:
            configs = [lane.merged(message.config, f"lanes.{i}") for i, lane in enumerate(specs)]
            for i, config in enumerate(configs):
                check_config(config, self.limits, prefix=f"lanes.{i}.")
            pairs = zip(specs, configs, strict=True)
            labels = [lane.label or config.optimizer.name for lane, config in pairs]
        else:
            configs, labels = [message.config], [message.config.optimizer.name]
        if message.initial_weights is not None:
            check_weights(message.initial_weights, configs[0].layer_sizes)
        lanes = await anyio.to_thread.run_sync(
            build_lanes, configs, labels, message.initial_weights
        )
        await self.command(lambda: self.install(lanes))

    async def play(self) -> None:
        """Train continuously (lanes that diverged stay stopped)."""
        await self.command(self.start)

    async def pause(self) -> None:
        """Stop; status paused, then a final exact frame per lane."""
        await self.command(self.stop)

    async def step(self, iterations: int) -> None:
        """Exactly n more updates on every lane; the engine sends the frames."""
        if iterations > self.limits.max_iterations:
            raise over_limit("iterations", "iterations", self.limits.max_iterations, iterations)
        await self.command(lambda: self.plan_steps(iterations))

    async def reset(self) -> None:
        """Back to iteration 0 with the same config."""
        await self.command(self.restart)

    async def set(self, message: SetChanges) -> None:
        """Live changes (no reset) on one lane or all, validated like a configure."""
        for name in message.changes:
            if name not in LIVE_CHANGES:
                known = ", ".join(LIVE_CHANGES)
                raise FieldError(f"changes.{name}", f"cannot be changed live; one of {known}")
        await self.command(lambda: self.change(message))

    async def rate(self, frames_per_second: float) -> None:
        """Cap frames per lane per second."""
        self.fps = frames_per_second

    async def gradcheck(self, index: int) -> None:
        """Centred differences against backprop, on a copy of the lane's current network."""
        network, X, Y = await self.command(lambda: self.gradcheck_inputs(index))
        report = await anyio.to_thread.run_sync(gradient_check_report, network, X, Y)
        self.outbox.put(
            {
                "type": "gradcheck",
                "lane": index,
                "difference": finite(report.difference),
                "per_parameter": {k: finite(v) for k, v in report.per_parameter.items()},
                "verdict": report.verdict,
                "examples": int(X.shape[1]),
            }
        )

    # State changes (engine thread) -------------------------------------------------------

    def install(self, lanes: list[Lane]) -> Result:
        """New lanes, paused at iteration 0."""
        self.lanes = lanes
        return self.announce(), None

    def announce(self) -> list[Message]:
        """configured, an exact frame per lane, status paused."""
        self.state, self.steps_left = "paused", 0
        configured = {"type": "configured", **dataset_view(self.lanes[0].trainer)}
        configured["lanes"] = [lane.describe() for lane in self.lanes]
        frames = self.build_frames(self.lanes, True)
        return [
            {"type": "drop_frames"},
            configured,
            *frames,
            status("paused", "ready: iteration 0"),
        ]

    def start(self) -> Result:
        """Running, unless every lane diverged."""
        self.require_lanes()
        if self.all_diverged():
            return [status("diverged", "every lane diverged: reset or configure first")], None
        self.state, self.steps_left = "running", 0
        return [status("running", "training")], None

    def stop(self) -> Result:
        """Paused: status, then a final exact frame per lane."""
        self.require_lanes()
        self.steps_left = 0
        if self.state == "running":
            self.state = "paused"
        iteration = self.lanes[0].trainer.iteration
        frames = self.build_frames(self.lanes, True)
        return [status(self.state, f"paused at iteration {iteration}"), *frames], None

    def plan_steps(self, iterations: int) -> Result:
        """Exactly n more updates on every live lane (pausing first if running)."""
        self.require_lanes()
        if self.all_diverged():
            return [status("diverged", "every lane diverged: reset or configure first")], None
        messages = []
        if self.state == "running":
            self.state = "paused"
            messages.append(status("paused", "stepping"))
        self.steps_left = iterations
        return messages, None

    def restart(self) -> Result:
        """Every trainer back to iteration 0."""
        self.require_lanes()
        for lane in self.lanes:
            lane.trainer.reset()
            lane.take_costs()
        return self.announce(), None

    def change(self, message: SetChanges) -> Result:
        """Validate the changed configs, then apply them to the trainers."""
        self.require_lanes()
        if message.lane is not None and message.lane >= len(self.lanes):
            raise FieldError("lane", f"no lane {message.lane}; there are {len(self.lanes)}")
        targets = self.lanes if message.lane is None else [self.lanes[message.lane]]
        updated = [self.changed(lane.config, message.changes) for lane in targets]
        for lane, config in zip(targets, updated, strict=True):
            lane.trainer.apply(**message.changes)
            lane.config = config
        return [], None

    def changed(self, config: TrainConfig, changes: dict[str, Any]) -> TrainConfig:
        """The config with live changes applied, validated (errors name e.g. optimizer.beta)."""
        data = config.model_dump()
        for name, value in changes.items():
            data[SECTIONS.get(name, "optimizer")][name] = value
        new = validate(TrainConfig, data)
        check_config(new, self.limits)
        return new

    def gradcheck_inputs(self, index: int) -> Result:
        """A copy of the lane's network and the examples to check it on."""
        self.require_lanes()
        if index >= len(self.lanes):
            raise FieldError("lane", f"no lane {index}; there are {len(self.lanes)}")
        lane, limit = self.lanes[index], self.settings.gradcheck_max_parameters
        if lane.parameters > limit:
            raise over_limit("lane", "parameters for a gradient check", limit, lane.parameters)
        k, trainer = self.settings.gradcheck_examples, lane.trainer
        network = copy.deepcopy(trainer.network)
        return [], (network, trainer.X_train[:, :k], trainer.Y_train[:, :k])

    def all_diverged(self) -> bool:
        """Whether no lane can train any more."""
        return all(lane.trainer.diverged for lane in self.lanes)

    # Training (engine thread) ------------------------------------------------------------

    def live(self) -> list[Lane]:
        """Lanes that have not diverged."""
        return [lane for lane in self.lanes if lane.trainer.diverged is None]

    def wants_slice(self) -> bool:
        """Running or stepping, with a live lane, and the client not hopelessly behind."""
        if self.state != "running" and self.steps_left == 0:
            return False
        limit = self.settings.max_pending_costs
        backlog = any(lane.pending_count > limit and self.waiting(lane) for lane in self.lanes)
        return bool(self.live()) and not backlog

    def tick(self, busy: int) -> list[Message]:
        """One slice for every live lane in lockstep, then the frames that are due."""
        live = self.live()
        stepping = self.state != "running"
        n = min(self.chunk, self.steps_left) if stepping else self.chunk
        last = stepping and n == self.steps_left
        now = time.monotonic()
        started = time.perf_counter()
        for lane in live:
            lane.add_costs(lane.trainer.step(n, metrics=False).costs)
        trained = time.perf_counter()
        if stepping:
            self.steps_left -= n
        settled = [lane for lane in live if last or lane.trainer.diverged]
        due = [
            lane
            for lane in live
            if lane not in settled and now >= lane.next_frame and not self.waiting(lane)
        ]
        messages = self.build_frames(settled, True, busy)
        if due:
            framing = time.perf_counter()
            messages += self.build_frames(due, False, busy)
            seconds = (time.perf_counter() - framing) / len(due)
            self.frame_cost += 0.2 * (seconds - self.frame_cost)
        self.adapt((trained - started) / n, busy)
        return messages + self.divergence(live)

    def delivered(self, index: int) -> None:
        """(event loop) A running frame reached the outbox."""
        for lane in self.lanes:
            if lane.index == index:
                lane.in_flight = False

    def halt(self) -> None:
        """Stop training after a failure."""
        self.state, self.steps_left = "paused", 0

    def waiting(self, lane: Lane) -> bool:
        """Whether this lane's previous running frame has not been sent yet."""
        return lane.in_flight or lane.index in self.outbox.waiting

    def adapt(self, seconds_per_iteration: float, busy: int) -> None:
        """Next slice's iterations. Alone, up to slice_seconds. Busy, a round of every busy
        session's slice plus frame must fit a frame period at the floor rate, so the slice
        is this session's part of it less its frame cost; shorter still while its frames
        come late, longer again while they do not."""
        floor = min(self.fps, self.settings.busy_frames_per_second)
        share = ROUND_LOAD / (floor * max(busy, 1)) - self.frame_cost * len(self.live())
        longest = min(self.settings.slice_seconds, max(share, self.settings.min_slice_seconds))
        factor = 0.7 if self.late else 1.1
        self.slice_target = min(max(self.slice_target * factor, 1e-4), longest)
        target = self.slice_target / max(seconds_per_iteration, 1e-7)
        self.chunk = int(min(max(target, 1), 2 * self.chunk + 1, 20_000))

    def divergence(self, live: list[Lane]) -> list[Message]:
        """Status diverged for each lane that just diverged; all gone stops the session."""
        messages = []
        for lane in live:
            message = lane.trainer.diverged
            if message is None:
                continue
            if len(self.lanes) > 1:
                message = f"Lane {lane.index} ({lane.label}): {message}"
            messages.append(status("diverged", message, lane.index))
        if self.all_diverged():
            self.state, self.steps_left = "diverged", 0
        return messages

    def build_frames(self, lanes: list[Lane], settled: bool, busy: int = 0) -> list[Message]:
        """One frame per lane with the costs since its previous frame, serialised."""
        frames = []
        now = time.monotonic()
        resolution, every = self.settings.boundary_resolution, self.settings.neuron_every
        if busy > self.settings.busy_sessions and not settled:
            resolution = min(resolution, self.settings.busy_boundary_resolution)
            every *= 2
        for lane in lanes:
            with_neurons = settled or lane.frames % every == 0
            message = frame(
                lane.index,
                lane.trainer,
                lane.take_costs(),
                boundary_resolution=resolution,
                neuron_resolution=self.settings.neuron_resolution if with_neurons else None,
                exact=settled,
            )
            if lane.parameters > BIG_NETWORK and not with_neurons:
                del message["weights"]
            message["_text"] = encode_message(message)
            if not settled:  # late: the gap since this lane's previous frame (before updating it)
                floor = min(self.fps, self.settings.busy_frames_per_second)
                self.late = now - lane.last_frame > 1.0 / floor
                lane.in_flight = True
            lane.frames += 1
            lane.last_frame = now
            period = 1.0 / self.fps  # keeps the average rate; never two frames in half a period
            lane.next_frame = max(lane.next_frame + period, now + 0.5 * period)
            frames.append(message)
        return frames
