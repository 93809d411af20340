"""The loss landscape on a plane through the final weights: exact planes, batched grid, paths."""

import re
import subprocess
import sys

import numpy as np
import pytest

import core.plane
from core.config import DatasetConfig, NetworkConfig, OptimizerConfig, RegularizationConfig
from core.landscape import landscape, plane_mismatch
from core.lessons import FLOWER, LESSONS, variant
from core.plane import batch_costs
from core.training import Trainer

TWO_PARAMETERS = variant(  # logistic regression on x1 alone: W1 (1, 1) and b1 (1, 1)
    FLOWER, features=("x1",), network={"hidden": ()}, optimizer={"learning_rate": 0.5}
)
LEAKY_L2 = variant(
    FLOWER,
    network=NetworkConfig(hidden=(5, 3), activation="leaky_relu", init="he", learn_slope=True),
    optimizer=OptimizerConfig(name="adam", learning_rate=0.01),
    regularization=RegularizationConfig(l2=0.3),
)
REGRESSION = variant(
    FLOWER,
    dataset=DatasetConfig(name="plane", samples=120, noise=0.1),
    network=NetworkConfig(hidden=(3,), activation="sigmoid", output="regression", init="xavier"),
    optimizer=OptimizerConfig(name="momentum", learning_rate=0.1),
)


@pytest.mark.parametrize("directions", ["pca", "random"])
def test_for_two_parameters_the_plane_is_the_whole_space(directions: str) -> None:
    found = landscape(TWO_PARAMETERS, 300, resolution=9, directions=directions, points=30)
    np.testing.assert_allclose(found.plane_cost, found.path_cost, rtol=1e-10)
    assert found.directions.shape == (2, 2)
    if directions == "pca":
        assert sum(found.explained_variance) == pytest.approx(1.0)


@pytest.mark.parametrize("config", [FLOWER, LEAKY_L2, REGRESSION], ids=["tanh", "leaky", "mse"])
@pytest.mark.parametrize("directions", ["pca", "random"])
def test_grid_values_equal_one_network_evaluated_at_a_time(config, directions: str) -> None:
    found = landscape(config, 200, resolution=7, directions=directions, points=20)
    trainer = Trainer(config)
    trainer.step(200, metrics=False)
    network, final = trainer.network, trainer.network.theta.copy()
    for i, j in [(0, 0), (3, 3), (6, 1), (2, 5)]:
        theta = final + found.alpha[j] * found.directions[0] + found.beta[i] * found.directions[1]
        network.theta[:] = theta
        assert found.cost[i, j] == pytest.approx(network.cost(trainer.X_train, trainer.Y_train))


def test_true_path_costs_are_the_networks_costs_at_the_recorded_iterations() -> None:
    found = landscape(FLOWER, 100, resolution=5, points=10)
    trainer = Trainer(FLOWER)
    assert list(found.iterations) == list(range(0, 101, 10))
    for iteration, cost in zip(found.iterations, found.path_cost, strict=True):
        trainer.step(int(iteration) - trainer.iteration, metrics=False)
        assert cost == pytest.approx(trainer.network.cost(trainer.X_train, trainer.Y_train))


def test_the_path_starts_at_iteration_0_and_ends_on_the_plane_at_the_origin() -> None:
    found = landscape(FLOWER, 500, resolution=11, points=50)
    assert found.iterations[0] == 0 and found.iterations[-1] == 500
    assert tuple(found.path[-1]) == (0.0, 0.0)
    assert found.plane_cost[-1] == found.path_cost[-1]
    assert found.path[0, 0] < 0 and found.path[0, 1] <= 0  # signs chosen so the path starts low
    assert found.alpha[0] < found.path[:, 0].min() and found.alpha[-1] > found.path[:, 0].max()
    assert found.beta[0] < found.path[:, 1].min() and found.beta[-1] > found.path[:, 1].max()


def test_pca_directions_are_orthonormal_and_explain_most_of_a_gd_path() -> None:
    found = landscape(FLOWER, 1000, resolution=5)
    np.testing.assert_allclose(found.directions @ found.directions.T, np.eye(2), atol=1e-12)
    first, second = found.explained_variance
    assert first >= second >= 0 and first + second <= 1 + 1e-12
    assert first > 0.8


def test_random_directions_are_filter_normalised_to_the_final_weights() -> None:
    found = landscape(LEAKY_L2, 50, resolution=5, directions="random")
    trainer = Trainer(LEAKY_L2)
    trainer.step(50, metrics=False)
    network = trainer.network
    final = network.blocks(network.theta)
    for d in found.directions:
        for name, block in network.blocks(d).items():
            expected = np.linalg.norm(final[name], axis=1)
            np.testing.assert_allclose(np.linalg.norm(block, axis=1), expected, rtol=1e-12)


