"""Output layers with their losses; both give dJ/dZ[L] = (A[L] - Y) / m.

classification: sigmoid output, binary cross-entropy
    J = -(1/m) sum(y log a + (1 - y) log(1 - a)), computed from z so it never takes log(0).
regression: linear output, mean squared error J = (1/2m) sum (a - y)^2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.activations import linear, sigmoid

Array = np.ndarray


def cross_entropy(Z: Array, A: Array, Y: Array) -> float:
    """J = (1/m) sum log(1 + e^(-z if y = 1 else z)), i.e. -y log a - (1-y) log(1-a), stably."""
    m = Y.shape[1]
    signed = np.where(Y > 0.5, -Z, Z)
    return float(np.logaddexp(0.0, signed).sum() / m)


def mean_squared_error(Z: Array, A: Array, Y: Array) -> float:
    """J = (1/2m) sum (a - y)^2."""
    m = Y.shape[1]
    D = A - Y
    return float(np.sum(D * D) / (2 * m))


@dataclass(frozen=True)
class Output:
    """An output activation paired with the loss whose gradient is dZ[L] = A[L] - Y."""

    name: str
    activation: Callable[..., Array]
    loss: Callable[[Array, Array, Array], float]
    description: str


OUTPUTS: dict[str, Output] = {
    "classification": Output(
        "classification", sigmoid, cross_entropy, "sigmoid output, binary cross-entropy"
    ),
    "regression": Output(
        "regression", linear, mean_squared_error, "linear output, mean squared error"
    ),
}
