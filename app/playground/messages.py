"""The playground's WebSocket client messages: pydantic models over the shared TrainConfig."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt

from app.playground.checkpoints import ResumeLane
from app.settings import Limits
from app.wire.checks import check_config, check_weights, over_limit
from app.wire.config import LaneOverrides, Model, TrainConfig, Weights, validate
from app.wire.errors import FieldError
from core import LIVE_SECTION


class Configure(Model):
    """(Re)build the session, paused at iteration 0."""

    type: Literal["configure"]
    config: TrainConfig = TrainConfig()
    lanes: list[LaneOverrides] | None = None
    initial_weights: Weights | None = None

    def lane_configs(self, limits: Limits) -> tuple[list[TrainConfig], list[str]]:
        """Every lane's full config and label, each checked against the limits."""
        check_config(self.config, limits)
        specs = self.lanes
        if specs is not None and len(specs) > limits.max_lanes:
            raise over_limit("lanes", "lanes", limits.max_lanes, len(specs))
        if specs:
            configs = [lane.merged(self.config, f"lanes.{i}") for i, lane in enumerate(specs)]
            for i, config in enumerate(configs):
                check_config(config, limits, prefix=f"lanes.{i}.")
            pairs = zip(specs, configs, strict=True)
            labels = [lane.label or config.optimizer.name for lane, config in pairs]
        else:
            configs, labels = [self.config], [self.config.optimizer.name]
        if self.initial_weights is not None:
            check_weights(self.initial_weights, configs[0].layer_sizes)
        return configs, labels


class Bare(Model):
    """play, pause or reset: no fields."""

    type: Literal["play", "pause", "reset"]


class Step(Model):
    """Make exactly `iterations` updates on every lane."""

    type: Literal["step"]
    iterations: StrictInt = Field(1, ge=1)

    def check(self, limits: Limits) -> None:
        """At most max_iterations."""
        if self.iterations > limits.max_iterations:
            raise over_limit("iterations", "iterations", limits.max_iterations, self.iterations)


class SetChanges(Model):
    """Live changes that need no reset, for one lane or (lane absent) every lane."""

    type: Literal["set"]
    changes: dict[str, Any]
    lane: StrictInt | None = Field(None, ge=0)

    def check(self) -> None:
        """Only settings core can change without a reset."""
        for name in self.changes:
            if name not in LIVE_SECTION:
                known = ", ".join(LIVE_SECTION)
                raise FieldError(f"changes.{name}", f"cannot be changed live; one of {known}")

    def applied_to(self, config: TrainConfig, limits: Limits) -> TrainConfig:
        """The config with these changes, validated (errors name e.g. optimizer.beta)."""
        data = config.model_dump()
        for name, value in self.changes.items():
            data[LIVE_SECTION[name]][name] = value
        new = validate(TrainConfig, data)
        check_config(new, limits)
        return new


class Rate(Model):
    """Frame-rate cap per lane."""

    type: Literal["rate"]
    frames_per_second: float = Field(ge=1, le=60)


class Speed(Model):
    """Iterations between two frames (null: as fast as the machine goes)."""

    type: Literal["speed"]
    iterations_per_frame: StrictInt | None = Field(ge=1)

    def check(self, limits: Limits) -> None:
        """At most max_speed iterations per frame."""
        speed = self.iterations_per_frame
        if speed is not None and speed > limits.max_speed:
            raise over_limit(
                "iterations_per_frame", "iterations per frame", limits.max_speed, speed
            )


class Resume(Model):
    """Rebuild the session from checkpoints the page kept (after a drop or a restart)."""

    type: Literal["resume"]
    lanes: list[ResumeLane] = Field(min_length=1)

    def lane_configs(self, limits: Limits) -> tuple[list[TrainConfig], list[str]]:
        """Every lane's config and label, each checked against the limits."""
        if len(self.lanes) > limits.max_lanes:
            raise over_limit("lanes", "lanes", limits.max_lanes, len(self.lanes))
        for i, lane in enumerate(self.lanes):
            check_config(lane.config, limits, prefix=f"lanes.{i}.config.")
        return [lane.config for lane in self.lanes], [lane.label for lane in self.lanes]


class Edit(Model):
    """Set one weight, bias or learned slope of a lane's live network by hand."""

    type: Literal["edit"]
    lane: StrictInt = Field(0, ge=0)
    name: str = Field(pattern=r"^(W|b|slope)[1-9][0-9]?$", description='e.g. "W2", "b1"')
    row: StrictInt = Field(0, ge=0)
    column: StrictInt = Field(0, ge=0)
    value: float = Field(allow_inf_nan=False)

    def check(self, limits: Limits) -> None:
        """|value| at most max_edit."""
        if abs(self.value) > limits.max_edit:
            raise over_limit("value", "in absolute value", limits.max_edit, self.value)


class Replay(Model):
    """Show every lane as it was at a past iteration (recomputed exactly)."""

    type: Literal["replay"]
    iteration: StrictInt = Field(ge=0)


class Checkpoints(Model):
    """Whether the server sends this session's checkpoints (the page keeps them)."""

    type: Literal["checkpoints"]
    enabled: bool = True


class GradCheck(Model):
    """Run the centred-difference gradient check on a lane's current weights."""

    type: Literal["gradcheck"]
    lane: StrictInt = Field(0, ge=0)
