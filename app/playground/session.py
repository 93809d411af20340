"""One playground session: its lanes of trainers, the commands that change them, its run state.

The async methods run on the event loop: they validate, then hand the state change to the
engine thread (app/playground/engine.py), which owns the lanes; `tick` is called there for
each slice.
How much a slice trains and when frames are due is app/playground/pacing.py's job.
"""

from __future__ import annotations

import time
from typing import Any

from app.playground import side_work
from app.playground.checkpoints import restore_lane
from app.playground.engine import Engine
from app.playground.inside_frames import InsideWatch
from app.playground.lane_frames import build_frames
from app.playground.lane_ops import (
    checkpoint_message,
    gradcheck_inputs,
    past_trainers,
    set_parameter,
)
from app.playground.lanes import TrainingLane, build_lanes
from app.playground.limits import RebuildBudget
from app.playground.messages import Configure, Edit, Resume, SetChanges, Speed, Step
from app.playground.outbox import Item, Message, Outbox
from app.playground.pacing import Pacing
from app.playground.replay import History, capacity_for, replay_frame
from app.settings import Settings
from app.wire.config import TrainConfig
from app.wire.errors import FieldError
from app.wire.frames import dataset_view
from app.wire.gradcheck import gradcheck_view
from core import gradient_check_report

