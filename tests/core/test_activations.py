"""Activations: values, derivatives against centred differences, and no overflow."""

import warnings

import numpy as np
import pytest

from core.activations import ACTIVATIONS, leaky_relu, leaky_relu_slope_derivative, sigmoid

Z = np.linspace(-3, 3, 61).reshape(1, -1) + 0.013  # avoid the kink at exactly 0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_centred_difference(name: str) -> None:
    activation = ACTIVATIONS[name]
    eps = 1e-6
    numeric = (activation.value(Z + eps, 0.05) - activation.value(Z - eps, 0.05)) / (2 * eps)
    analytic = activation.derivative(Z, activation.value(Z, 0.05), 0.05)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_values_follow_the_course_definitions() -> None:
    z = np.array([[-2.0, 0.5]])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].value(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(ACTIVATIONS["tanh"].value(z), np.tanh(z))
    np.testing.assert_allclose(ACTIVATIONS["relu"].value(z), [[0.0, 0.5]])
    np.testing.assert_allclose(leaky_relu(z, 0.1), [[-0.2, 0.5]])
    np.testing.assert_allclose(ACTIVATIONS["linear"].value(z), z)


def test_leaky_slope_derivative_is_z_on_the_negative_side() -> None:
    z = np.array([[-2.0, 3.0]])
    np.testing.assert_allclose(leaky_relu_slope_derivative(z), [[-2.0, 0.0]])


def test_sigmoid_neither_overflows_nor_warns_at_large_z() -> None:
    z = np.array([[-1e4, -800.0, 0.0, 800.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            a = sigmoid(z)
    assert np.all(np.isfinite(a))
    assert a[0, 0] >= 0 and a[0, -1] == 1.0 and a[0, 2] == 0.5
