"""Backprop agrees with centred differences for every activation x output x L2 setting."""

import numpy as np
import pytest

from core import Network, gradient_check, gradient_check_report
from core.activations import ACTIVATIONS
from core.losses import OUTPUTS


def small_problem(output: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 12))
    if output == "classification":
        return X, (rng.random((1, 12)) > 0.5).astype(float)
    if output == "softmax":  # one-hot Y (4, 12)
        return X, (np.arange(4)[:, None] == rng.integers(0, 4, 12)).astype(float)
    return X, rng.standard_normal((1, 12))


@pytest.mark.parametrize(("l2", "l1"), [(0.0, 0.0), (0.7, 0.0), (0.0, 0.3), (0.4, 0.2)])
@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backprop_matches_centred_differences(
    activation: str, output: str, l2: float, l1: float
) -> None:
    X, Y = small_problem(output)
    net = Network(
        [3, 5, 4, Y.shape[0]],
        activation=activation,
        output_activation=output,
        init="xavier",
        l2=l2,
        l1=l1,
        leaky_slope=0.2,
        seed=5,
    )
    assert gradient_check(net, X, Y) < 1e-7


@pytest.mark.parametrize("l2", [0.0, 0.7])
def test_learned_leaky_slope_gradient_matches_centred_differences(l2: float) -> None:
    X, Y = small_problem("classification")
    net = Network(
        [3, 5, 4, 1], activation="leaky_relu", learn_slope=True, leaky_slope=0.2, l2=l2, seed=2
    )
    report = gradient_check_report(net, X, Y)
    assert {"slope1", "slope2"} <= set(report.per_parameter)
    assert report.difference < 1e-7
    assert report.per_parameter["slope1"] < 1e-6


def test_gradient_check_runs_with_dropout_off_and_restores_keep_prob() -> None:
    X, Y = small_problem("classification")
    net = Network([3, 6, 1], keep_prob=0.5, seed=1)
    assert gradient_check(net, X, Y) < 1e-7
    assert net.keep_prob == 0.5


def test_a_wrong_gradient_is_reported_as_a_bug() -> None:
    X, Y = small_problem("classification")
    net = Network([3, 4, 1], seed=1)
    original = net.backward

    def broken(Y: np.ndarray) -> dict[str, np.ndarray]:
        grads = original(Y)
        grads["dW1"] = grads["dW1"] * 2
        return grads

    net.backward = broken  # type: ignore[method-assign]
    report = gradient_check_report(net, X, Y)
    assert report.verdict == "bug"
    assert report.per_parameter["W1"] > 1e-3
    assert report.per_parameter["b2"] < 1e-7
