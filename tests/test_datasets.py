"""Datasets and features: shapes, labels, purity and the course's flower formula."""

import numpy as np
import pytest

from core import make_dataset, make_features
from core.datasets import DATASETS, FEATURES, split_train_test


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_has_course_shapes_and_is_a_pure_function_of_its_arguments(
    name: str,
) -> None:
    X, Y = make_dataset(name, 101, 0.1, seed=3)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    X2, Y2 = make_dataset(name, 101, 0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, make_dataset(name, 101, 0.1, seed=4)[0])
    if DATASETS[name].problem == "classification":
        assert set(np.unique(Y)) == {0.0, 1.0}


def test_flower_follows_the_course_formula_without_noise() -> None:
    X, Y = make_dataset("flower", 8, 0.0, seed=0)
    t = np.linspace(0, 3.12, 4)
    r = 4 * np.sin(4 * t)
    np.testing.assert_allclose(X[:, :4], np.vstack([r * np.sin(t), r * np.cos(t)]))
    np.testing.assert_array_equal(Y, [[0, 0, 0, 0, 1, 1, 1, 1]])


def test_circles_inner_radius_follows_the_factor() -> None:
    X, Y = make_dataset("circles", 200, 0.0, seed=0, factor=0.8)
    radii = np.hypot(X[0], X[1])
    np.testing.assert_allclose(radii[Y[0] == 1], 0.8)
    np.testing.assert_allclose(radii[Y[0] == 0], 1.0)


def test_moons_noise_free_points_lie_on_the_two_arcs() -> None:
    X, Y = make_dataset("moons", 20, 0.0, seed=0)
    outer = X[:, Y[0] == 0]
    np.testing.assert_allclose(np.hypot(outer[0], outer[1]), 1.0)


def test_split_keeps_every_point_once() -> None:
    X, Y = make_dataset("moons", 50, 0.2, seed=1)
    Xtr, Ytr, Xte, Yte = split_train_test(X, Y, 0.2, np.random.default_rng(0))
    assert Xtr.shape[1] == Ytr.shape[1] == 40 and Xte.shape[1] == Yte.shape[1] == 10
    merged = np.sort(np.concatenate([Xtr[0], Xte[0]]))
    np.testing.assert_array_equal(merged, np.sort(X[0]))


def test_features_are_computed_from_the_raw_points() -> None:
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    F = make_features(X, list(FEATURES))
    expected = [X[0], X[1], X[0] ** 2, X[1] ** 2, X[0] * X[1], np.sin(X[0]), np.sin(X[1])]
    np.testing.assert_allclose(F, np.vstack(expected))
