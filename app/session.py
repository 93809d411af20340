"""One playground session: its lanes of trainers, the run state machine and frame pacing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from app.encoding import encode_message, finite
from app.errors import FieldError
from app.messages import Configure, SetChanges
from app.options import LIVE_CHANGES
from app.outbox import Outbox
from app.pool import TrainingPool
from app.schemas import TrainConfig, check_config, check_weights, over_limit, validate
from app.settings import Settings
from app.views import dataset_view, frame
from core import Trainer, gradient_check_report

T = TypeVar("T")
SECTIONS = {"leaky_slope": "network", "l2": "regularization", "keep_prob": "regularization"}
BIG_NETWORK = 2000  # parameters above which running frames carry weights only with neurons


@dataclass
class Lane:
    """One trainer with the costs not yet sent and its frame bookkeeping."""

    index: int
    label: str
    config: TrainConfig
    trainer: Trainer
    pending: list[np.ndarray] = field(default_factory=list)
    pending_count: int = 0
    next_frame: float = 0.0
    frames: int = 0

    def take_costs(self) -> np.ndarray:
        """Every training cost since the previous frame, and forget them."""
        costs = np.concatenate(self.pending) if self.pending else np.empty(0)
        self.pending, self.pending_count = [], 0
        return costs

    def describe(self) -> dict[str, Any]:
        """The lane's entry in `configured`."""
        sizes = list(self.config.layer_sizes)
        return {"lane": self.index, "label": self.label, "layer_sizes": sizes,
                "config": self.config.model_dump()}  # fmt: skip


def shares_init(config: TrainConfig, first: TrainConfig) -> bool:
    """Lanes with lane 0's shapes and initializer start from lane 0's weights."""
    a, b = config.network, first.network
    return config.layer_sizes == first.layer_sizes and (a.init, a.init_scale) == (
        b.init,
        b.init_scale,
    )


def build_lanes(
    configs: list[TrainConfig], labels: list[str], weights: dict[str, Any] | None
) -> list[Lane]:
    """Trainers for every lane; lanes that agree with lane 0 share its initial weights."""
    lanes: list[Lane] = []
    for index, (config, label) in enumerate(zip(configs, labels, strict=True)):
        initial = None
        if weights is not None and (index == 0 or fits(weights, config)):
            initial = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
        elif index > 0 and shares_init(config, configs[0]):
            first = lanes[0].trainer.network.params
            initial = {k: v.copy() for k, v in first.items() if k[0] in "Wb"}
        try:
            trainer = Trainer(config.to_core(), initial_params=initial)
        except ValueError as error:
            raise FieldError(f"lanes.{index}" if len(configs) > 1 else None, str(error)) from None
        lanes.append(Lane(index, label, config, trainer))
    return lanes


def fits(weights: dict[str, Any], config: TrainConfig) -> bool:
    """Whether the given weights have this config's shapes."""
    try:
        check_weights(weights, config.layer_sizes)
    except FieldError:
        return False
    return True


