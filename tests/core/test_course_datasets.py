"""The course's own data, point for point: the notebooks' code and scikit-learn as oracles."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons

from core import DatasetConfig, TrainConfig, Trainer, make_dataset
from core.course_data import course_circles, course_flower, course_moons
from core.datasets import DATASETS


def notebook_planar_dataset() -> tuple[np.ndarray, np.ndarray]:
    """load_planar_dataset as course 1 week 3 writes it, on the global legacy generator."""
    np.random.seed(1)
    m, N, a = 400, 200, 4
    X, Y = np.zeros((m, 2)), np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def test_course_flower_is_load_planar_dataset_point_for_point() -> None:
    X, Y, X_test, _ = course_flower()
    X_nb, Y_nb = notebook_planar_dataset()
    np.testing.assert_array_equal(X, X_nb)
    np.testing.assert_array_equal(Y, Y_nb)
    assert X.shape == (2, 400) and Y.shape == (1, 400) and X_test.shape == (2, 0)


def test_course_circles_are_make_circles_after_seeds_one_and_two() -> None:
    np.random.seed(1)
    train_X, train_Y = make_circles(n_samples=300, noise=0.05)
    np.random.seed(2)
    test_X, test_Y = make_circles(n_samples=100, noise=0.05)
    X, Y, X_test, Y_test = course_circles()
    np.testing.assert_array_equal(X, train_X.T)
    np.testing.assert_array_equal(Y, train_Y.reshape((1, train_Y.shape[0])))
    np.testing.assert_array_equal(X_test, test_X.T)
    np.testing.assert_array_equal(Y_test, test_Y.reshape((1, test_Y.shape[0])))


def test_course_moons_are_make_moons_after_seed_three() -> None:
    np.random.seed(3)
    train_X, train_Y = make_moons(n_samples=300, noise=0.2)
    X, Y, X_test, _ = course_moons()
    np.testing.assert_array_equal(X, train_X.T)
    np.testing.assert_array_equal(Y, train_Y.reshape((1, train_Y.shape[0])))
    assert X_test.shape == (2, 0)


def test_course_data_leaves_the_global_generator_alone() -> None:
    np.random.seed(7)
    expected = np.random.rand(3)
    np.random.seed(7)
    course_circles(), course_moons(), course_flower()
    np.testing.assert_array_equal(np.random.rand(3), expected)


@pytest.mark.parametrize("name", ["course_flower", "course_circles", "course_moons"])
def test_course_datasets_ignore_samples_noise_and_seed(name: str) -> None:
    X, Y = make_dataset(name, 50, 0.9, seed=11)
    np.testing.assert_array_equal(X, DATASETS[name].fixed()[0])
    assert X.shape[1] == DATASETS[name].samples and Y.shape == (1, X.shape[1])


def test_a_trainer_on_course_circles_tests_on_the_notebooks_test_set() -> None:
    trainer = Trainer(TrainConfig(dataset=DatasetConfig(name="course_circles", test_fraction=0.5)))
    X, Y, _, Y_test = course_circles()
    np.testing.assert_array_equal(trainer.raw_train, X)
    np.testing.assert_array_equal(trainer.Y_train, Y)
    np.testing.assert_array_equal(trainer.Y_test, Y_test)
    assert trainer.X_test.shape == (2, 100)


def test_a_trainer_on_course_moons_splits_by_test_fraction() -> None:
    trainer = Trainer(TrainConfig(dataset=DatasetConfig(name="course_moons", test_fraction=0.2)))
    assert trainer.X_train.shape == (2, 240) and trainer.X_test.shape == (2, 60)