Result = tuple[list[Item], Any]


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
        self.pacing = Pacing(settings)
        self.lanes: list[TrainingLane] = []
        self.run = 0  # counts configures and resets: frames of older runs are never sent
        self.state = "paused"
        self.steps_left = 0
        self.checkpointed = 0.0  # when the last checkpoint was sent
        self.keeps_checkpoints = False  # the page asks for them ("checkpoints" message)
        self.inside = InsideWatch()  # the live `inside` view (app/playground/inside_frames.py)
        self.rebuilds = RebuildBudget(
            settings.configure_seconds_per_second, settings.configure_burst_seconds
        )

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
        configs, labels = message.lane_configs(self.limits)
        self.rebuilds.check()
        started = time.perf_counter()
        lanes = await side_work.run("build", build_lanes, configs, labels, message.initial_weights)
        self.engine.charge(self, time.perf_counter() - started)  # against its fair share
        await self.command(lambda: self.install(lanes))
        self.rebuilds.spent(time.perf_counter() - started)

    async def resume(self, message: Resume) -> None:
        """Rebuild lanes from the page's checkpoints; they go on exactly where they were."""
        configs, labels = message.lane_configs(self.limits)
        self.rebuilds.check()
        started = time.perf_counter()
        lanes = await side_work.run("build", build_lanes, configs, labels, None)
        self.engine.charge(self, time.perf_counter() - started)
        for i, (lane, spec) in enumerate(zip(lanes, message.lanes, strict=True)):
            restore_lane(lane.trainer, spec.state, f"lanes.{i}.state")
        await self.command(lambda: self.install(lanes, resumed=True))
        self.rebuilds.spent(time.perf_counter() - started)

    async def edit(self, message: Edit) -> None:
        """One parameter set by hand; answered by an exact frame of that lane."""
        message.check(self.limits)
        await self.command(lambda: self.set_parameter(message))

    def set_parameter(self, message: Edit) -> Result:
        """(engine) The edit applied (app/playground/lane_ops.py), then that lane's exact frame."""
        self.require_lanes()
        lane = set_parameter(self.lanes, message)
        return self.build_frames([lane], settled=True), None

    async def checkpoints(self, enabled: bool) -> None:
        """Send checkpoints (every few seconds while training, on pause, after steps) or not."""
        self.keeps_checkpoints = enabled

    async def play(self) -> None:
        """Train continuously (lanes that diverged stay stopped)."""
        await self.command(self.start)

    async def pause(self) -> None:
        """Stop; status paused, then a final exact frame per lane."""
        await self.command(self.stop)

    async def step(self, message: Step) -> None:
        """Exactly n more updates on every lane; the engine sends the frames."""
        message.check(self.limits)
        await self.command(lambda: self.plan_steps(message.iterations))

    async def reset(self) -> None:
        """Back to iteration 0 with the same config."""
        await self.command(self.restart)

    async def set(self, message: SetChanges) -> None:
        """Live changes (no reset) on one lane or all, validated like a configure."""
        message.check()
        await self.command(lambda: self.change(message))

    async def rate(self, frames_per_second: float) -> None:
        """Cap frames per lane per second."""
        self.pacing.fps = frames_per_second

    async def speed(self, message: Speed) -> None:
        """k iterations between frames, or as fast as it goes (None)."""
        message.check(self.limits)
        speed = message.iterations_per_frame
        await self.command(lambda: ([], self.pacing.set_speed(speed)))

    async def gradcheck(self, index: int) -> None:
        """Centred differences against backprop, on a copy of the lane's current network."""
        network, X, Y = await self.command(lambda: self.gradcheck_inputs(index))
        report = await side_work.run("check", gradient_check_report, network, X, Y)
        reply = {"type": "gradcheck", "lane": index, **gradcheck_view(report, X.shape[1])}
        self.outbox.put(reply)

    # State changes (engine thread) -------------------------------------------------------

    def install(self, lanes: list[TrainingLane], resumed: bool = False) -> Result:
        """New lanes, paused (at iteration 0, or where resumed lanes were)."""
        self.lanes = lanes
        self.start_histories()
        if not resumed:
            return self.announce(), None
        iteration = lanes[0].trainer.iteration
        return self.announce(f"resumed at iteration {iteration}"), None

    def announce(self, message: str = "ready: iteration 0") -> list[Item]:
        """configured, an exact frame per lane (of a new run), status paused."""
        self.state, self.steps_left = "paused", 0
        self.run += 1
        self.checkpointed = time.monotonic()  # nothing to keep yet
        configured = {"type": "configured", **dataset_view(self.lanes[0].trainer)}
        configured["lanes"] = [lane.describe() for lane in self.lanes]
        frames = self.build_frames(self.lanes, settled=True)
        inside = self.inside.frames(self.lanes, self.outbox, settled=True)
        return [configured, *frames, *inside, status("paused", message)]

    def checkpoint(self) -> list[Item]:
        """Every lane's checkpoint in one message, when the client asked for them."""
        self.checkpointed = time.monotonic()
        if not self.keeps_checkpoints:
            return []
        message = checkpoint_message(self.lanes, self.settings.max_resume_bytes)
        return [] if message is None else [message]

    def checkpoint_now(self) -> Result:
        """(command) A checkpoint of every lane, now (on shutdown)."""
        return (self.checkpoint() if self.lanes else []), None

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
        frames = self.build_frames(self.lanes, settled=True)
        paused = status(self.state, f"paused at iteration {iteration}")
        inside = self.inside.frames(self.lanes, self.outbox, settled=True)
        return [paused, *frames, *inside, *self.checkpoint()], None

    def plan_steps(self, iterations: int) -> Result:
        """Exactly n more updates on every live lane (pausing first if running)."""
        self.require_lanes()
        if self.all_diverged():
            return [status("diverged", "every lane diverged: reset or configure first")], None
        messages: list[Item] = []
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
        self.start_histories()
        return self.announce(), None

    def start_histories(self) -> None:
        """(engine) Each lane's replay history, within the session's memory budget."""
        budget = self.settings.max_history_bytes // len(self.lanes)
        for lane in self.lanes:
            lane.history = History(lane.trainer, capacity_for(lane.trainer, budget))

    async def replay(self, iteration: int) -> None:
        """Every lane as it was at a past iteration: recomputed from the nearest checkpoint
        (off the engine thread), sent as `replay` messages; the live run is untouched."""
        copies = await self.command(lambda: self.past_trainers(iteration))
        for index, past in copies:
            self.outbox.put(await side_work.run("check", replay_frame, index, past, self.settings))

    async def lane_configs(self) -> list[tuple[str, TrainConfig]]:
        """Every lane's (label, config), as built by the last configure."""
        return await self.command(lambda: ([], [(lane.label, lane.config) for lane in self.lanes]))

    def past_trainers(self, iteration: int) -> Result:
        """(engine) Copies of each lane's trainer as it was at a past iteration."""
        self.require_lanes()
        return [], past_trainers(self.lanes, iteration)

    def change(self, message: SetChanges) -> Result:
        """Validate the changed configs, then apply them to the trainers."""
        self.require_lanes()
        if message.lane is not None and message.lane >= len(self.lanes):
            raise FieldError("lane", f"no lane {message.lane}; there are {len(self.lanes)}")
        targets = self.lanes if message.lane is None else [self.lanes[message.lane]]
        for lane in targets:
            message.applied_to(lane.config, self.limits)  # all valid before any changes
        for lane in targets:
            lane.trainer.apply(**message.changes)
            if lane.history is not None:
                lane.history.record(lane.trainer)
        return [], None

    def gradcheck_inputs(self, index: int) -> Result:
        """(engine) A copy of the lane's network and the examples to check it on."""
        self.require_lanes()
        return [], gradcheck_inputs(self.lanes, index, self.settings)

    def all_diverged(self) -> bool:
        """Whether no lane can train any more."""
        return all(lane.trainer.diverged for lane in self.lanes)

    # Training (engine thread) ------------------------------------------------------------

    def live(self) -> list[TrainingLane]:
        """Lanes that have not diverged."""
        return [lane for lane in self.lanes if lane.trainer.diverged is None]

    def wants_slice(self) -> bool:
        """Running or stepping, with a live lane, the client not hopelessly behind, and (with
        a speed) this frame's iterations not yet made."""
        if self.state != "running" and self.steps_left == 0:
            return False
        live = self.live()
        if not live:
            return False
        limit, outbox = self.settings.max_pending_costs, self.outbox
        if any(lane.pending_count > limit and outbox.waiting(lane.index) for lane in live):
            return False
        first = live[0]
        return not self.pacing.paced_out(first.clock, time.monotonic(), outbox.waiting(first.index))

    def resumes_at(self) -> float | None:
        """(engine) When a session paced out by its speed wants a slice again: its first live
        lane's next frame time (time.monotonic), if still ahead; None without a speed, when
        not running, or when what it waits for is its client (an unsent frame)."""
        live = self.live()
        if self.pacing.speed is None or not live or self.state != "running":
            return None
        at = live[0].clock.next_frame
        return at if at > time.monotonic() else None

    def tick(self, busy: int) -> list[Item]:
        """One slice for every live lane in lockstep, then the frames that are due."""
        live, pacing = self.live(), self.pacing
        stepping = self.state != "running"
        now = time.monotonic()
        n = pacing.iterations(self.steps_left if stepping else None)
        last = stepping and n == self.steps_left
        started = time.perf_counter()
        for lane in live:
            lane.add_costs(lane.trainer.step(n, metrics=False).costs)
        trained = time.perf_counter()
        pacing.trained(n)
        for lane in live:
            if lane.history is not None and lane.history.due(lane.trainer):
                lane.history.record(lane.trainer)
        if stepping:
            self.steps_left -= n
        settled = [lane for lane in live if last or lane.trainer.diverged]
        due = [
            lane
            for lane in live
            if lane not in settled
            and pacing.due(lane.clock, now)
            and not self.outbox.waiting(lane.index)
        ]
        messages = self.build_frames(settled, settled=True, busy=busy)
        if due:
            framing = time.perf_counter()
            messages += self.build_frames(due, settled=False, busy=busy)
            pacing.frames_took((time.perf_counter() - framing) / len(due))
        if n:
            late = any(lane.clock.late for lane in live)
            pacing.adapt((trained - started) / n, busy, len(live), late)
        messages += self.inside.frames(self.lanes, self.outbox, settled=last)
        if last or time.monotonic() - self.checkpointed > self.settings.checkpoint_seconds:
            messages += self.checkpoint()
        return messages + self.divergence(live)

    def build_frames(
        self, lanes: list[TrainingLane], *, settled: bool, busy: int = 0
    ) -> list[Item]:
        """This session's frames of these lanes (app/playground/lane_frames.py)."""
        return list(
            build_frames(lanes, self.run, self.pacing, self.outbox, settled=settled, busy=busy)
        )

    def halt(self) -> None:
        """Stop training after a failure."""
        self.state, self.steps_left = "paused", 0

    def divergence(self, live: list[TrainingLane]) -> list[Item]:
        """Status diverged for each lane that just diverged; all gone stops the session."""
        messages: list[Item] = []
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
