"""POST /api/sweeps: the request body and the checks the types cannot express."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt

from app.settings import Settings
from app.sweeps.cost import check_cost
from app.sweeps.space import Space, check_grid, check_space
from app.wire.checks import check_config, check_weights, over_limit
from app.wire.config import EPOCHS_DESCRIPTION, MAX_SEED, Model, TrainConfig, Weights
from app.wire.errors import FieldError
from core import DATASETS

Objective = Literal["cost_test", "accuracy_test", "cost_train", "accuracy_train"]
Sampler = Literal["random", "grid", "tpe"]
EXAMPLE_SPACE = {"optimizer.learning_rate": {"low": 1e-3, "high": 10, "log": True}}


class SweepRequest(Model):
    """A search: a base config, the paths to vary, how many trials of how many iterations."""

    config: TrainConfig = TrainConfig()
    space: Space = Field(
        default_factory=dict,
        description='dotted config paths -> {"low", "high", "log"?, "step"?} or {"choices"}',
        examples=[EXAMPLE_SPACE],
    )
    trials: int = Field(20, ge=1, description="trials in all, however many workers run them")
    iterations: int = Field(1000, ge=1, description="parameter updates per trial")
    epochs: StrictInt | None = Field(None, ge=1, description=EPOCHS_DESCRIPTION)
    record_every: StrictInt | None = Field(
        None, ge=1, description="history interval; default a tenth of the run, at most 500"
    )
    initial_weights: Weights | None = Field(
        None, description="every trial starts from these parameters (shapes of the config's)"
    )
    boundary_resolution: StrictInt | None = Field(
        None, ge=2, description="r: each finished trial keeps its output over an r x r grid"
    )
    objective: Objective = Field(
        "cost_train", description="costs are minimised, accuracies maximised"
    )
    sampler: Sampler = "random"
    pruner: Literal["median"] | None = None
    seed: int = Field(0, ge=0, le=MAX_SEED, description="seed of the sampler")

    @property
    def direction(self) -> str:
        """'minimize' for a cost, 'maximize' for an accuracy."""
        return "minimize" if self.objective.startswith("cost") else "maximize"


def check_sweep(request: SweepRequest, settings: Settings) -> None:
    """Raise FieldError for a limit, a bad or too large space, an objective this config cannot
    measure, or work over the budget (app/sweeps/cost.py)."""
    limits = settings.limits()
    check_config(request.config, limits, prefix="config.")
    if request.epochs is not None:
        request.iterations = epoch_iterations(request)
    if request.iterations > limits.max_iterations:
        field = "iterations" if request.epochs is None else "epochs"
        raise over_limit(field, "iterations", limits.max_iterations, request.iterations)
    if request.record_every and request.iterations // request.record_every > settings.max_history:
        entries = request.iterations // request.record_every
        raise over_limit("record_every", "history entries", settings.max_history, entries)
    resolution = request.boundary_resolution
    if resolution is not None and resolution > limits.max_grid_resolution:
        limit = limits.max_grid_resolution
        raise over_limit("boundary_resolution", "grid points per side", limit, resolution)
    if request.initial_weights is not None:
        check_fixed(request, SHAPES, "initial_weights", "the layer sizes")
        check_weights(request.initial_weights, request.config.layer_sizes)
    if request.trials > settings.max_sweep_trials:
        raise over_limit("trials", "trials", settings.max_sweep_trials, request.trials)
    if len(request.space) > settings.max_sweep_space:
        raise over_limit("space", "paths", settings.max_sweep_space, len(request.space))
    size = check_grid(request.space, settings.max_grid_points) if request.sampler == "grid" else 0
    check_space(request.config, request.space, limits)  # a grid is counted before this work
    if request.sampler == "grid" and request.trials > size:
        raise FieldError("trials", f"the grid has only {size} points (got {request.trials})")
    check_objective(request)
    if not request.space and request.trials > 1:
        raise FieldError("trials", "an empty space gives the same run every time: ask for 1 trial")
    check_cost(request.config, request.space, request.trials, request.iterations, settings)


def check_objective(request: SweepRequest) -> None:
    """Accuracies need a classification output, test figures a test set (a test_fraction,
    test_points or the dataset's own)."""
    config, objective = request.config, request.objective
    if objective.startswith("accuracy") and config.network.output != "classification":
        raise FieldError("objective", f"{config.dataset.name!r} is regression data: use a cost")
    data = config.dataset
    spec = DATASETS.get(data.name)
    has_test = bool(data.test_fraction or data.test_points) or (spec and spec.fixed_test_set)
    varied = "dataset.test_fraction" in request.space
    if objective.endswith("_test") and not has_test and not varied:
        raise FieldError(
            "objective",
            "config.dataset has no test set to measure (give test_fraction or test_points)",
        )


SHAPES = ("network.hidden", "network.output", "network.batch_norm", "network.learn_slope",
          "features", "dataset.classes", "dataset.points")  # fmt: skip
EPOCH_SIZE = ("optimizer.batch_size", "dataset.samples", "dataset.test_fraction",
              "dataset.points", "dataset.test_points", "dataset.name")  # fmt: skip


def check_fixed(request: SweepRequest, paths: tuple[str, ...], field: str, what: str) -> None:
    """FieldError on space.<path> for a varied path that would change what `field` relies on."""
    for path in request.space:
        if path in paths:
            raise FieldError(f"space.{path}", f"varying it changes {what}, which {field} needs")


def epoch_iterations(request: SweepRequest) -> int:
    """`epochs` as updates of the base config (whose epoch size the space must not vary);
    FieldError on `epochs` when iterations are given too."""
    if "iterations" in request.model_fields_set:
        raise FieldError("epochs", "give iterations or epochs, not both")
    check_fixed(request, EPOCH_SIZE, "epochs", "the updates in an epoch")
    return request.config.epoch_iterations(request.epochs or 0)
