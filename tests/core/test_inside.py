"""Inside the network: histograms, saturation, dead ReLUs, update ratios, hidden space."""

import numpy as np
import pytest

from core import NetworkConfig, OptimizerConfig, TrainConfig, Trainer
from core.batchnorm import BatchNormNetwork
from core.inside import BINS, hidden_space, inside
from core.network import Network


def one_pass(net: Network, m: int = 50) -> dict[str, np.ndarray]:
    """A training forward and backward on fixed random points; the gradients."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, m)), (rng.random((1, m)) > 0.5).astype(float)
    net.forward(X, training=True)
    return net.backward(Y)


def test_histograms_count_every_value_of_a_z_and_dw_per_hidden_layer() -> None:
    net = Network([2, 5, 3, 1], activation="tanh", init="xavier", seed=0)
    layers = inside(net, one_pass(net))
    assert [layer.layer for layer in layers] == [1, 2]
    for layer, n, fan_in in zip(layers, (5, 3), (2, 5), strict=True):
        assert layer.activations.counts.sum() == layer.preactivations.counts.sum() == n * 50
        assert layer.weight_gradients.counts.sum() == n * fan_in
        assert layer.activations.edges.shape == (BINS + 1,)
        assert layer.dead is None and layer.update_ratio is None


def test_dead_relu_share_is_one_when_the_biases_are_very_negative() -> None:
    net = Network([2, 6, 4, 1], activation="relu", init="he", seed=1)
    net.params["b1"][...] = -100.0
    layers = inside(net, one_pass(net))
    assert layers[0].dead == 1.0 and layers[0].saturated is None
    fresh = Network([2, 6, 4, 1], activation="relu", init="he", seed=1)
    assert inside(fresh, one_pass(fresh))[0].dead < 1.0


@pytest.mark.parametrize(("activation", "bias", "share"), [("tanh", 50.0, 1.0), ("tanh", 0.0, 0.0),
                                                           ("sigmoid", -50.0, 1.0)])  # fmt: skip
def test_saturated_share_counts_the_flat_tails(activation: str, bias: float, share: float) -> None:
    net = Network([2, 4, 1], activation=activation, init="random", init_scale=0.01, seed=0)
    net.params["b1"][...] = bias
    assert inside(net, one_pass(net))[0].saturated == share


def test_update_ratio_is_log10_of_the_last_step_over_the_weights() -> None:
    config = TrainConfig(
        network=NetworkConfig(hidden=(4,), init="xavier"),
        optimizer=OptimizerConfig(learning_rate=0.5),
    )
    trainer = Trainer(config)
    trainer.step(7)
    net = trainer.network
    previous = net.views(trainer.previous_theta)
    W = net.params["W1"]
    layer = inside(net, trainer.last_grads, previous)[0]
    expected = np.log10(np.linalg.norm(W - previous["W1"]) / np.linalg.norm(W))
    assert layer.update_ratio == pytest.approx(expected)
    # with gradient descent the last step is exactly a dW of the last update
    np.testing.assert_allclose(W - previous["W1"], -0.5 * trainer.last_grads["dW1"])


def test_batch_norm_layers_show_their_normalised_z() -> None:
    net = BatchNormNetwork([2, 5, 1], activation="relu", init="he", seed=0)
    layer = inside(net, one_pass(net))[0]
    Zt = net.hidden_values()[0][0]
    np.testing.assert_allclose(Zt.mean(axis=1), 0.0, atol=1e-12)  # gamma 1, beta 0
    assert layer.dead == 0.0  # normalised z cannot be <= 0 on every example


def test_hidden_space_gives_two_units_of_a_layer_for_grid_and_data() -> None:
    net = Network([2, 4, 3, 1], activation="tanh", init="xavier", seed=2)
    grid, data = np.random.default_rng(0).standard_normal((2, 2, 10))
    grid_xy, data_xy = hidden_space(net, grid, data, layer=2, units=(2, 0))
    A1 = np.tanh(net.params["W1"] @ data + net.params["b1"])
    A2 = np.tanh(net.params["W2"] @ A1 + net.params["b2"])
    np.testing.assert_allclose(data_xy, A2[[2, 0]])
    assert grid_xy.shape == (2, 10)
    with pytest.raises(ValueError, match="hidden layer"):
        hidden_space(net, grid, data, layer=3)
    with pytest.raises(ValueError, match="units"):
        hidden_space(net, grid, data, layer=1, units=(0, 4))
