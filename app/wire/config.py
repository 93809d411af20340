"""Pydantic models shared by REST and WebSocket, and their conversion to core's dataclasses."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictInt,
    ValidationError,
)

import core
from app.wire.errors import FieldError, readable, short
from core import ACTIVATIONS, DATASETS, FEATURES, INITIALIZERS, OPTIMIZERS, PROBLEMS
from core.config import layer_sizes
from core.datasets import CUSTOM, train_count
from core.hyperparameters import Hyperparameter
from core.losses import MAX_CLASSES
from core.optimizers import COMMON_HYPERPARAMETERS
from core.training import batches_per_epoch

DEFAULT = core.TrainConfig()
M = TypeVar("M", bound=BaseModel)
MAX_SEED = 2**32 - 1
EPOCHS_DESCRIPTION = (
    "instead of iterations: whole passes over the training set, each ceil(m_train / "
    "batch_size) updates (the last, smaller batch is kept; batch gradient descent: one update)"
)


def hyperparameter(name: str) -> Hyperparameter | None:
    """The registry's description of a tunable number (its default, min, max), if any."""
    for registry in (OPTIMIZERS, ACTIVATIONS, INITIALIZERS):
        for entry in registry.values():
            if name in entry.hyperparameters:
                return entry.hyperparameters[name]
    return COMMON_HYPERPARAMETERS.get(name)


def ranged(name: str, default: float, **fallback: float) -> Any:
    """A Field bounded by the registry's [min, max] for `name` (else by `fallback`)."""
    hp = hyperparameter(name)
    if hp is None:
        return Field(default, **fallback)
    return Field(default, ge=hp.minimum, le=hp.maximum, description=hp.description)


def member(registry: Mapping[str, object], what: str) -> Any:
    """Validator that accepts only keys of a core registry."""

    def check(value: str) -> str:
        if value not in registry:
            raise ValueError(f"unknown {what} {short(value)}; choose one of {', '.join(registry)}")
        return value

    return AfterValidator(check)


def names_of(registry: Mapping[str, object], what: str) -> Any:
    """`str` restricted to a registry's keys, listed as an enum in the OpenAPI schema."""
    return Annotated[str, member(registry, what), Field(json_schema_extra={"enum": list(registry)})]


DatasetName = names_of({**DATASETS, CUSTOM: None}, "dataset")
FeatureName = names_of(FEATURES, "feature")
ActivationName = names_of(ACTIVATIONS, "activation")
OutputName = names_of(PROBLEMS, "output")
InitializerName = names_of(INITIALIZERS, "initializer")
OptimizerName = names_of(OPTIMIZERS, "optimizer")
Matrix = list[list[float]]
Weights = dict[str, Matrix]
Point = Annotated[list[Annotated[float, Strict()]], Field(min_length=3, max_length=3)]


class Model(BaseModel):
    """Strict wire model: unknown fields and NaN/infinity are errors."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DatasetConfig(Model):
    """Which points: dataset name, m, noise, test fraction, data seed, circles factor, classes K,
    for "custom" the points themselves, and optionally a fixed test set of points."""

    name: DatasetName = DEFAULT.dataset.name
    samples: StrictInt = Field(DEFAULT.dataset.samples, ge=2)
    noise: float = Field(DEFAULT.dataset.noise, ge=0.0, le=10.0)
    test_fraction: float = Field(DEFAULT.dataset.test_fraction, ge=0.0, le=0.9)
    seed: StrictInt = Field(DEFAULT.dataset.seed, ge=0, le=MAX_SEED)
    factor: float = Field(DEFAULT.dataset.factor, gt=0.0, lt=1.0)
    classes: StrictInt | None = Field(
        None,
        ge=2,
        le=MAX_CLASSES,
        description="K classes; null: the dataset's default (custom: the largest label + 1)",
    )
    points: list[Point] | None = Field(
        None,
        description='"custom" only: [[x1, x2, label or y], ...]; labels are integers 0..K-1',
    )
    test_points: list[Point] | None = Field(
        None,
        description="a fixed test set [[x1, x2, label or y], ...] (any dataset without one of "
        "its own; test_fraction must then be 0 and every point of the dataset is trained on)",
    )

    @property
    def size(self) -> int:
        """m: the custom points' count, else `samples`."""
        return len(self.points or ()) if self.name == CUSTOM else self.samples

    def class_count(self, problem: str) -> int:
        """K: as given, else the dataset's default, or the custom points' largest label + 1."""
        if problem == "regression":
            return 2
        if self.classes is not None:
            return self.classes
        if self.name != CUSTOM:
            return DATASETS[self.name].classes
        labels = [point[2] for point in self.points or []]
        return int(min(max(max(labels, default=1) + 1, 2), MAX_CLASSES))

    def to_core(self, problem: str = "classification") -> core.DatasetConfig:
        """The core dataclass, with K resolved and the points as tuples."""
        points = tuple(tuple(point) for point in self.points or ())
        tests = tuple(tuple(point) for point in self.test_points or ())
        values = {**self.model_dump(), "classes": self.class_count(problem), "points": points,
                  "test_points": tests}  # fmt: skip
        return core.DatasetConfig(**values)


