"""REST request and response bodies: dataset preview, CSV, and POST /api/train's run."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt, create_model

from app.wire.config import (
    EPOCHS_DESCRIPTION,
    DatasetConfig,
    Model,
    OutputName,
    TrainConfig,
    Weights,
)
from app.wire.errors import FieldError
from app.wire.frames import COUNTERS, METRIC_FIELDS


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
    """POST /api/train: run a config for a number of iterations (or epochs) and report."""

    config: TrainConfig = TrainConfig()
    iterations: StrictInt = Field(1000, ge=0, description="parameter updates to make")
    epochs: StrictInt | None = Field(None, ge=0, description=EPOCHS_DESCRIPTION)
    record_every: StrictInt | None = Field(
        None, ge=1, description="history interval; default max(1, iterations // 100)"
    )
    boundary_resolution: StrictInt | None = Field(
        None, ge=2, description="r for an r x r grid of the output; null for none"
    )
    initial_weights: Weights | None = Field(
        None, description='start from these parameters, e.g. {"W1": [[...]], "b1": [[...]]}'
    )


def planned_iterations(body: TrainRequest | Any) -> int:
    """The updates a body asks for: `iterations`, or epochs x ceil(m_train / batch_size);
    FieldError on `epochs` when both are given."""
    if body.epochs is None:
        return int(body.iterations)
    if "iterations" in body.model_fields_set:
        raise FieldError("epochs", "give iterations or epochs, not both")
    return int(body.config.epoch_iterations(body.epochs))


class GradCheckRequest(Model):
    """POST /api/gradcheck: train a config (or start from given weights), then compare
    backpropagation's gradients with the course's centred differences."""

    config: TrainConfig = TrainConfig()
    iterations: StrictInt = Field(0, ge=0, description="updates to make before the check")
    initial_weights: Weights | None = Field(None, description="start from these parameters")
    epsilon: float = Field(
        1e-7,
        gt=0.0,
        le=0.01,
        description="eps of approx_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)",
    )
    examples: StrictInt | None = Field(
        None, ge=1, description="check on the first k training examples; null: the server's 100"
    )


class ParameterRow(BaseModel):
    """One parameter's line of the check: its name, shape and relative difference."""

    name: str
    shape: list[int]
    difference: float | None


class GradCheckResponse(BaseModel):
    """difference = ||grad - approx|| / (||grad|| + ||approx||), overall and per parameter;
    verdict: correct (< 1e-7), look closer (< 1e-3) or bug."""

    difference: float | None
    per_parameter: dict[str, float | None]
    parameters: list[ParameterRow]
    verdict: Literal["correct", "look closer", "bug"]
    examples: int
    epsilon: float
    iteration: int


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
