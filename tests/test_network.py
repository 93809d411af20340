"""Network: shapes, forward, dropout and L2 behave as the course defines them."""

import numpy as np
import pytest

from core import Network


def test_forward_returns_one_row_per_output_unit_and_one_column_per_example() -> None:
    net = Network([2, 4, 1], seed=0)
    X = np.random.default_rng(0).standard_normal((2, 7))
    assert net.forward(X).shape == (1, 7)
    assert set(net.params) == {"W1", "b1", "W2", "b2"}


def test_forward_matches_the_written_out_equations() -> None:
    net = Network([2, 3, 1], activation="tanh", init="he", seed=2)
    X = np.random.default_rng(1).standard_normal((2, 5))
    p = net.params
    A1 = np.tanh(p["W1"] @ X + p["b1"])
    A2 = 1 / (1 + np.exp(-(p["W2"] @ A1 + p["b2"])))
    np.testing.assert_allclose(net.forward(X), A2)


def test_backward_shapes_match_parameters() -> None:
    net = Network([3, 5, 2, 1], seed=0)
    X = np.ones((3, 4))
    net.forward(X, training=True)
    grads = net.backward(np.ones((1, 4)))
    for name, value in net.params.items():
        assert grads["d" + name].shape == value.shape


def test_backward_without_training_forward_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="forward"):
        Network([2, 1]).backward(np.ones((1, 3)))


def test_inverted_dropout_keeps_the_expected_activation_and_uses_fresh_masks() -> None:
    # every hidden unit outputs 1 (W1 = 0, b1 = 1, relu) and the output averages them, so
    # the output's Z during training is (units kept) / (200 * keep_prob)
    net = Network([2, 200, 1], activation="relu", keep_prob=0.8, seed=0)
    net.params["W1"][...] = 0.0
    net.params["b1"][...] = 1.0
    net.params["W2"][...] = 1.0 / 200
    net.params["b2"][...] = 0.0
    X = np.random.default_rng(0).standard_normal((2, 500))
    net.forward(X, training=True)
    first = net.last_output()[0].copy()
    kept = first * 0.8
    assert kept.mean() == pytest.approx(0.8, abs=0.01)  # the fraction of units kept
    assert first.mean() == pytest.approx(net.last_z(X).mean(), abs=0.02)  # expectation kept
    np.testing.assert_allclose(net.last_z(X), 1.0)  # no dropout outside training
    net.forward(X, training=True)
    assert not np.array_equal(first, net.last_output()[0]), "a fresh mask every pass"


def test_prediction_and_cost_use_no_dropout() -> None:
    net = Network([2, 30, 1], keep_prob=0.5, seed=0)
    X = np.random.default_rng(0).standard_normal((2, 50))
    Y = np.ones((1, 50))
    np.testing.assert_array_equal(net.forward(X), net.forward(X))
    assert net.cost(X, Y) == net.cost(X, Y)


def test_l2_adds_lambda_over_2m_times_squared_weights_to_the_cost() -> None:
    X = np.random.default_rng(0).standard_normal((2, 10))
    Y = np.ones((1, 10))
    plain = Network([2, 3, 1], seed=1)
    regular = Network([2, 3, 1], l2=0.7, seed=1)
    squares = sum(np.sum(regular.params[k] ** 2) for k in ("W1", "W2"))
    assert regular.cost(X, Y) == pytest.approx(plain.cost(X, Y) + 0.7 / 20 * squares)


def test_l2_adds_lambda_over_m_times_w_to_dw_and_nothing_to_db() -> None:
    X = np.random.default_rng(0).standard_normal((2, 10))
    Y = np.ones((1, 10))
    plain = Network([2, 3, 1], seed=1)
    regular = Network([2, 3, 1], l2=0.7, seed=1)
    for net in (plain, regular):
        net.forward(X, training=True)
    g0, g1 = plain.backward(Y), regular.backward(Y)
    np.testing.assert_allclose(g1["dW1"], g0["dW1"] + 0.07 * regular.params["W1"])
    np.testing.assert_array_equal(g1["db1"], g0["db1"])


def test_bad_layer_sizes_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="layer_sizes"):
        Network([2])