class NetworkConfig(Model):
    """Hidden sizes, hidden activation, output problem, initializer, leaky slope, batch norm."""

    hidden: list[Annotated[StrictInt, Field(ge=1)]] = list(DEFAULT.network.hidden)
    activation: ActivationName = DEFAULT.network.activation
    output: OutputName = DEFAULT.network.output
    init: InitializerName = DEFAULT.network.init
    init_scale: float = ranged("init_scale", DEFAULT.network.init_scale, gt=0.0)
    leaky_slope: float = ranged("leaky_slope", DEFAULT.network.leaky_slope, ge=0.0, le=1.0)
    learn_slope: bool = DEFAULT.network.learn_slope
    batch_norm: bool = DEFAULT.network.batch_norm
    init_seed: StrictInt | None = Field(DEFAULT.network.init_seed, ge=0, le=2**32 - 1)

    def to_core(self) -> core.NetworkConfig:
        """The core dataclass (hidden as a tuple)."""
        return core.NetworkConfig(**{**self.model_dump(), "hidden": tuple(self.hidden)})


class OptimizerConfig(Model):
    """Update rule, learning rate, batch size (null: all m) and the rule's hyperparameters."""

    name: OptimizerName = DEFAULT.optimizer.name
    learning_rate: float = ranged("learning_rate", DEFAULT.optimizer.learning_rate, gt=0.0)
    batch_size: StrictInt | None = Field(DEFAULT.optimizer.batch_size, ge=1)
    beta: float = ranged("beta", DEFAULT.optimizer.beta, ge=0.0, lt=1.0)
    beta1: float = ranged("beta1", DEFAULT.optimizer.beta1, ge=0.0, lt=1.0)
    beta2: float = ranged("beta2", DEFAULT.optimizer.beta2, ge=0.0, lt=1.0)
    epsilon: float = ranged("epsilon", DEFAULT.optimizer.epsilon, gt=0.0)
    decay: float = ranged("decay", DEFAULT.optimizer.decay, ge=0.0)

    def to_core(self) -> core.OptimizerConfig:
        """The core dataclass."""
        return core.OptimizerConfig(**self.model_dump())


class RegularizationConfig(Model):
    """L2 strength lambda, L1 strength lambda1 and inverted-dropout keep probability."""

    l2: float = Field(DEFAULT.regularization.l2, ge=0.0, le=1000.0)
    l1: float = Field(DEFAULT.regularization.l1, ge=0.0, le=1000.0)
    keep_prob: float = Field(DEFAULT.regularization.keep_prob, gt=0.0, le=1.0)

    def to_core(self) -> core.RegularizationConfig:
        """The core dataclass."""
        return core.RegularizationConfig(**self.model_dump())


class TrainConfig(Model):
    """Everything that determines a run; every field has a default."""

    dataset: DatasetConfig = DatasetConfig()
    features: list[FeatureName] = Field(list(DEFAULT.features), min_length=1)
    network: NetworkConfig = NetworkConfig()
    optimizer: OptimizerConfig = OptimizerConfig()
    regularization: RegularizationConfig = RegularizationConfig()
    seed: StrictInt = Field(DEFAULT.seed, ge=0, le=MAX_SEED)

    def to_core(self) -> core.TrainConfig:
        """The frozen core.TrainConfig this describes."""
        return core.TrainConfig(
            dataset=self.dataset.to_core(self.network.output),
            features=tuple(self.features),
            network=self.network.to_core(),
            optimizer=self.optimizer.to_core(),
            regularization=self.regularization.to_core(),
            seed=self.seed,
        )

    @classmethod
    def from_core(cls, config: core.TrainConfig) -> TrainConfig:
        """The wire model of a core config (the inverse of to_core)."""
        return cls.model_validate(dataclasses.asdict(config))

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """(n_0, n_1, ..., n_L): n_L is K for softmax (3 or more classes), else 1."""
        problem = self.network.output
        classes = self.dataset.class_count(problem)
        return layer_sizes(len(self.features), self.network.hidden, problem, classes)

    @property
    def train_size(self) -> int:
        """m of the training set: the dataset's points less the test set drawn from them."""
        return train_count(self.dataset.to_core(self.network.output), self.network.output)

    def epoch_iterations(self, epochs: int) -> int:
        """Updates in `epochs` passes: epochs x ceil(m_train / batch_size), the last partial
        batch of each epoch kept (batch gradient descent: one update per epoch)."""
        return epochs * batches_per_epoch(self.train_size, self.optimizer.batch_size)


class LaneOverrides(Model):
    """One compared run: partial overrides merged over the session's config."""

    label: str | None = Field(None, max_length=60)
    network: dict[str, Any] | None = None
    optimizer: dict[str, Any] | None = None
    regularization: dict[str, Any] | None = None

    def merged(self, config: TrainConfig, field: str) -> TrainConfig:
        """config with this lane's overrides; errors are named "<field>.optimizer.beta" etc."""
        data = config.model_dump()
        for section in ("network", "optimizer", "regularization"):
            data[section].update(getattr(self, section) or {})
        return validate(TrainConfig, data, prefix=field)


def validate(model: type[M], data: Any, prefix: str = "", drop: tuple[str, ...] = ()) -> M:
    """model.model_validate(data), raising FieldError naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = readable(error.errors(include_url=False)[0], drop)
        field = ".".join(p for p in (prefix, first["field"] or "") if p) or None
        raise FieldError(field, first["msg"] + got(first), type=first["type"]) from None


def got(entry: dict[str, Any]) -> str:
    """ " (got 3)" for a readable error entry, "" for a missing field."""
    return "" if entry.get("type") == "missing" else f" (got {entry.get('input')!r})"
