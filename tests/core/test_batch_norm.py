"""Batch norm: PyTorch's BatchNorm1d as oracle, gradient checks, optimizers, inference, resume."""

import copy
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from core import NetworkConfig, OptimizerConfig, TrainConfig, Trainer
from core.activations import ACTIVATIONS
from core.batchnorm import BatchNormNetwork, normalize, normalize_backward, update_running
from core.checkpoints import capture, restore
from core.gradcheck import gradient_check_report
from core.losses import OUTPUTS
from core.optimizers import OPTIMIZERS
from core.pictures import Pictures

REFERENCE = json.loads((Path(__file__).parent / "bn_reference.json").read_text())


def labels_for(output: str, rng: np.random.Generator, m: int) -> np.ndarray:
    """Y of the output kind: one-hot for softmax (3 classes), 0/1 for sigmoid, reals else."""
    if output == "softmax":
        return np.eye(3)[:, rng.integers(0, 3, m)]
    if output == "classification":
        return (rng.random((1, m)) > 0.5).astype(float)
    return rng.standard_normal((1, m))


def test_one_layer_matches_pytorch_batchnorm1d_in_training_mode() -> None:
    case = REFERENCE["layer"]
    Z, G = np.array(case["Z"]), np.array(case["G"])
    gamma, beta = np.array(case["gamma"])[:, None], np.array(case["beta"])[:, None]
    Zt = np.empty_like(Z)
    mu, var, inv_std = normalize(Z, gamma, beta, out=Zt)  # Z now holds z_norm
    np.testing.assert_allclose(Zt, case["Z_tilde"], rtol=0, atol=1e-10)
    dgamma, dbeta = np.empty((3, 1)), np.empty((3, 1))
    dZ = normalize_backward(G.copy(), Z, gamma, inv_std, dgamma, dbeta)
    np.testing.assert_allclose(dZ, case["dZ"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(dgamma[:, 0], case["dgamma"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(dbeta[:, 0], case["dbeta"], rtol=0, atol=1e-10)
    mean, running_var = np.zeros((3, 1)), np.ones((3, 1))
    update_running(mean, running_var, mu, var, Z.shape[1])
    np.testing.assert_allclose(mean[:, 0], case["running_mean"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(running_var[:, 0], case["running_var"], rtol=0, atol=1e-10)


def test_a_batch_norm_network_matches_pytorch_cost_and_gradients() -> None:
    case = REFERENCE["network"]
    net = BatchNormNetwork([2, 3, 1], activation="tanh")
    names = ("W1", "gamma1", "beta1", "W2", "b2")
    assert list(net.params) == list(names)
    for name in names:
        net.params[name][...] = case[name]
    X, Y = np.array(case["X"]), np.array(case["Y"])
    net.forward(X, training=True)
    assert net.training_cost(Y) == pytest.approx(case["cost"], abs=1e-10)
    assert net.batch_cost(X, Y) == pytest.approx(case["cost"], abs=1e-10)
    grads = net.backward(Y)
    for name in names:
        np.testing.assert_allclose(grads["d" + name], case["d" + name], rtol=0, atol=1e-10)


@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backprop_matches_centred_differences_for_every_parameter(
    activation: str, output: str
) -> None:
    rng = np.random.default_rng(3)
    units = 3 if output == "softmax" else 1
    X, Y = rng.standard_normal((2, 9)), labels_for(output, rng, 9)
    net = BatchNormNetwork(
        [2, 4, 3, units], activation=activation, output_activation=output, init="xavier", seed=2
    )
    net.params["gamma1"][...] = rng.uniform(0.5, 1.5, (4, 1))
    net.params["beta2"][...] = rng.standard_normal((3, 1))
    report = gradient_check_report(net, X, Y, epsilon=1e-6)
    assert report.difference < 1e-7
    assert {"gamma1", "beta1", "gamma2", "beta2", "W3", "b3"} <= set(report.per_parameter)
    net.forward(X, training=True)
    grads = net.backward(Y)
    for name, difference in report.per_parameter.items():
        # a linear layer's beta is cancelled by the next layer's mean: its gradient is 0
        assert difference < 1e-6 or np.abs(grads["d" + name]).max() < 1e-12, name


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_learns_gamma_and_beta(name: str) -> None:
    config = TrainConfig(
        network=NetworkConfig(hidden=(5, 4), init="xavier", batch_norm=True),
        optimizer=OptimizerConfig(name=name, learning_rate=0.05, batch_size=64),
    )
    trainer = Trainer(config)
    before = {k: v.copy() for k, v in trainer.network.params.items()}
    result = trainer.step(60)
    assert result.diverged is None
    for k in ("gamma1", "beta1", "gamma2", "beta2"):
        assert not np.array_equal(trainer.network.params[k], before[k]), k
    assert np.mean(result.costs[-10:]) < np.mean(result.costs[:10])


def test_inference_uses_the_running_averages_not_the_batch() -> None:
    rng = np.random.default_rng(0)
    net = BatchNormNetwork([2, 3, 1], activation="relu", init="he", seed=1)
    X = rng.standard_normal((2, 50)) * 3 + 2
    for _ in range(5):
        net.forward(X, training=True)
    Z1 = net.params["W1"] @ X
    mean, var = Z1.mean(axis=1, keepdims=True), Z1.var(axis=1, keepdims=True) * 50 / 49
    expected_mean = (1 - 0.9**5) * mean  # from 0, five times 0.9 old + 0.1 new
    expected_var = 0.9**5 + (1 - 0.9**5) * var
    np.testing.assert_allclose(net.running[:3, None], expected_mean, rtol=1e-12)
    np.testing.assert_allclose(net.running[3:, None], expected_var, rtol=1e-12)
    x = X[:, :1]  # one example: its prediction depends on the running averages alone
    norm = (net.params["W1"] @ x - expected_mean) / np.sqrt(expected_var + 1e-5)
    A1 = np.maximum(net.params["gamma1"] * norm + net.params["beta1"], 0)
    np.testing.assert_allclose(net.last_z(x), net.params["W2"] @ A1 + net.params["b2"])
    np.testing.assert_allclose(net.forward(X)[:, :1], net.forward(x))


def test_a_network_without_batch_norm_keeps_its_biases_and_has_no_gamma() -> None:
    trainer = Trainer(TrainConfig(network=NetworkConfig(hidden=(4, 3))))
    assert list(trainer.network.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert trainer.network.running is None and not trainer.network.batch_norm


def test_a_resumed_batch_norm_run_continues_bit_for_bit() -> None:
    config = TrainConfig(
        network=NetworkConfig(hidden=(6, 4), activation="relu", init="he", batch_norm=True),
        optimizer=OptimizerConfig(name="adam", learning_rate=0.01, batch_size=50),
        regularization=dataclasses.replace(TrainConfig().regularization, keep_prob=0.8),
    )
    trainer = Trainer(config)
    trainer.step(33)
    checkpoint = capture(trainer)
    trainer.step(20)
    resumed = Trainer(config)
    restore(resumed, checkpoint)
    resumed.step(20)
    np.testing.assert_array_equal(resumed.network.theta, trainer.network.theta)
    np.testing.assert_array_equal(resumed.network.running, trainer.network.running)
    assert resumed.metrics() == trainer.metrics()


def test_a_deep_copy_keeps_the_running_averages_and_its_own_views() -> None:
    net = BatchNormNetwork([2, 3, 1], seed=0)
    net.forward(np.random.default_rng(0).standard_normal((2, 10)), training=True)
    twin = copy.deepcopy(net)
    np.testing.assert_array_equal(twin.running, net.running)
    twin.running[...] = 0.0
    assert net.running.any()
    np.testing.assert_array_equal(twin.inference_affine(1)[1], twin.params["beta1"])


def test_pictures_of_a_batch_norm_network_use_the_inference_map() -> None:
    trainer = Trainer(TrainConfig(network=NetworkConfig(hidden=(4,), batch_norm=True)))
    trainer.step(10)
    boundary = Pictures(trainer).boundary(20)
    points = Pictures(trainer).grid_inputs(20).astype(np.float64)
    expected = trainer.network.forward(points).reshape(20, 20)
    np.testing.assert_allclose(boundary, expected, atol=1e-5)
