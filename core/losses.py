"""Output layers with their losses; all three give dJ/dZ[L] = (A[L] - Y) / m.

classification: sigmoid output, binary cross-entropy
    J = -(1/m) sum(y log a + (1 - y) log(1 - a)), computed from z so it never takes log(0).
softmax: K >= 3 classes, a_k = e^z_k / sum_j e^z_j, Y one-hot (K, m), categorical
    cross-entropy J = -(1/m) sum_i sum_k y_k log a_k, computed from the log-sum-exp of z.
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


def softmax(Z: Array, slope: float = 0.0, out: Array | None = None) -> Array:
    """a_k = e^(z_k - max z) / sum_j e^(z_j - max z) per column: no exp ever overflows."""
    E = np.subtract(Z, Z.max(axis=0, keepdims=True), out=out)
    np.exp(E, out=E)
    E /= E.sum(axis=0, keepdims=True)
    return E


def softmax_backward(A: Array, dA: Array) -> Array:
    """dZ = J^T dA with J_jk = da_j/dz_k = a_j (1[j = k] - a_k): dZ = A * (dA - sum_j a_j dA_j).

    With the cross-entropy's dA = -Y / A this is A * (-Y/A + sum_j y_j) = A - Y per column.
    """
    return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


def log_sum_exp(Z: Array) -> Array:
    """log sum_k e^z_k per column (1, m) = max z + log sum_k e^(z_k - max z), always finite."""
    top = Z.max(axis=0, keepdims=True)
    return top + np.log(np.exp(Z - top).sum(axis=0, keepdims=True))


def softmax_cross_entropy_losses(Z: Array, A: Array, Y: Array) -> Array:
    """Per example (1, m): -sum_k y_k log a_k = sum_k y_k (lse(z) - z_k), since log a_k = z_k -
    lse(z); exact for any z, where log a would be log 0 = -inf once e^(z_k - max z) underflows."""
    return np.sum(Y * (log_sum_exp(Z) - Z), axis=0, keepdims=True)


def softmax_cross_entropy(Z: Array, A: Array, Y: Array) -> float:
    """J = -(1/m) sum_i sum_k y_k log a_k."""
    return float(softmax_cross_entropy_losses(Z, A, Y).sum() / Y.shape[1])


@dataclass(frozen=True)
class Output:
    """An output activation paired with the loss whose gradient is dZ[L] = A[L] - Y."""

    name: str
    activation: Callable[..., Array]
    loss: Callable[[Array, Array, Array], float]
    losses: Callable[[Array, Array, Array], Array]
    description: str
    problem: str = "classification"


OUTPUTS: dict[str, Output] = {
    "classification": Output(
        "classification",
        sigmoid,
        cross_entropy,
        cross_entropy_losses,
        "sigmoid output, binary cross-entropy",
    ),
    "softmax": Output(
        "softmax",
        softmax,
        softmax_cross_entropy,
        softmax_cross_entropy_losses,
        "softmax output over K classes, categorical cross-entropy",
    ),
    "regression": Output(
        "regression",
        linear,
        mean_squared_error,
        squared_error_losses,
        "linear output, mean squared error",
        "regression",
    ),
}

PROBLEMS: dict[str, str] = {
    "classification": "classes: sigmoid + binary cross-entropy for 2, softmax for 3-8",
    "regression": "a real target: linear output, mean squared error",
}
MAX_CLASSES = 8


def output_for(problem: str, classes: int = 2) -> str:
    """The OUTPUTS key of a problem: softmax for K >= 3 classes, sigmoid (one unit) for 2."""
    return "softmax" if problem == "classification" and classes >= 3 else problem


def output_units(problem: str, classes: int = 2) -> int:
    """n_L: K for softmax, else one unit."""
    return classes if output_for(problem, classes) == "softmax" else 1
