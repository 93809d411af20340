"""Output layers with their losses; both give dJ/dZ[L] = (A[L] - Y) / m.

classification: sigmoid output, binary cross-entropy
    J = -(1/m) sum(y log a + (1 - y) log(1 - a)), computed from z so it never takes log(0).
regression: linear output, mean squared error J = (1/2m) sum (a - y)^2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.activations import SIGMOID_FLOOR, linear, sigmoid

Array = np.ndarray


def cross_entropy_losses(Z: Array, A: Array, Y: Array) -> Array:
    """Per example -y log a - (1-y) log(1-a) = (1-y) z - log a, since log(1-a) = log a - z.

    Exact for any y. The sigmoid holds a >= sigma(-700) > 0, so log a is finite; below
    z = -700, -log a = -z is restored by adding (-700 - z).
    """
    losses = (1.0 - Y) * Z
    losses -= np.log(A)
    if Z.size and Z.min() < SIGMOID_FLOOR:
        losses += np.maximum(SIGMOID_FLOOR - Z, 0.0)
    return losses


def squared_error_losses(Z: Array, A: Array, Y: Array) -> Array:
    """Per example (a - y)^2 / 2."""
    D = A - Y
    D *= D
    D *= 0.5
    return D


def cross_entropy(Z: Array, A: Array, Y: Array) -> float:
    """J = (1/m) sum_i [-y log a - (1-y) log(1-a)]."""
    return float(cross_entropy_losses(Z, A, Y).sum() / Y.shape[1])


def mean_squared_error(Z: Array, A: Array, Y: Array) -> float:
    """J = (1/2m) sum_i (a - y)^2."""
    return float(squared_error_losses(Z, A, Y).sum() / Y.shape[1])


@dataclass(frozen=True)
class Output:
    """An output activation paired with the loss whose gradient is dZ[L] = A[L] - Y."""

    name: str
    activation: Callable[..., Array]
    loss: Callable[[Array, Array, Array], float]
    losses: Callable[[Array, Array, Array], Array]
    description: str


OUTPUTS: dict[str, Output] = {
    "classification": Output(
        "classification",
        sigmoid,
        cross_entropy,
        cross_entropy_losses,
        "sigmoid output, binary cross-entropy",
    ),
    "regression": Output(
        "regression",
        linear,
        mean_squared_error,
        squared_error_losses,
        "linear output, mean squared error",
    ),
}
