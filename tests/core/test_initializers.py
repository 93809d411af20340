"""Initializers: shapes, scales, explicit generators and the symmetry problem."""

import numpy as np
import pytest

from core import Network, NetworkConfig, TrainConfig, Trainer
from core.initializers import INITIALIZERS


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_weights_have_course_shapes_and_biases_are_zero(name: str) -> None:
    net = Network([3, 5, 2, 1], init=name, seed=4)
    assert net.params["W1"].shape == (5, 3)
    assert net.params["W2"].shape == (2, 5)
    assert net.params["W3"].shape == (1, 2)
    for l in (1, 2, 3):
        assert not net.params[f"b{l}"].any()


def test_scales_follow_their_formulas() -> None:
    rng_draws = {
        name: INITIALIZERS[name].draw(np.random.default_rng(0), 400, 200, 0.01)
        for name in ("random", "xavier", "he")
    }
    assert rng_draws["random"].std() == pytest.approx(0.01, rel=0.05)
    assert rng_draws["xavier"].std() == pytest.approx(np.sqrt(1 / 200), rel=0.05)
    assert rng_draws["he"].std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)


def test_same_seed_same_weights_and_global_generator_untouched() -> None:
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    a = Network([2, 4, 1], init="he", seed=9)
    b = Network([2, 4, 1], init="he", seed=9)
    assert np.random.random() == before
    np.testing.assert_array_equal(a.params["W1"], b.params["W1"])
    assert not np.array_equal(a.params["W1"], Network([2, 4, 1], init="he", seed=10).params["W1"])


def test_zeros_init_keeps_hidden_units_identical_after_100_steps() -> None:
    config = TrainConfig(network=NetworkConfig(hidden=(5, 3), init="zeros", activation="tanh"))
    trainer = Trainer(config)
    trainer.step(100)
    for l in (1, 2):
        W = trainer.network.params[f"W{l}"]
        b = trainer.network.params[f"b{l}"]
        assert np.allclose(W, W[0]), f"layer {l} weights differ between units"
        assert np.allclose(b, b[0])
