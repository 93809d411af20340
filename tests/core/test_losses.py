"""Losses: stable cross-entropy, softmax, MSE, and their shared gradient dZ[L] = A - Y."""

import warnings

import numpy as np
import pytest

from core.losses import (
    OUTPUTS,
    cross_entropy,
    mean_squared_error,
    output_for,
    output_units,
    softmax,
    softmax_backward,
    softmax_cross_entropy,
)


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


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Y (K, m) with Y[k, i] = 1 where labels[i] == k, written out without core."""
    Y = np.zeros((classes, len(labels)))
    Y[labels, np.arange(len(labels))] = 1.0
    return Y


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_has_gradient_a_minus_y_with_respect_to_z(name: str) -> None:
    rng = np.random.default_rng(0)
    output = OUTPUTS[name]
    if name == "softmax":
        Z = rng.standard_normal((4, 7))
        Y = one_hot(rng.integers(0, 4, 7), 4)
    else:
        Z = rng.standard_normal((1, 7))
        Y = (rng.random((1, 7)) > 0.5).astype(float)
    A = output.activation(Z)
    eps = 1e-6
    numeric = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[index] += eps
        down[index] -= eps
        cost_up = output.loss(up, output.activation(up), Y)
        cost_down = output.loss(down, output.activation(down), Y)
        numeric[index] = (cost_up - cost_down) / (2 * eps)
    np.testing.assert_allclose(numeric, (A - Y) / Z.shape[1], rtol=1e-5, atol=1e-9)


def test_softmax_matches_the_textbook_formula_and_sums_to_one_per_column() -> None:
    Z = np.array([[1.0, -2.0, 0.0], [2.0, 0.5, 0.0], [-1.0, 3.0, 0.0]])
    expected = np.exp(Z) / np.exp(Z).sum(axis=0)
    A = softmax(Z)
    np.testing.assert_allclose(A, expected, rtol=1e-14)
    np.testing.assert_allclose(A.sum(axis=0), 1.0)
    np.testing.assert_allclose(A[:, 2], 1 / 3)


def test_categorical_cross_entropy_matches_minus_mean_sum_y_log_a() -> None:
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((5, 9))
    Y = one_hot(rng.integers(0, 5, 9), 5)
    A = np.exp(Z) / np.exp(Z).sum(axis=0)
    expected = -np.sum(Y * np.log(A)) / 9
    assert softmax_cross_entropy(Z, softmax(Z), Y) == pytest_approx(expected)


def test_softmax_and_its_cost_are_finite_without_warnings_for_z_up_to_1e4() -> None:
    Z = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, 0.0, 1e4 - 1], [0.0, 0.0, 0.0, -1e4]])
    Y = one_hot(np.array([1, 1, 2, 0]), 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            A = softmax(Z)
            cost = softmax_cross_entropy(Z, A, Y)
    assert np.isfinite(A).all() and np.isfinite(cost)
    np.testing.assert_allclose(A[:, 0], [1, 0, 0], atol=0)
    # losses per example: 2e4, 0, log 3, log(1 + e^-1) (up to e^-1e4)
    expected = (2e4 + 0.0 + np.log(3) + np.log1p(np.exp(-1.0))) / 4
    assert cost == pytest_approx(expected)


def test_softmax_backward_of_the_cross_entropy_derivative_is_a_minus_y() -> None:
    rng = np.random.default_rng(2)
    Z = rng.standard_normal((4, 6))
    Y = one_hot(rng.integers(0, 4, 6), 4)
    A = softmax(Z)
    np.testing.assert_allclose(softmax_backward(A, -Y / A), A - Y, atol=1e-15)


def test_softmax_backward_is_the_jacobian_transpose_times_da() -> None:
    rng = np.random.default_rng(3)
    z, dA = rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
    a = softmax(z)
    jacobian = np.diagflat(a) - a @ a.T  # J[j, k] = a_j (1[j = k] - a_k), symmetric
    np.testing.assert_allclose(softmax_backward(a, dA), jacobian.T @ dA, rtol=1e-12)


def test_three_or_more_classes_take_softmax_and_two_keep_one_sigmoid_unit() -> None:
    assert (output_for("classification", 2), output_units("classification", 2)) == (
        "classification",
        1,
    )
    assert (output_for("classification", 5), output_units("classification", 5)) == ("softmax", 5)
    assert (output_for("regression", 5), output_units("regression", 5)) == ("regression", 1)


def pytest_approx(value: float) -> object:
    import pytest

    return pytest.approx(value, rel=1e-12)