@pytest.mark.parametrize("directions", ["pca", "random"])
def test_the_same_config_gives_the_same_landscape(directions: str) -> None:
    runs = [landscape(FLOWER, 100, resolution=5, directions=directions) for _ in range(2)]
    assert np.array_equal(runs[0].cost, runs[1].cost)
    assert np.array_equal(runs[0].path, runs[1].path)
    assert np.array_equal(runs[0].directions, runs[1].directions)


def test_another_seed_draws_other_random_directions() -> None:
    other = variant(FLOWER, seed=1)
    a = landscape(FLOWER, 10, resolution=3, directions="random").directions
    b = landscape(other, 10, resolution=3, directions="random").directions
    assert not np.allclose(a, b)


def test_batch_costs_in_small_chunks_equal_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    trainer = Trainer(LEAKY_L2)
    rng = np.random.default_rng(0)
    thetas = trainer.network.theta + rng.normal(size=(13, trainer.network.theta.size))
    whole = batch_costs(trainer.network, trainer.X_train, trainer.Y_train, thetas)
    monkeypatch.setattr(core.plane, "CHUNK_FLOATS", 1)  # one network per chunk
    pieces = batch_costs(trainer.network, trainer.X_train, trainer.Y_train, thetas)
    np.testing.assert_allclose(pieces, whole, rtol=1e-13)
    assert whole.shape == (13,)


def test_a_diverging_run_ends_its_path_before_the_divergence() -> None:
    config = variant(REGRESSION, optimizer={"learning_rate": 100.0})
    found = landscape(config, 400, resolution=5, points=400)
    assert found.diverged is not None and "diverged at iteration 4" in found.diverged
    assert list(found.iterations) == [0, 1, 2, 3]  # theta_3's cost blew up: no update after it
    assert found.path_cost[-1] > 1e6
    assert np.all(np.isfinite(found.cost)) and np.all(np.isfinite(found.path_cost))


def test_unknown_directions_are_refused() -> None:
    with pytest.raises(ValueError, match="directions"):
        landscape(FLOWER, 10, directions="hessian")


def test_lanes_that_share_a_cost_function_share_one_plane() -> None:
    lanes = [lane.config for lane in LESSONS["optimizers"].lanes]  # gd, momentum, adam on moons
    found = landscape(lanes, 300, resolution=7, points=30)
    assert len(found.paths) == 3
    assert tuple(found.paths[0].path[-1]) == (0.0, 0.0)  # the plane passes through lane 0's end
    starts = np.array([p.path[0] for p in found.paths])
    np.testing.assert_allclose(starts, np.repeat(starts[:1], 3, axis=0))  # same initial weights
    for config, path in zip(lanes, found.paths, strict=True):
        trainer = Trainer(config)
        trainer.step(300, metrics=False)
        assert path.path_cost[-1] == pytest.approx(
            trainer.network.cost(trainer.X_train, trainer.Y_train)
        )
    assert sum(found.explained_variance) <= 1 + 1e-12


def test_with_two_parameters_every_lane_lies_on_the_plane() -> None:
    momentum = variant(TWO_PARAMETERS, optimizer={"name": "momentum"})
    found = landscape([TWO_PARAMETERS, momentum], 200, resolution=5, points=20)
    for path in found.paths:
        np.testing.assert_allclose(path.plane_cost, path.path_cost, rtol=1e-10)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"network": {"hidden": (5,)}}, "layer_sizes"),
        ({"network": {"activation": "relu"}}, "network.activation"),
        ({"regularization": RegularizationConfig(l2=0.1)}, "regularization.l2"),
    ],
)
def test_lanes_with_different_cost_functions_cannot_share_a_plane(change, name: str) -> None:
    with pytest.raises(ValueError, match=f"lane 1: its {re.escape(name)} differs"):
        landscape([FLOWER, variant(FLOWER, **change)], 10, resolution=3)
    assert plane_mismatch(FLOWER, variant(FLOWER, **change)) == name


def test_optimizer_init_and_dropout_may_differ_between_lanes_of_one_plane() -> None:
    other = variant(
        FLOWER,
        optimizer={"name": "adam", "learning_rate": 0.01},
        network={"init": "xavier"},
        regularization=RegularizationConfig(keep_prob=0.8),
    )
    assert plane_mismatch(FLOWER, other) is None


def test_the_landscape_modules_import_no_web_framework() -> None:
    code = (
        "import sys, core.landscape, core.plane, core.surfaces; "
        "print([m for m in ('fastapi', 'starlette', 'pydantic', 'jinja2') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
