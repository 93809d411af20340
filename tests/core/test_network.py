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


HAND_WRITTEN = {  # g and g' written out again, independently of core.activations
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    "relu": (lambda z: np.where(z > 0, z, 0.0), lambda z: (z > 0) * 1.0),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.2 * z), lambda z: np.where(z > 0, 1.0, 0.2)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


def test_every_activation_has_a_hand_written_twin() -> None:
    from core import ACTIVATIONS

    assert set(HAND_WRITTEN) == set(ACTIVATIONS)


@pytest.mark.parametrize("l2", [0.0, 0.4])
@pytest.mark.parametrize("activation", sorted(HAND_WRITTEN))
def test_softmax_network_matches_a_hand_written_forward_backward_and_cost(
    activation: str, l2: float
) -> None:
    rng = np.random.default_rng(7)
    X = rng.standard_normal((2, 11))
    labels = rng.integers(0, 3, 11)
    Y = np.zeros((3, 11))
    Y[labels, np.arange(11)] = 1.0
    net = Network([2, 5, 4, 3], activation=activation, output_activation="softmax",
                  init="xavier", l2=l2, leaky_slope=0.2, seed=4)  # fmt: skip
    g, dg = HAND_WRITTEN[activation]
    W = [None, *(net.params[f"W{l}"].copy() for l in (1, 2, 3))]
    b = [None, *(net.params[f"b{l}"].copy() for l in (1, 2, 3))]
    m = X.shape[1]
    Z1 = W[1] @ X + b[1]
    A1 = g(Z1)
    Z2 = W[2] @ A1 + b[2]
    A2 = g(Z2)
    Z3 = W[3] @ A2 + b[3]
    A3 = np.exp(Z3) / np.exp(Z3).sum(axis=0)
    J = -np.sum(Y * np.log(A3)) / m + l2 / (2 * m) * sum(np.sum(w**2) for w in W[1:])
    dZ3 = A3 - Y
    dW3, db3 = dZ3 @ A2.T / m + l2 / m * W[3], dZ3.sum(axis=1, keepdims=True) / m
    dZ2 = (W[3].T @ dZ3) * dg(Z2)
    dW2, db2 = dZ2 @ A1.T / m + l2 / m * W[2], dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = (W[2].T @ dZ2) * dg(Z1)
    dW1, db1 = dZ1 @ X.T / m + l2 / m * W[1], dZ1.sum(axis=1, keepdims=True) / m

    np.testing.assert_allclose(net.forward(X), A3, rtol=1e-12)
    np.testing.assert_allclose(net.forward(X, training=True), A3, rtol=1e-12)
    grads = net.backward(Y)
    expected = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}
    for name, value in expected.items():
        np.testing.assert_allclose(grads[name], value, rtol=1e-10, atol=1e-14, err_msg=name)
    assert net.cost(X, Y) == pytest.approx(J, rel=1e-12)
    assert net.training_cost(Y) == pytest.approx(J, rel=1e-12)


def test_softmax_outputs_are_probabilities_over_k_rows() -> None:
    net = Network([2, 4, 5], output_activation="softmax", seed=0)
    A = net.forward(np.random.default_rng(0).standard_normal((2, 9)) * 1e3)
    assert A.shape == (5, 9) and np.all(A >= 0)
    np.testing.assert_allclose(A.sum(axis=0), 1.0)


def test_softmax_on_one_output_unit_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="softmax"):
        Network([2, 3, 1], output_activation="softmax")


def test_a_softmax_network_with_z_near_1e4_is_finite_and_warning_free() -> None:
    import warnings

    net = Network([2, 3], output_activation="softmax", seed=0)
    net.params["W1"][...] = [[1e4, 0.0], [-1e4, 0.0], [0.0, 1e4]]
    X = np.array([[1.0, -1.0, 0.0, 0.5], [0.0, 0.0, 1.0, 1.0]])
    Y = np.eye(3)[:, [1, 0, 2, 0]]  # the first two examples are as wrong as can be
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            A = net.forward(X, training=True)
            grads = net.backward(Y)
            cost = net.cost(X, Y)
    assert np.isfinite(A).all() and all(np.isfinite(g).all() for g in grads.values())
    assert cost == pytest.approx((2e4 + 2e4 + 0.0 + 5e3) / 4)
