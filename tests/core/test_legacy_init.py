"""The notebooks' own initial weights (legacy np.random.seed + randn) and W = c I with depth."""

import numpy as np
import pytest

from core import NetworkConfig, TrainConfig, Trainer
from core.initializers import INITIALIZERS
from core.network import Network


def notebook_weights(seed: int, dims: list[int], scale: str | float) -> list[np.ndarray]:
    """The notebooks' loop: np.random.seed(seed); W[l] = randn(n_l, n_{l-1}) * scale."""
    np.random.seed(seed)
    weights = []
    for l in range(1, len(dims)):
        W = np.random.randn(dims[l], dims[l - 1])
        if scale == "he":
            W = W * np.sqrt(2.0 / dims[l - 1])
        elif scale == "xavier":
            W = W / np.sqrt(dims[l - 1])
        else:
            W = W * scale
        weights.append(W)
    return weights


@pytest.mark.parametrize(
    ("init", "seed", "scale", "init_scale"),
    [
        ("notebook_random", 3, 10.0, 10.0),
        ("notebook_he", 3, "he", 0.01),
        ("notebook_xavier", 3, "xavier", 0.01),
        ("notebook_planar", 2, 0.01, 0.01),
    ],
)
def test_notebook_initializers_draw_the_notebooks_numbers(
    init: str, seed: int, scale: str | float, init_scale: float
) -> None:
    dims = [2, 10, 5, 1]
    net = Network(dims, init=init, init_scale=init_scale, seed=123)
    for l, W in enumerate(notebook_weights(seed, dims, scale), start=1):
        np.testing.assert_array_equal(net.params[f"W{l}"], W)
        assert not net.params[f"b{l}"].any()


def test_the_planar_notebook_initialisation_through_a_trainer() -> None:
    config = TrainConfig(network=NetworkConfig(hidden=(4,), init="notebook_planar"))
    params = Trainer(config).network.params
    np.random.seed(2)
    np.testing.assert_array_equal(params["W1"], np.random.randn(4, 2) * 0.01)
    np.testing.assert_array_equal(params["W2"], np.random.randn(1, 4) * 0.01)


def test_init_seed_overrides_the_notebooks_seed_and_the_global_state_stays_put() -> None:
    np.random.seed(99)
    expected_next = np.random.rand()
    np.random.seed(99)
    net = Network([2, 3, 1], init="notebook_he", init_seed=7)
    assert np.random.rand() == expected_next
    np.testing.assert_array_equal(net.params["W1"], notebook_weights(7, [2, 3, 1], "he")[0])


def test_every_notebook_initializer_names_its_seed() -> None:
    notebook = {n: spec for n, spec in INITIALIZERS.items() if n.startswith("notebook_")}
    assert notebook and all(spec.seed is not None for spec in notebook.values())
    assert all(f"seed({spec.seed})" in spec.description for spec in notebook.values())


def test_identity_scaled_is_c_times_a_padded_identity() -> None:
    net = Network([2, 3, 1], init="identity_scaled", init_scale=0.5)
    np.testing.assert_array_equal(net.params["W1"], [[0.5, 0], [0, 0.5], [0, 0]])
    np.testing.assert_array_equal(net.params["W2"], [[0.5, 0, 0]])


def deep_gradients(
    depth: int, c: float, output: str = "classification"
) -> tuple[Network, list[float]]:
    """A linear chain of width 4 and `depth` layers, W = c I: ||dW[l]|| after one pass."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 200))
    Y = (X[:1] > 0).astype(float) if output == "classification" else X[:1]
    dims = [4] * depth + [1]
    net = Network(dims, activation="linear", output_activation=output, init="identity_scaled",
                  init_scale=c)  # fmt: skip
    net.forward(X, training=True)
    grads = net.backward(Y)
    return net, [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, depth + 1)]


def test_a_chain_of_c_identities_shrinks_activations_and_gradients_geometrically() -> None:
    c = 0.5
    net, shallow = deep_gradients(3, c)
    _, deep = deep_gradients(9, c)
    X = np.random.default_rng(0).standard_normal((4, 200))  # deep_gradients' inputs
    for l, (_, A) in enumerate(net.hidden_values(), start=1):  # forward: ||A[l]|| = c^l ||X||
        assert np.linalg.norm(A) == pytest.approx(c**l * np.linalg.norm(X), rel=1e-12)
    # each dW[l] carries c^(l-1) from the forward and c^(L-l) from the backward: c^(L-1) in all,
    # so every layer's gradient is the same size, and the whole gradient falls as c^(L-1)
    assert deep[0] / deep[-1] == pytest.approx(1.0, rel=1e-9)
    assert deep[0] / shallow[0] == pytest.approx(c**6, rel=0.2)


def test_c_above_one_makes_the_gradient_explode_with_depth() -> None:
    c = 1.5
    _, shallow = deep_gradients(3, c, output="regression")
    _, deep = deep_gradients(9, c, output="regression")
    assert deep[0] / shallow[0] > c**6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_he_keeps_every_layers_gradient_within_a_factor_of_ten(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((4, 200))
    Y = (X[:1] > 0).astype(float)
    net = Network([4, *[16] * 9, 1], activation="relu", init="he", seed=seed)
    net.forward(X, training=True)
    grads = net.backward(Y)
    norms = [np.linalg.norm(grads[f"dW{l}"]) for l in range(1, 11)]
    assert max(norms) / min(norms) < 10
