"""Optimizers: one-step closed forms and the course's update rules."""

import numpy as np
import pytest

from core import Network, make_optimizer
from core.optimizers import OPTIMIZERS

W0 = np.array([[1.0, -2.0, 0.5]])
DW = np.array([[0.3, -0.02, 4.0]])


def one_step(name: str, **hyper: float) -> np.ndarray:
    params = {"W1": W0.copy()}
    make_optimizer(name, 0.1, **hyper).update(params, {"dW1": DW.copy()})
    return params["W1"]


def test_gd_step_is_w_minus_a_dw() -> None:
    np.testing.assert_allclose(one_step("gd"), W0 - 0.1 * DW)


def test_momentum_first_step_uses_one_minus_beta() -> None:
    np.testing.assert_allclose(one_step("momentum", beta=0.9), W0 - 0.1 * 0.1 * DW)


def test_rmsprop_first_step_divides_by_root_of_one_minus_beta_times_square() -> None:
    expected = W0 - 0.1 * DW / (np.sqrt(0.1 * DW**2) + 1e-8)
    np.testing.assert_allclose(one_step("rmsprop", beta=0.9), expected)


def test_adam_first_step_is_learning_rate_times_sign_thanks_to_bias_correction() -> None:
    np.testing.assert_allclose(one_step("adam"), W0 - 0.1 * np.sign(DW), rtol=1e-6)


def test_adam_second_step_follows_the_written_formula() -> None:
    params = {"W1": W0.copy()}
    adam = make_optimizer("adam", 0.01, beta1=0.8, beta2=0.99, epsilon=1e-8)
    g1, g2 = DW, DW * 0.5 + 0.1
    adam.update(params, {"dW1": g1})
    adam.update(params, {"dW1": g2})
    v = 0.8 * (0.2 * g1) + 0.2 * g2
    s = 0.99 * (0.01 * g1**2) + 0.01 * g2**2
    first = W0 - 0.01 * np.sign(g1)
    expected = first - 0.01 * (v / (1 - 0.8**2)) / (np.sqrt(s / (1 - 0.99**2)) + 1e-8)
    np.testing.assert_allclose(params["W1"], expected, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_buffers_start_at_zero_and_defaults_are_the_courses(name: str) -> None:
    opt = make_optimizer(name, 0.1)
    assert opt.state == {}
    for hyper, value in {"beta": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}.items():
        if hyper in OPTIMIZERS[name].hyperparameters:
            assert getattr(opt, hyper) == value


def test_learning_rate_decay_is_a0_over_one_plus_decay_times_epoch() -> None:
    opt = make_optimizer("gd", 0.5, decay=1.0)
    opt.start_epoch(3)
    assert opt.learning_rate == pytest.approx(0.5 / 4)


def test_unknown_hyperparameter_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="beta"):
        make_optimizer("gd", 0.1, beta=0.9)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_one_update_of_the_flat_parameters_equals_updates_parameter_by_parameter(name: str):
    X = np.random.default_rng(3).standard_normal((2, 50))
    Y = (X[:1] * X[1:] > 0).astype(float)
    by_name, flat = (Network([2, 5, 3, 1], seed=4) for _ in range(2))
    optimizers = [make_optimizer(name, 0.05) for _ in range(2)]
    for _ in range(5):
        by_name.forward(X, training=True)
        optimizers[0].update(by_name.params, by_name.backward(Y))
        flat.forward(X, training=True)
        gradient = np.empty_like(flat.theta)
        flat.backward(Y, out=gradient)
        optimizers[1].update({"theta": flat.theta}, {"dtheta": gradient})
    np.testing.assert_array_equal(by_name.theta, flat.theta)
    flat.params["W1"][0, 0] = 7.0  # params are views into theta
    assert 7.0 in flat.theta
