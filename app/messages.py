"""REST request/response bodies and WebSocket client messages, built on the shared TrainConfig."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt, create_model

from app.errors import FieldError
from app.frames import COUNTERS, METRIC_FIELDS
from app.resume import ResumeLane
from app.schemas import (
    DatasetConfig,
    LaneOverrides,
    Model,
    OutputName,
    TrainConfig,
    Weights,
    check_config,
    check_weights,
    over_limit,
    validate,
)
from app.settings import Limits
from core import LIVE_SECTION

MAX_SPEED = 10_000
MAX_EDIT = 1e4  # the largest |weight| a hand edit may set


class PreviewRequest(Model):
    """POST /api/datasets/preview: a dataset (and optionally the output it will be used with)."""

    dataset: DatasetConfig = DatasetConfig()
    output: OutputName | None = None


class Points(BaseModel):
    """Raw 2-D points [[x1, x2], ...] and their labels."""

    x: list[list[float]]
    y: list[float]


class PreviewResponse(BaseModel):
    """The problem type, the drawing extent and the train/test points."""

    problem: str
    classes: int | None = None
    custom: bool = False
    extent: list[float]
    train: Points
    test: Points


class ParseRequest(Model):
    """POST /api/datasets/parse: a CSV file's text, and optionally which problem it holds."""

    text: str = Field(max_length=2_000_000, description="x1,x2,label or x1,x2,y lines")
    output: OutputName | None = Field(None, description="null: decided from the file")


class ParseResponse(BaseModel):
    """The points for a custom dataset, the class names in class order, and the header read."""

    points: list[list[float]]
    problem: str
    classes: int | None
    legend: list[str] | None
    header: list[str] | None


class CsvRequest(Model):
    """POST /api/datasets/csv: a dataset (custom too) to download, with optional class names."""

    dataset: DatasetConfig = DatasetConfig()
    output: OutputName | None = None
    legend: list[Annotated[str, Field(max_length=60)]] | None = Field(None, max_length=8)


class TrainRequest(Model):
    """POST /api/train: run a config for a number of iterations and report."""

    config: TrainConfig = TrainConfig()
    iterations: StrictInt = Field(1000, ge=0, description="parameter updates to make")
    record_every: StrictInt | None = Field(
        None, ge=1, description="history interval; default max(1, iterations // 100)"
    )
    boundary_resolution: StrictInt | None = Field(
        None, ge=2, description="r for an r x r grid of the output; null for none"
    )
    initial_weights: Weights | None = Field(
        None, description='start from these parameters, e.g. {"W1": [[...]], "b1": [[...]]}'
    )


def metrics_model() -> type[BaseModel]:
    """The pydantic model of core's Metrics: counters are ints, figures may be null."""
    fields: dict[str, Any] = {
        name: (int if name in COUNTERS else float | None, ...) for name in METRIC_FIELDS
    }
    return create_model("Metrics", __doc__="Counters and full-set figures (dropout off).", **fields)


class SetFigures(BaseModel):
    """One set's confusion matrix (rows: true class, columns: predicted) and per-class accuracy."""

    matrix: list[list[int]]
    per_class_accuracy: list[float | None]


class Confusion(BaseModel):
    """K classes and the train/test figures (test null without a test set)."""

    classes: int
    train: SetFigures
    test: SetFigures | None


MetricsEntry = metrics_model()
FinalMetrics = create_model(
    "FinalMetrics",
    __base__=MetricsEntry,
    __doc__="The last figures and, for classification, the confusion matrices.",
    confusion=(Confusion | None, None),
)


class BoundaryValues(BaseModel):
    """The output over an r x r grid; row 0 is y max, column 0 is x min. For K >= 3 classes
    `values` is the predicted class and `probabilities` the K grids of a_k."""

    resolution: int
    extent: list[float]
    classes: int | None = None
    values: list[list[float | None]]
    probabilities: list[list[list[float | None]]] | None = None


class TrainResponse(BaseModel):
    """How the run ended, its history, final figures, weights and (if asked) the boundary."""

    status: Literal["done", "diverged"]
    message: str
    history: list[MetricsEntry]  # type: ignore[valid-type]
    final: FinalMetrics  # type: ignore[valid-type]
    weights: dict[str, list[list[float | None]]]
    boundary: BoundaryValues | None = None


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
    iterations_per_frame: StrictInt | None = Field(ge=1, le=MAX_SPEED)


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
    value: float = Field(ge=-MAX_EDIT, le=MAX_EDIT)


class Replay(Model):
    """Show every lane as it was at a past iteration (recomputed exactly)."""

    type: Literal["replay"]
    iteration: StrictInt = Field(ge=0)


class Landscape(Model):
    """The loss landscape of every lane of the session on one plane (as POST /api/landscape
    with the session's lanes): trained afresh from each lane's config."""

    type: Literal["landscape"]
    iterations: StrictInt = Field(2000, ge=1)
    resolution: StrictInt = Field(41, ge=3)
    directions: Literal["pca", "random"] = "pca"
    points: StrictInt = Field(100, ge=2, le=1000)


class Checkpoints(Model):
    """Whether the server sends this session's checkpoints (the page keeps them)."""

    type: Literal["checkpoints"]
    enabled: bool = True


class GradCheck(Model):
    """Run the centred-difference gradient check on a lane's current weights."""

    type: Literal["gradcheck"]
    lane: StrictInt = Field(0, ge=0)


class Join(Model):
    """Join a classroom room under a nickname (app/room_member.py)."""

    type: Literal["join"]
    room: str = Field(max_length=16)
    name: str = Field(max_length=200)
    client: str | None = Field(None, max_length=64, description="rejoining as the same student")


CLIENT_MESSAGES: dict[str, type[Model]] = {
    "configure": Configure,
    "play": Bare,
    "pause": Bare,
    "reset": Bare,
    "step": Step,
    "set": SetChanges,
    "rate": Rate,
    "speed": Speed,
    "gradcheck": GradCheck,
    "resume": Resume,
    "checkpoints": Checkpoints,
    "join": Join,
    "edit": Edit,
    "replay": Replay,
    "landscape": Landscape,
}
