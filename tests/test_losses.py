"""Losses: stable cross-entropy and MSE, and their shared gradient dZ[L] = A - Y."""

import warnings

import numpy as np

from core.losses import OUTPUTS, cross_entropy, mean_squared_error


def test_cross_entropy_matches_the_textbook_formula() -> None:
    Z = np.array([[-1.5, 0.2, 2.0, -0.3]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    A = 1 / (1 + np.exp(-Z))
    expected = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert cross_entropy(Z, A, Y) == pytest_approx(expected)


def test_cross_entropy_is_finite_without_warnings_for_saturated_outputs() -> None:
    Z = np.array([[-1e4, 1e4, -1e4, 1e4]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    A = OUTPUTS["classification"].activation(Z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            cost = cross_entropy(Z, A, Y)
    assert cost == pytest_approx(1e4 / 2)


def test_mean_squared_error_is_half_mean_square() -> None:
    A = np.array([[1.0, 2.0]])
    Y = np.array([[0.0, 0.0]])
    assert mean_squared_error(A, A, Y) == pytest_approx((1 + 4) / 4)


def test_both_outputs_have_gradient_a_minus_y_with_respect_to_z() -> None:
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((1, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    for output in OUTPUTS.values():
        A = output.activation(Z)
        eps = 1e-6
        numeric = np.zeros_like(Z)
        for i in range(Z.shape[1]):
            up, down = Z.copy(), Z.copy()
            up[0, i] += eps
            down[0, i] -= eps
            cost_up = output.loss(up, output.activation(up), Y)
            cost_down = output.loss(down, output.activation(down), Y)
            numeric[0, i] = (cost_up - cost_down) / (2 * eps)
        np.testing.assert_allclose(numeric, (A - Y) / Z.shape[1], rtol=1e-5, atol=1e-9)


def pytest_approx(value: float) -> object:
    import pytest

    return pytest.approx(value, rel=1e-12)
