"""POST /api/sweeps: the request body and the checks the types cannot express."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.settings import Settings
from app.sweeps.cost import check_cost
from app.sweeps.space import Space, check_grid, check_space
from app.wire.config import MAX_SEED, Model, TrainConfig, check_config, over_limit
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
    if request.iterations > limits.max_iterations:
        raise over_limit("iterations", "iterations", limits.max_iterations, request.iterations)
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
    """Accuracies need a classification dataset, test figures a test set."""
    config, objective = request.config, request.objective
    if (
        objective.startswith("accuracy")
        and DATASETS[config.dataset.name].problem != "classification"
    ):
        raise FieldError(
            "objective", f"{config.dataset.name!r} is a regression dataset: use a cost"
        )
    varied = "dataset.test_fraction" in request.space
    if objective.endswith("_test") and config.dataset.test_fraction == 0 and not varied:
        raise FieldError(
            "objective", "config.dataset.test_fraction is 0, so there is no test set to measure"
        )
