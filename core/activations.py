"""Activation functions g(z), each with its derivative g'(z) beside it.

Every activation takes the pre-activation Z, the activation A = g(Z) (so derivatives can
reuse it, e.g. tanh' = 1 - A^2) and the leaky slope (ignored by all but leaky ReLU). Values
can be written into a given `out` array (training reuses its buffers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.hyperparameters import Hyperparameter

Array = np.ndarray


SIGMOID_FLOOR = -700.0  # e^700 is finite in float64


def sigmoid(Z: Array, slope: float = 0.0, out: Array | None = None) -> Array:
    """sigma(z) = 1 / (1 + e^-z), with z >= -700 inside exp so it never overflows."""
    E = np.maximum(Z, SIGMOID_FLOOR, out=out)
    np.negative(E, out=E)
    np.exp(E, out=E)
    E += 1.0
    return np.reciprocal(E, out=E)


def sigmoid_derivative(Z: Array, A: Array, slope: float = 0.0) -> Array:
    """sigma'(z) = a (1 - a)."""
    return A * (1.0 - A)


def tanh(Z: Array, slope: float = 0.0, out: Array | None = None) -> Array:
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z)."""
    return np.tanh(Z, out=out)


def tanh_derivative(Z: Array, A: Array, slope: float = 0.0) -> Array:
    """tanh'(z) = 1 - a^2."""
    return 1.0 - A * A


def relu(Z: Array, slope: float = 0.0, out: Array | None = None) -> Array:
    """relu(z) = max(0, z)."""
    return np.maximum(Z, 0.0, out=out)


def relu_derivative(Z: Array, A: Array, slope: float = 0.0) -> Array:
    """relu'(z) = 1 if z > 0 else 0."""
    return (Z > 0).astype(Z.dtype)


def leaky_relu(Z: Array, slope: float = 0.01, out: Array | None = None) -> Array:
    """leaky(z) = z if z > 0 else slope * z  (= max(slope z, z) for slope < 1)."""
    return into(np.where(Z > 0, Z, slope * Z), out)


def leaky_relu_derivative(Z: Array, A: Array, slope: float = 0.01) -> Array:
    """leaky'(z) = 1 if z > 0 else slope."""
    return np.where(Z > 0, 1.0, slope)


def leaky_relu_slope_derivative(Z: Array) -> Array:
    """d leaky(z) / d slope = z if z <= 0 else 0 (used when the slope is learned)."""
    return np.where(Z > 0, 0.0, Z)


def linear(Z: Array, slope: float = 0.0, out: Array | None = None) -> Array:
    """linear(z) = z."""
    return into(Z, out)


def into(values: Array, out: Array | None) -> Array:
    """values, copied into out when one is given."""
    if out is None:
        return values
    np.copyto(out, values)
    return out


def linear_derivative(Z: Array, A: Array, slope: float = 0.0) -> Array:
    """linear'(z) = 1."""
    return np.ones_like(Z)


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g' and what the page says about it."""

    name: str
    value: Callable[..., Array]
    derivative: Callable[..., Array]
    description: str
    hyperparameters: dict[str, Hyperparameter]


LEAKY_SLOPE = Hyperparameter(
    0.01, 0.0, 0.99, "slope of leaky ReLU for z < 0 (learned per hidden layer if asked)"
)

ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid", sigmoid, sigmoid_derivative, "g(z) = 1/(1+e^-z); g'(z) = a(1-a)", {}
    ),
    "tanh": Activation("tanh", tanh, tanh_derivative, "g(z) = tanh z; g'(z) = 1 - a^2", {}),
    "relu": Activation(
        "relu", relu, relu_derivative, "g(z) = max(0, z); g'(z) = 1 if z > 0 else 0", {}
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        leaky_relu,
        leaky_relu_derivative,
        "g(z) = max(slope z, z); g'(z) = 1 if z > 0 else slope",
        {"leaky_slope": LEAKY_SLOPE},
    ),
    "linear": Activation(
        "linear", linear, linear_derivative, "g(z) = z; g'(z) = 1 (no non-linearity)", {}
    ),
}
