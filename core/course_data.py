"""The course notebooks' own points, drawn point for point as they draw them (NumPy only).

The notebooks seed NumPy's global legacy generator (np.random.seed) and then draw with
np.random.randn or through scikit-learn, whose make_circles and make_moons (random_state=None)
draw from that same global generator. Here each set draws from its own
np.random.RandomState(seed), which yields the same sequence and touches no global state.

flower  (course 1 week 3, load_planar_dataset; seed 1): class j of N = 200,
        t = linspace(3.12 j, 3.12 (j+1), N) + 0.2 randn(N);  r = 4 sin 4t + 0.2 randn(N);
        x = (r sin t, r cos t).
circles (course 2 week 1, initialization): make_circles(300, noise=.05) after seed 1 for
        training, make_circles(100, noise=.05) after seed 2 for the test set.
moons   (course 2 week 2, optimization): make_moons(300, noise=.2) after seed 3.
scikit-learn's two generators, as its source (sklearn/datasets/_samples_generator.py) draws:
outer points first (m // 2 of them), inner points after; the rows are shuffled by one
permutation of arange(m) (RandomState.shuffle), then Gaussian noise of shape (m, 2) is added.
The notebooks then transpose: X = X.T (2, m), Y = y.reshape(1, m).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def planar_flower(seed: int = 1, m: int = 400, a: float = 4.0) -> tuple[Array, Array]:
    """load_planar_dataset: t = linspace(3.12j, 3.12(j+1), N) + .2 randn; r = a sin 4t + .2 randn"""
    state = np.random.RandomState(seed)
    N = m // 2
    X, Y = np.zeros((m, 2)), np.zeros((m, 1))
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + state.randn(N) * 0.2
        r = a * np.sin(4 * t) + state.randn(N) * 0.2
        X[N * j : N * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[N * j : N * (j + 1)] = j
    return X.T, Y.T


def _shuffled_with_noise(
    points: Array, state: np.random.RandomState, noise: float
) -> tuple[Array, Array]:
    """sklearn's ending: outer half label 0, inner label 1; rows shuffled; + N(0, noise^2)."""
    m = points.shape[0]
    n_outer = m // 2
    labels = np.hstack([np.zeros(n_outer), np.ones(m - n_outer)])
    order = np.arange(m)
    state.shuffle(order)
    X, y = points[order], labels[order]
    X += state.normal(scale=noise, size=X.shape)
    return X.T, y.reshape(1, -1)


def sklearn_circles(m: int, noise: float, seed: int, factor: float = 0.8) -> tuple[Array, Array]:
    """make_circles: m//2 points at angles linspace(0, 2 pi, endpoint=False) on the unit circle,
    the rest on radius `factor`; shuffled; + noise."""
    n_outer = m // 2
    outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, m - n_outer, endpoint=False)
    points = np.vstack(
        [
            np.append(np.cos(outer), np.cos(inner) * factor),
            np.append(np.sin(outer), np.sin(inner) * factor),
        ]
    ).T
    return _shuffled_with_noise(points, np.random.RandomState(seed), noise)


def sklearn_moons(m: int, noise: float, seed: int) -> tuple[Array, Array]:
    """make_moons: (cos u, sin u) and (1 - cos u, 1/2 - sin u), u = linspace(0, pi); + noise."""
    n_outer = m // 2
    outer = np.linspace(0, np.pi, n_outer)
    inner = np.linspace(0, np.pi, m - n_outer)
    points = np.vstack(
        [
            np.append(np.cos(outer), 1 - np.cos(inner)),
            np.append(np.sin(outer), 1 - np.sin(inner) - 0.5),
        ]
    ).T
    return _shuffled_with_noise(points, np.random.RandomState(seed), noise)


def course_flower() -> tuple[Array, Array, Array, Array]:
    """Course 1 week 3's 400 flower points; the notebook keeps no test set."""
    X, Y = planar_flower()
    return X, Y, np.zeros((2, 0)), np.zeros((1, 0))


def course_circles() -> tuple[Array, Array, Array, Array]:
    """The initialization notebook's 300 training circles (seed 1) and 100 test circles (seed 2)."""
    return (*sklearn_circles(300, 0.05, seed=1), *sklearn_circles(100, 0.05, seed=2))


def course_moons() -> tuple[Array, Array, Array, Array]:
    """The optimization notebook's 300 moons (seed 3); the notebook keeps no test set."""
    X, Y = sklearn_moons(300, 0.2, seed=3)
    return X, Y, np.zeros((2, 0)), np.zeros((1, 0))
