"""Frozen dataclasses describing one training run; plain data, no validation beyond types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.losses import output_units


@dataclass(frozen=True)
class DatasetConfig:
    """Which points: dataset name, size m, noise, test fraction, data seed, circles factor,
    classes K, for the "custom" dataset its points ((x1, x2, label or y), ...), and a fixed
    test set of such points (test_points: every point of the dataset is then trained on)."""

    name: str = "flower"
    samples: int = 400
    noise: float = 0.2
    test_fraction: float = 0.0
    seed: int = 0
    factor: float = 0.5
    classes: int = 2
    points: tuple[tuple[float, float, float], ...] = ()
    test_points: tuple[tuple[float, float, float], ...] = ()


@dataclass(frozen=True)
class NetworkConfig:
    """Hidden sizes, hidden activation, output problem, initializer, leaky-slope settings and
    batch norm on the hidden layers; init_seed overrides a notebook initializer's own seed."""

    hidden: tuple[int, ...] = (4,)
    activation: str = "tanh"
    output: str = "classification"
    init: str = "random"
    init_scale: float = 0.01
    leaky_slope: float = 0.01
    learn_slope: bool = False
    batch_norm: bool = False
    init_seed: int | None = None


@dataclass(frozen=True)
class OptimizerConfig:
    """Update rule and its hyperparameters; batch_size None means batch gradient descent."""

    name: str = "gd"
    learning_rate: float = 1.2
    batch_size: int | None = None
    beta: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    decay: float = 0.0


@dataclass(frozen=True)
class RegularizationConfig:
    """L2 strength lambda, L1 strength lambda1 and inverted-dropout keep probability."""

    l2: float = 0.0
    l1: float = 0.0
    keep_prob: float = 1.0


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run; the same config reproduces it bit for bit."""

    dataset: DatasetConfig = field(default_factory=DatasetConfig)
    features: tuple[str, ...] = ("x1", "x2")
    network: NetworkConfig = field(default_factory=NetworkConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    regularization: RegularizationConfig = field(default_factory=RegularizationConfig)
    seed: int = 0

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """(n_0, n_1, ..., n_L): features, hidden sizes, K output units for softmax, else one."""
        return layer_sizes(len(self.features), self.network.hidden, self.network.output,
                           self.dataset.classes)  # fmt: skip


def layer_sizes(
    features: int, hidden: Sequence[int], problem: str, classes: int
) -> tuple[int, ...]:
    """(n_0, n_1, ..., n_L) = (features, *hidden, n_L): n_L is K for softmax, else 1."""
    return (features, *hidden, output_units(problem, classes))
