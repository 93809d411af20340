"""REST request/response bodies and WebSocket client messages, built on the shared TrainConfig."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.schemas import DatasetConfig, Lane, Model, OutputName, TrainConfig, Weights


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
    extent: list[float]
    train: Points
    test: Points


class TrainRequest(Model):
    """POST /api/train: run a config for a number of iterations and report."""

    config: TrainConfig = TrainConfig()
    iterations: int = Field(1000, ge=0, description="parameter updates to make")
    record_every: int | None = Field(
        None, ge=1, description="history interval; default max(1, iterations // 100)"
    )
    boundary_resolution: int | None = Field(
        None, ge=2, description="r for an r x r grid of the output; null for none"
    )
    initial_weights: Weights | None = Field(
        None, description='start from these parameters, e.g. {"W1": [[...]], "b1": [[...]]}'
    )


class HistoryEntry(BaseModel):
    """Counters and full-set figures (dropout off) at one iteration."""

    iteration: int
    epoch: int
    cost_train: float | None
    cost_test: float | None
    accuracy_train: float | None
    accuracy_test: float | None


class FinalMetrics(HistoryEntry):
    """The last history entry plus RMSE (regression) and the current learning rate."""

    rmse_train: float | None
    rmse_test: float | None
    learning_rate: float | None


class BoundaryValues(BaseModel):
    """The output over an r x r grid; row 0 is y max, column 0 is x min."""

    resolution: int
    extent: list[float]
    values: list[list[float | None]]


class TrainResponse(BaseModel):
    """How the run ended, its history, final figures, weights and (if asked) the boundary."""

    status: Literal["done", "diverged"]
    message: str
    history: list[HistoryEntry]
    final: FinalMetrics
    weights: dict[str, list[list[float | None]]]
    boundary: BoundaryValues | None = None


class Configure(Model):
    """(Re)build the session, paused at iteration 0."""

    type: Literal["configure"]
    config: TrainConfig = TrainConfig()
    lanes: list[Lane] | None = None
    initial_weights: Weights | None = None


class Bare(Model):
    """play, pause or reset: no fields."""

    type: Literal["play", "pause", "reset"]


class Step(Model):
    """Make exactly `iterations` updates on every lane."""

    type: Literal["step"]
    iterations: int = Field(1, ge=1)


class SetChanges(Model):
    """Live changes that need no reset, for one lane or (lane absent) every lane."""

    type: Literal["set"]
    changes: dict[str, Any]
    lane: int | None = Field(None, ge=0)


class Rate(Model):
    """Frame-rate cap per lane."""

    type: Literal["rate"]
    frames_per_second: float = Field(ge=1, le=60)


class GradCheck(Model):
    """Run the centred-difference gradient check on a lane's current weights."""

    type: Literal["gradcheck"]
    lane: int = Field(0, ge=0)


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
    "gradcheck": GradCheck,
    "join": Join,
}
