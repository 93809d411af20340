"""2-D cost surfaces: gradients against centred differences, descents, the course's bowl claim."""

import numpy as np
import pytest

from core import make_optimizer
from core.surfaces import SURFACES, Surface, descend

H = 1e-6


def sample_points(surface: Surface, count: int = 25) -> np.ndarray:
    """Points spread over the surface's plot (a fixed generator: the same points every run)."""
    x_min, x_max, y_min, y_max = surface.extent
    rng = np.random.default_rng(16)
    return np.column_stack([rng.uniform(x_min, x_max, count), rng.uniform(y_min, y_max, count)])


@pytest.mark.parametrize("name", list(SURFACES))
def test_gradient_matches_centred_differences(name: str) -> None:
    surface = SURFACES[name]
    w1, w2 = sample_points(surface).T
    numeric_1 = (surface.value(w1 + H, w2) - surface.value(w1 - H, w2)) / (2 * H)
    numeric_2 = (surface.value(w1, w2 + H) - surface.value(w1, w2 - H)) / (2 * H)
    g1, g2 = surface.gradient(w1, w2)
    np.testing.assert_allclose(g1, numeric_1, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(g2, numeric_2, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", [n for n, s in SURFACES.items() if s.minimum is not None])
def test_the_minimum_is_a_stationary_point_below_its_neighbours(name: str) -> None:
    surface = SURFACES[name]
    w1, w2 = surface.minimum
    assert np.hypot(*surface.gradient(np.array(w1), np.array(w2))) < 1e-12
    _, _, grid = surface.grid(41)
    assert surface.value(np.array(w1), np.array(w2)) <= grid.min() + 1e-12


def test_grid_rows_follow_w2_and_columns_follow_w1() -> None:
    surface = SURFACES["banana"]
    w1, w2, cost = surface.grid(5)
    assert cost.shape == (5, 5)
    assert cost[3, 1] == surface.value(w1[1], w2[3])


def test_one_gd_step_is_w_minus_a_gradient() -> None:
    surface = SURFACES["banana"]
    path = descend(surface, make_optimizer("gd", 0.001), (-1.2, 1.0), 1)
    g = np.array(surface.gradient(-1.2, 1.0))
    np.testing.assert_allclose(path.points[1], np.array([-1.2, 1.0]) - 0.001 * g)
    np.testing.assert_allclose(path.gradients[0], g)
    assert path.points.shape == (2, 2) and path.costs.shape == (2,)


def test_decay_shrinks_the_step_per_iteration() -> None:
    surface = SURFACES["saddle"]  # dJ/dw1 = 2 w1: each gd step scales w1 by (1 - 2 a_t)
    path = descend(surface, make_optimizer("gd", 0.1, decay=1.0), (1.0, 0.0), 3)
    rates = [0.1 / (1 + t) for t in range(3)]
    np.testing.assert_allclose(path.points[:, 0], np.cumprod([1.0, *[1 - 2 * a for a in rates]]))


def test_reached_counts_the_steps_to_within_epsilon_of_the_minimum() -> None:
    surface = SURFACES["bowl"]
    path = descend(surface, make_optimizer("adam", 0.05), surface.start, 3000, epsilon=1e-2)
    distances = np.hypot(*path.points.T)
    assert path.reached is not None
    assert distances[path.reached] < 1e-2 <= distances[: path.reached].min()


def test_a_saddle_is_never_reached_and_an_escaping_path_stops() -> None:
    surface = SURFACES["saddle"]
    path = descend(surface, make_optimizer("gd", 0.5), surface.start, 500)
    assert path.reached is None
    assert path.stopped is not None and "left the plane" in path.stopped
    assert np.all(np.isfinite(path.points)) and len(path.points) < 501


def test_descend_is_deterministic() -> None:
    surface = SURFACES["plateau"]
    runs = [descend(surface, make_optimizer("adam", 0.05), (2.5, 1.5), 200) for _ in range(2)]
    assert np.array_equal(runs[0].points, runs[1].points)


def across_narrow_axis(points: np.ndarray) -> float:
    """Distance travelled across the bowl's narrow axis: sum_t |w1_{t+1} - w1_t|."""
    return float(np.abs(np.diff(points[:, 0])).sum())


def straightness(points: np.ndarray, radius: float = 0.1) -> float:
    """||w_k - w_0|| / path length up to k, the first point within radius of the minimum
    (1 for a straight line)."""
    near = np.flatnonzero(np.hypot(*points.T) < radius)
    k = int(near[0]) if near.size else len(points) - 1
    length = np.hypot(*np.diff(points[: k + 1], axis=0).T).sum()
    return float(np.hypot(*(points[k] - points[0])) / length)


def bowl_run(name: str, learning_rate: float) -> tuple[np.ndarray, int | None]:
    """A descent on the bowl from its default start; (points, steps to within 1e-2)."""
    surface = SURFACES["bowl"]
    path = descend(surface, make_optimizer(name, learning_rate), surface.start, 2000, 1e-2)
    return path.points, path.reached


@pytest.mark.parametrize("learning_rate", [0.09, 0.095, 0.099])
def test_momentum_zig_zags_less_across_the_bowl_than_gd(learning_rate: float) -> None:
    """Where gd zig-zags (its w1 factor 1 - 2 a rate is -0.8 or worse). At rate 1/(2a) = 0.05
    gd lands on w1 = 0 in one step and Momentum's inertia is the one that overshoots."""
    gd, _ = bowl_run("gd", learning_rate)
    momentum, _ = bowl_run("momentum", learning_rate)
    assert across_narrow_axis(momentum) < across_narrow_axis(gd)


def test_momentum_reaches_the_bowls_minimum_in_fewer_steps_when_gd_zig_zags() -> None:
    rate = SURFACES["bowl"].learning_rate  # 0.099: gd's w1 factor 1 - 2 a rate = -0.98
    _, gd_steps = bowl_run("gd", rate)
    _, momentum_steps = bowl_run("momentum", rate)
    assert gd_steps is not None and momentum_steps is not None
    assert momentum_steps < gd_steps / 2


@pytest.mark.parametrize("learning_rate", [0.05, 0.099])
def test_rmsprop_goes_straighter_to_the_bowls_minimum_than_gd(learning_rate: float) -> None:
    gd, _ = bowl_run("gd", learning_rate)
    rmsprop, _ = bowl_run("rmsprop", learning_rate)
    assert straightness(rmsprop) > 0.9 > straightness(gd)
