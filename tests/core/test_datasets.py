"""Datasets and features: shapes, labels, purity and the course's flower formula."""

import numpy as np
import pytest

from core import DatasetConfig, make_dataset, make_features
from core.datasets import DATASETS, FEATURES, class_sizes, load_dataset, split_train_test
from core.labels import class_labels

MULTI_CLASS = sorted(name for name, spec in DATASETS.items() if spec.max_classes > 2)
GENERATED = sorted(name for name, spec in DATASETS.items() if spec.fixed is None)


@pytest.mark.parametrize("name", GENERATED)
def test_every_dataset_has_course_shapes_and_is_a_pure_function_of_its_arguments(
    name: str,
) -> None:
    X, Y = make_dataset(name, 101, 0.1, seed=3)
    rows = DATASETS[name].classes if DATASETS[name].classes > 2 else 1
    assert X.shape == (2, 101) and Y.shape == (rows, 101)
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


def test_multi_class_datasets_are_blobs_spiral_and_rings_while_flower_and_moons_stay_binary() -> (
    None
):
    assert MULTI_CLASS == ["blobs", "rings", "spiral"]
    for name in ("flower", "moons"):
        assert DATASETS[name].max_classes == 2
        with pytest.raises(ValueError, match="classes"):
            make_dataset(name, 100, 0.1, seed=0, classes=3)


@pytest.mark.parametrize("classes", [2, 3, 5, 8])
@pytest.mark.parametrize("name", MULTI_CLASS)
def test_k_class_datasets_are_pure_functions_with_one_hot_labels_and_balanced_classes(
    name: str, classes: int
) -> None:
    X, Y = make_dataset(name, 203, 0.1, seed=5, classes=classes)
    X2, Y2 = make_dataset(name, 203, 0.1, seed=5, classes=classes)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, make_dataset(name, 203, 0.1, seed=6, classes=classes)[0])
    assert X.shape == (2, 203) and np.isfinite(X).all()
    if classes == 2:
        assert Y.shape == (1, 203) and set(np.unique(Y)) == {0.0, 1.0}
    else:
        assert Y.shape == (classes, 203)
        np.testing.assert_array_equal(Y.sum(axis=0), 1.0)  # one-hot
    counts = np.bincount(class_labels(Y), minlength=classes)
    assert counts.max() - counts.min() <= 1 and counts.sum() == 203


def test_class_sizes_split_m_into_near_equal_parts() -> None:
    assert class_sizes(10, 3) == [4, 3, 3]
    assert class_sizes(5, 2) == [3, 2]


def test_two_arm_spiral_is_unchanged_by_the_k_arm_generalisation() -> None:
    X, Y = make_dataset("spiral", 10, 0.0, seed=0)
    i = np.arange(5) / 5
    r, t = 5 * i, 1.75 * 2 * np.pi * i
    np.testing.assert_allclose(X[:, :5], np.vstack([r * np.sin(t), r * np.cos(t)]))
    np.testing.assert_allclose(X[:, 5:], np.vstack([r * np.sin(t + np.pi), r * np.cos(t + np.pi)]))
    np.testing.assert_array_equal(Y, [[1] * 5 + [0] * 5])


def test_k_arm_spiral_arms_are_rotated_by_two_pi_over_k() -> None:
    X, Y = make_dataset("spiral", 12, 0.0, seed=0, classes=3)
    i = np.arange(4) / 4
    r, t = 5 * i, 1.75 * 2 * np.pi * i + 2 * np.pi * 2 / 3
    arm = class_labels(Y) == 2
    np.testing.assert_allclose(X[:, arm], np.vstack([r * np.sin(t), r * np.cos(t)]))


def test_noise_free_blobs_sit_at_k_centres_on_a_circle_of_radius_4() -> None:
    X, Y = make_dataset("blobs", 400, 0.0, seed=1, classes=4)
    labels = class_labels(Y)
    for k in range(4):
        centre = X[:, labels == k].mean(axis=1)
        angle = np.pi / 2 + 2 * np.pi * k / 4
        np.testing.assert_allclose(centre, 4 * np.array([np.cos(angle), np.sin(angle)]), atol=0.1)


def test_noise_free_rings_have_radius_5_k_plus_1_over_k() -> None:
    X, Y = make_dataset("rings", 90, 0.0, seed=2, classes=3)
    radii, labels = np.hypot(X[0], X[1]), class_labels(Y)
    for k in range(3):
        np.testing.assert_allclose(radii[labels == k], 5 * (k + 1) / 3)


def test_load_dataset_reads_custom_points_and_checks_the_problem() -> None:
    config = DatasetConfig(name="custom", classes=2, points=((0.0, 1.0, 1.0), (2.0, 3.0, 0.0)))
    X, Y = load_dataset(config, "classification")
    assert X.shape == (2, 2) and Y.tolist() == [[1.0, 0.0]]
    with pytest.raises(ValueError, match="regression"):
        load_dataset(DatasetConfig(name="flower"), "regression")
