"""Centred-difference gradient checking, as in the course.

approx_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)
difference = ||grad - approx||_2 / (||grad||_2 + ||approx||_2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.network import Network

Array = np.ndarray


@dataclass(frozen=True)
class GradientCheck:
    """The overall relative difference and the same per parameter ("W1", "b1", ...)."""

    difference: float
    per_parameter: dict[str, float]

    @property
    def verdict(self) -> str:
        """< 1e-7 correct, < 1e-3 look closer, else a bug (the course's thresholds)."""
        if self.difference < 1e-7:
            return "correct"
        return "look closer" if self.difference < 1e-3 else "bug"


def relative_difference(grad: Array, approx: Array) -> float:
    """||grad - approx|| / (||grad|| + ||approx||), 0 when both vanish."""
    denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
    return float(np.linalg.norm(grad - approx) / denominator) if denominator else 0.0


def numerical_gradient(network: Network, X: Array, Y: Array, name: str, epsilon: float) -> Array:
    """The centred-difference estimate of dJ/d(name), element by element."""
    theta = network.params[name]
    approx = np.zeros_like(theta)
    for index in np.ndindex(theta.shape):
        saved = theta[index]
        theta[index] = saved + epsilon
        plus = network.batch_cost(X, Y)
        theta[index] = saved - epsilon
        minus = network.batch_cost(X, Y)
        theta[index] = saved
        approx[index] = (plus - minus) / (2 * epsilon)
    return approx


def gradient_check_report(
    network: Network, X: Array, Y: Array, epsilon: float = 1e-7
) -> GradientCheck:
    """Compare backprop's gradients with centred differences, dropout switched off."""
    keep_prob, network.keep_prob = network.keep_prob, 1.0
    try:
        network.forward(X, training=True)
        grads = network.backward(Y)
        names = list(network.params)
        analytic = {name: grads["d" + name] for name in names}
        numeric = {name: numerical_gradient(network, X, Y, name, epsilon) for name in names}
    finally:
        network.keep_prob = keep_prob
    per_parameter = {n: relative_difference(analytic[n], numeric[n]) for n in names}
    overall = relative_difference(
        np.concatenate([analytic[n].ravel() for n in names]),
        np.concatenate([numeric[n].ravel() for n in names]),
    )
    return GradientCheck(overall, per_parameter)


def gradient_check(network: Network, X: Array, Y: Array, epsilon: float = 1e-7) -> float:
    """The overall relative difference between backprop and centred differences."""
    return gradient_check_report(network, X, Y, epsilon).difference