class Session:
    """Control messages change the state; `run` trains in bounded slices off the event loop."""

    def __init__(self, settings: Settings, outbox: Outbox, pool: TrainingPool):
        self.settings = settings
        self.limits = settings.limits()
        self.outbox = outbox
        self.pool = pool
        self.lanes: list[Lane] = []
        self.state = "paused"
        self.steps_left = 0
        self.fps = settings.frames_per_second
        self.chunk = 8
        self.slice_target = settings.slice_seconds
        self.late = False
        self.lock = asyncio.Lock()
        self.wake = asyncio.Event()

    async def in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run blocking NumPy work in a worker thread (shared, bounded pool)."""
        return await self.pool.run(function, *args)

    def require_lanes(self) -> None:
        """Raise unless configure came first."""
        if not self.lanes:
            raise FieldError("type", "send configure first")

    def status(self, state: str, message: str = "", lane: int | None = None) -> None:
        """Queue a status message."""
        body: dict[str, Any] = {"type": "status", "state": state, "message": message}
        if lane is not None:
            body["lane"] = lane
        self.outbox.put(body)

    # Control messages -------------------------------------------------------------------

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
        lanes = await self.in_thread(build_lanes, configs, labels, message.initial_weights)
        async with self.lock:
            self.lanes = lanes
            await self.restart()

    async def restart(self) -> None:
        """Paused at iteration 0: configured, a frame per lane, status paused (lock held)."""
        self.state, self.steps_left = "paused", 0
        self.outbox.drop_frames()
        configured = {"type": "configured", **dataset_view(self.lanes[0].trainer)}
        configured["lanes"] = [lane.describe() for lane in self.lanes]
        self.outbox.put(configured)
        await self.settle(self.lanes)
        self.status("paused", "ready: iteration 0")

    async def settle(self, lanes: list[Lane]) -> None:
        """Queue an exact frame (with neuron grids) for each lane (lock held)."""
        frames = await self.in_thread(self.build_frames, lanes, True, None)
        for message in frames:
            self.outbox.put_frame(message)

    async def play(self) -> None:
        """Train continuously (lanes that diverged stay stopped)."""
        self.require_lanes()
        async with self.lock:
            if all(lane.trainer.diverged for lane in self.lanes):
                self.status("diverged", "every lane diverged: reset or configure first")
                return
            self.state, self.steps_left = "running", 0
            self.status("running", "training")
            self.wake.set()

    async def pause(self) -> None:
        """Stop; status paused, then a final exact frame per lane."""
        self.require_lanes()
        async with self.lock:
            self.steps_left = 0
            if self.state == "running":
                self.state = "paused"
            self.status(self.state, f"paused at iteration {self.lanes[0].trainer.iteration}")
            await self.settle(self.lanes)

    async def step(self, iterations: int) -> None:
        """Exactly n more updates on every lane; the trainer task sends the frames."""
        self.require_lanes()
        if iterations > self.limits.max_iterations:
            raise over_limit("iterations", "iterations", self.limits.max_iterations, iterations)
        async with self.lock:
            if all(lane.trainer.diverged for lane in self.lanes):
                self.status("diverged", "every lane diverged: reset or configure first")
                return
            if self.state == "running":
                self.state = "paused"
                self.status("paused", "stepping")
            self.steps_left = iterations
            self.wake.set()

    async def reset(self) -> None:
        """Back to iteration 0 with the same config."""
        self.require_lanes()
        async with self.lock:
            await self.in_thread(lambda: [lane.trainer.reset() for lane in self.lanes])
            for lane in self.lanes:
                lane.take_costs()
            if self.state == "diverged":
                self.state = "paused"
            await self.restart()

    async def set(self, message: SetChanges) -> None:
        """Live changes (no reset) on one lane or all, validated like a configure."""
        self.require_lanes()
        if message.lane is not None and message.lane >= len(self.lanes):
            raise FieldError("lane", f"no lane {message.lane}; there are {len(self.lanes)}")
        for name in message.changes:
            if name not in LIVE_CHANGES:
                raise FieldError(
                    f"changes.{name}", f"cannot be changed live; one of {', '.join(LIVE_CHANGES)}"
                )
        targets = self.lanes if message.lane is None else [self.lanes[message.lane]]
        updated = [self.changed(lane.config, message.changes) for lane in targets]
        async with self.lock:
            for lane, config in zip(targets, updated, strict=True):
                lane.trainer.apply(**message.changes)
                lane.config = config

    def changed(self, config: TrainConfig, changes: dict[str, Any]) -> TrainConfig:
        """The config with live changes applied, validated (errors name e.g. optimizer.beta)."""
        data = config.model_dump()
        for name, value in changes.items():
            data[SECTIONS.get(name, "optimizer")][name] = value
        new = validate(TrainConfig, data)
        check_config(new, self.limits)
        return new

    async def rate(self, frames_per_second: float) -> None:
        """Cap frames per lane per second."""
        self.fps = frames_per_second

    async def gradcheck(self, index: int) -> None:
        """Centred differences against backprop on the lane's current weights."""
        self.require_lanes()
        if index >= len(self.lanes):
            raise FieldError("lane", f"no lane {index}; there are {len(self.lanes)}")
        size = sum(p.size for p in self.lanes[index].trainer.network.params.values())
        if size > self.settings.gradcheck_max_parameters:
            limit = self.settings.gradcheck_max_parameters
            raise over_limit("lane", "parameters for a gradient check", limit, size)
        async with self.lock:
            trainer = self.lanes[index].trainer
            k = self.settings.gradcheck_examples
            X, Y = trainer.X_train[:, :k], trainer.Y_train[:, :k]
            report = await self.in_thread(gradient_check_report, trainer.network, X, Y)
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

    # Training ---------------------------------------------------------------------------

    def backlogged(self) -> bool:
        """Whether unsent costs have piled up (a stalled client): training waits for it."""
        return any(lane.pending_count > self.settings.max_pending_costs for lane in self.lanes)

    async def run(self) -> None:
        """The session's trainer task: slices of ~slice_seconds in a worker thread."""
        try:
            while True:
                await self.wake.wait()
                while self.backlogged():
                    self.outbox.sent.clear()
                    await self.outbox.sent.wait()
                async with self.lock:
                    await self.train_slice()
                await asyncio.sleep(0)
        finally:
            self.pool.training.discard(self)

    async def train_slice(self) -> None:
        """One slice for every live lane in lockstep, then the frames that are due (lock held)."""
        live = [lane for lane in self.lanes if lane.trainer.diverged is None]
        stepping = self.state != "running"
        if not live or (stepping and self.steps_left == 0):
            self.wake.clear()
            self.pool.training.discard(self)
            return
        self.pool.training.add(self)
        n = min(self.chunk, self.steps_left) if stepping else self.chunk
        last = stepping and n == self.steps_left
        now = time.monotonic()
        due = {
            lane.index
            for lane in live
            if now >= lane.next_frame and not self.outbox.has_frame(lane.index)
        }
        step_time, frames = await self.in_thread(self.train, live, n, due, last)
        self.adapt(step_time / n)
        if stepping:
            self.steps_left -= n
        for message in frames:
            self.outbox.put_frame(message)
        self.report_divergence(live)

    def adapt(self, seconds_per_iteration: float) -> None:
        """Next slice's iterations: shorter slices while frames run late, longer when on time."""
        longest = self.pool.slice_seconds(
            self.settings.min_slice_seconds, self.settings.slice_seconds, self.fps
        )
        factor = 0.7 if self.late else 1.1
        self.slice_target = min(max(self.slice_target * factor, 1e-4), longest)
        target = self.slice_target / max(seconds_per_iteration, 1e-7)
        self.chunk = int(min(max(target, 1), 2 * self.chunk + 1, 20_000))

    def report_divergence(self, live: list[Lane]) -> None:
        """Status diverged for each lane that just diverged; all gone stops the session."""
        for lane in live:
            message = lane.trainer.diverged
            if message is None:
                continue
            if len(self.lanes) > 1:
                message = f"Lane {lane.index} ({lane.label}): {message}"
            self.status("diverged", message, lane.index)
        if all(lane.trainer.diverged for lane in self.lanes):
            self.state, self.steps_left = "diverged", 0

    def train(
        self, lanes: list[Lane], n: int, due: set[int], last: bool
    ) -> tuple[float, list[dict[str, Any]]]:
        """(worker thread) n updates per lane, then frames for due, finished or diverged lanes."""
        started = time.perf_counter()
        metrics = {}
        for lane in lanes:
            result = lane.trainer.step(n)
            lane.pending.append(result.costs)
            lane.pending_count += len(result.costs)
            metrics[lane.index] = result.metrics
        step_time = time.perf_counter() - started
        settled = [lane for lane in lanes if last or lane.trainer.diverged]
        running = [lane for lane in lanes if lane.index in due and lane not in settled]
        frames = self.build_frames(settled, True, metrics)
        frames += self.build_frames(running, False, metrics)
        return step_time, frames

    def build_frames(
        self, lanes: list[Lane], settled: bool, metrics: dict[int, Any] | None
    ) -> list[dict[str, Any]]:
        """(worker thread) One frame per lane with the costs since its previous frame."""
        frames = []
        now = time.monotonic()
        busy = len(self.pool.training) > self.settings.busy_sessions
        resolution = self.settings.boundary_resolution
        if busy and not settled:
            resolution = min(resolution, self.settings.busy_boundary_resolution)
        for lane in lanes:
            with_neurons = settled or lane.frames % self.settings.neuron_every == 0
            big = sum(p.size for p in lane.trainer.network.params.values()) > BIG_NETWORK
            message = frame(
                lane.index,
                lane.trainer,
                lane.take_costs(),
                boundary_resolution=resolution,
                neuron_resolution=self.settings.neuron_resolution if with_neurons else None,
                exact=settled,
                metrics=(metrics or {}).get(lane.index),
            )
            if big and not with_neurons:
                del message["weights"]
            message["_text"] = encode_message(message)
            lane.frames += 1
            if not settled:
                self.late = now - lane.next_frame > 0.25 / self.fps
            lane.next_frame = max(lane.next_frame + 1.0 / self.fps, now)
            frames.append(message)
        return frames
