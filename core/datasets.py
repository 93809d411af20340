"""2-D datasets (each a pure function of samples, noise, seed and classes) and the features.

Every generator returns X of shape (2, m) and Y of shape (1, m); labels are 0..K-1 for
classification and real numbers for regression. make_dataset turns K >= 3 labels into
one-hot Y of shape (K, m); the "custom" dataset is the user's own points (core/labels.py).
The "course_*" datasets are the notebooks' own fixed points (core/course_data.py): they
ignore samples, noise and seed, and course_circles brings the notebook's own test set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.config import DatasetConfig
from core.course_data import course_circles, course_flower, course_moons
from core.labels import custom_dataset, encode_labels

Array = np.ndarray
Generate = Callable[..., tuple[Array, Array]]
Fixed = Callable[[], tuple[Array, Array, Array, Array]]  # X_train, Y_train, X_test, Y_test


CUSTOM = "custom"


def _halves(samples: int) -> tuple[int, int]:
    """Class sizes (m - m//2, m//2) so any m >= 2 works."""
    return samples - samples // 2, samples // 2


def class_sizes(samples: int, classes: int) -> list[int]:
    """m split into K near-equal parts, the first m mod K one larger (K = 2: _halves)."""
    return [samples // classes + (k < samples % classes) for k in range(classes)]


def _stack(parts: list[tuple[Array, Array, float]]) -> tuple[Array, Array]:
    """Concatenate (x, y, label) parts into X (2, m), Y (1, m)."""
    X = np.vstack([np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])])
    Y = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])[None, :]
    return X, Y


def flower(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Class j: t = linspace(3.12j, 3.12(j+1), N) + noise randn; r = 4 sin 4t + noise randn."""
    parts = []
    for j, n in enumerate(_halves(samples)):
        t = np.linspace(3.12 * j, 3.12 * (j + 1), n) + noise * rng.standard_normal(n)
        r = 4.0 * np.sin(4.0 * t) + noise * rng.standard_normal(n)
        parts.append((r * np.sin(t), r * np.cos(t), float(j)))
    return _stack(parts)


def moons(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Outer (cos u, sin u) label 0, inner (1 - cos u, 1 - sin u - 0.5) label 1, u in [0, pi]."""
    n_outer, n_inner = _halves(samples)
    u_out, u_in = np.linspace(0, np.pi, n_outer), np.linspace(0, np.pi, n_inner)
    parts = [(np.cos(u_out), np.sin(u_out), 0.0), (1 - np.cos(u_in), 1 - np.sin(u_in) - 0.5, 1.0)]
    X, Y = _stack(parts)
    return X + noise * rng.standard_normal(X.shape), Y


def circles(
    samples: int, noise: float, rng: np.random.Generator, factor: float = 0.5
) -> tuple[Array, Array]:
    """Outer unit circle label 0, inner circle of radius `factor` label 1, Gaussian noise."""
    n_outer, n_inner = _halves(samples)
    u_out = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    u_in = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    parts = [
        (np.cos(u_out), np.sin(u_out), 0.0),
        (factor * np.cos(u_in), factor * np.sin(u_in), 1.0),
    ]
    X, Y = _stack(parts)
    return X + noise * rng.standard_normal(X.shape), Y


def xor(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Uniform in [-5, 5]^2 kept 0.3 off the axes; label 1 where x1 x2 >= 0; noise moves points."""
    P = rng.uniform(-5, 5, size=(2, samples))
    P += np.where(P > 0, 0.3, -0.3)
    Y = (P[0] * P[1] >= 0).astype(np.float64)[None, :]
    return P + noise * 5 * rng.standard_normal(P.shape), Y


def gauss(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Two Gaussian blobs at (2, 2) label 1 and (-2, -2) label 0, spread 0.5 + 3.5 noise."""
    spread = 0.5 + 3.5 * noise
    n_pos, n_neg = _halves(samples)
    pos = 2 + spread * rng.standard_normal((2, n_pos))
    neg = -2 + spread * rng.standard_normal((2, n_neg))
    parts = [(pos[0], pos[1], 1.0), (neg[0], neg[1], 0.0)]
    return _stack(parts)


def spiral(
    samples: int, noise: float, rng: np.random.Generator, classes: int = 2
) -> tuple[Array, Array]:
    """K interleaved arms: r = 5 i/n, t = 1.75 (2 pi) i/n + 2 pi j/K (two arms: labels 1, 0)."""
    parts = []
    for j, n in enumerate(class_sizes(samples, classes)):
        i = np.arange(n) / max(n, 1)
        r, t = 5 * i, 1.75 * 2 * np.pi * i + 2 * np.pi * j / classes
        x = r * np.sin(t) + noise * rng.standard_normal(n)
        y = r * np.cos(t) + noise * rng.standard_normal(n)
        parts.append((x, y, float(1 - j if classes == 2 else j)))
    return _stack(parts)


def blobs(
    samples: int, noise: float, rng: np.random.Generator, classes: int = 3
) -> tuple[Array, Array]:
    """K Gaussian clusters, class k around 4 (cos, sin)(pi/2 + 2 pi k/K), spread 0.5 + 3.5 noise."""
    spread, parts = 0.5 + 3.5 * noise, []
    for k, n in enumerate(class_sizes(samples, classes)):
        angle = np.pi / 2 + 2 * np.pi * k / classes
        P = 4 * np.array([[np.cos(angle)], [np.sin(angle)]]) + spread * rng.standard_normal((2, n))
        parts.append((P[0], P[1], float(k)))
    return _stack(parts)


def rings(
    samples: int, noise: float, rng: np.random.Generator, classes: int = 3
) -> tuple[Array, Array]:
    """K concentric rings, class k at radius 5 (k + 1)/K + noise randn, angle uniform in 2 pi."""
    parts = []
    for k, n in enumerate(class_sizes(samples, classes)):
        t = rng.uniform(0, 2 * np.pi, n)
        r = 5 * (k + 1) / classes + noise * rng.standard_normal(n)
        parts.append((r * np.cos(t), r * np.sin(t), float(k)))
    return _stack(parts)


def plane(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Regression: uniform in [-6, 6]^2, y = (x1 + x2) / 12 + noise randn."""
    P = rng.uniform(-6, 6, size=(2, samples))
    Y = ((P[0] + P[1]) / 12 + noise * rng.standard_normal(samples))[None, :]
    return P, Y


CENTRES = np.array(
    [[-4, 2.5, 4], [0, 2.5, -4], [4, 2.5, 4], [-4, -2.5, -4], [0, -2.5, 4], [4, -2.5, -4]],
    dtype=np.float64,
)


def multi_gauss(samples: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Regression: y = sum_k s_k exp(-|x - c_k|^2 / 2) / 4 over six signed bumps + noise."""
    P = rng.uniform(-6, 6, size=(2, samples))
    d2 = (P[0][None, :] - CENTRES[:, :1]) ** 2 + (P[1][None, :] - CENTRES[:, 1:2]) ** 2
    y = (CENTRES[:, 2:] * np.exp(-d2 / 2)).sum(axis=0) / 4
    return P, (y + noise * rng.standard_normal(samples))[None, :]


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset generator with its problem type, defaults and a one-line description."""

    name: str
    generate: Generate
    problem: str
    description: str
    samples: int = 400
    noise: float = 0.2
    options: dict[str, float] = field(default_factory=dict)
    classes: int = 2  # the default K
    max_classes: int = 2  # K goes from 2 to this
    fixed: Fixed | None = None  # the course's own points (samples, noise, seed ignored)

    @property
    def fixed_test_set(self) -> bool:
        """True when the course's notebook brings its own test set (test_fraction ignored)."""
        return self.fixed is not None and self.fixed()[2].shape[1] > 0


def _course(name: str, fixed: Fixed, description: str, samples: int, noise: float) -> DatasetSpec:
    """A registry entry for the course's fixed points: generate returns its training set."""
    return DatasetSpec(
        name, lambda *_: fixed()[:2], "classification", description, samples, noise, fixed=fixed
    )


DATASETS: dict[str, DatasetSpec] = {
    "flower": DatasetSpec("flower", flower, "classification", "the course's planar flower", 400),
    "moons": DatasetSpec("moons", moons, "classification", "two interleaved half moons", 300),
    "circles": DatasetSpec(
        "circles", circles, "classification", "a circle inside a circle", 300, 0.05, {"factor": 0.5}
    ),
    "xor": DatasetSpec(
        "xor", xor, "classification", "four quadrants, label = sign(x1 x2)", 400, 0.0
    ),
    "gauss": DatasetSpec("gauss", gauss, "classification", "two Gaussian blobs", 400, 0.0),
    "spiral": DatasetSpec(
        "spiral", spiral, "classification", "K interleaved spiral arms", 400, 0.0, {}, 2, 8
    ),
    "blobs": DatasetSpec(
        "blobs", blobs, "classification", "K Gaussian clusters on a circle", 400, 0.1, {}, 3, 8
    ),
    "rings": DatasetSpec(
        "rings", rings, "classification", "K concentric rings (try x1^2, x2^2)", 400, 0.1, {}, 3, 8
    ),
    "plane": DatasetSpec("plane", plane, "regression", "a tilted plane y = (x1 + x2)/12", 400, 0.0),
    "multi_gauss": DatasetSpec(
        "multi_gauss", multi_gauss, "regression", "six signed Gaussian bumps", 400, 0.0
    ),
    "course_flower": _course(
        "course_flower", course_flower, "course 1 week 3's own 400 flower points", 400, 0.2
    ),
    "course_circles": _course(
        "course_circles",
        course_circles,
        "the initialization notebook's circles + test set",
        300,
        0.05,
    ),
    "course_moons": _course(
        "course_moons", course_moons, "the optimization notebook's 300 moons", 300, 0.2
    ),
}


def make_dataset(
    name: str, samples: int, noise: float, seed: int, classes: int | None = None, **options: float
) -> tuple[Array, Array]:
    """X (2, m) and Y (1, m), or Y one-hot (K, m) for K >= 3 classes (default: the dataset's);
    a pure function of its arguments."""
    spec = DATASETS[name]
    K = spec.classes if classes is None else int(classes)
    if not 2 <= K <= spec.max_classes or (spec.problem == "regression" and classes):
        raise ValueError(f"dataset {name!r} takes 2 to {spec.max_classes} classes, got {K}")
    values = {**spec.options, **{k: v for k, v in options.items() if k in spec.options}}
    if spec.max_classes > 2:
        values["classes"] = K
    X, Y = spec.generate(int(samples), float(noise), np.random.default_rng(seed), **values)
    return (X, Y) if spec.problem == "regression" else (X, encode_labels(Y[0], K))


def load_dataset(config: DatasetConfig, problem: str) -> tuple[Array, Array]:
    """X, Y of a dataset config: its generator's, or the custom points (all before the split)."""
    if config.name == CUSTOM:
        return custom_dataset(np.array(config.points), problem, config.classes)
    if DATASETS[config.name].problem != problem:
        raise ValueError(f"dataset {config.name!r} is not a {problem} dataset")
    classes = config.classes if problem == "classification" else None
    return make_dataset(
        config.name, config.samples, config.noise, config.seed, classes, factor=config.factor
    )


def load_split(
    config: DatasetConfig, problem: str, rng: np.random.Generator
) -> tuple[Array, Array, Array, Array]:
    """X_train, Y_train, X_test, Y_test: the notebook's own test set if it has one, else every
    point for training and test_points as the test set if given, else a random test_fraction
    of load_dataset's points. Both sets keep the dataset's order."""
    spec = DATASETS.get(config.name)
    if spec is not None and spec.fixed_test_set and spec.problem == problem:
        return spec.fixed()  # type: ignore[misc]
    X, Y = load_dataset(config, problem)
    if config.test_points:
        X_test, Y_test = custom_dataset(np.array(config.test_points), problem, config.classes)
        return X, Y, X_test, Y_test
    return split_train_test(X, Y, config.test_fraction, rng)


def split_train_test(
    X: Array, Y: Array, test_fraction: float, rng: np.random.Generator
) -> tuple[Array, Array, Array, Array]:
    """round(m test_fraction) columns drawn at random (the first of one permutation of 0..m-1)
    become the test set; both sets keep the columns' original order."""
    m = X.shape[1]
    n_test = round(m * test_fraction)
    order = rng.permutation(m)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


def train_count(config: DatasetConfig, problem: str) -> int:
    """m of the training set load_split gives, without drawing the points where it can."""
    spec = DATASETS.get(config.name)
    if spec is not None and spec.fixed is not None:
        if spec.fixed_test_set and spec.problem == problem:
            return int(spec.fixed()[0].shape[1])
        m = int(spec.fixed()[0].shape[1])
    else:
        m = len(config.points) if config.name == CUSTOM else config.samples
    return m if config.test_points else m - round(m * config.test_fraction)


@dataclass(frozen=True)
class Feature:
    """An input feature computed from the raw point (x1, x2)."""

    name: str
    label: str
    compute: Callable[[Array, Array], Array]


FEATURES: dict[str, Feature] = {
    "x1": Feature("x1", "x1", lambda a, b: a),
    "x2": Feature("x2", "x2", lambda a, b: b),
    "x1_squared": Feature("x1_squared", "x1^2", lambda a, b: a * a),
    "x2_squared": Feature("x2_squared", "x2^2", lambda a, b: b * b),
    "x1_x2": Feature("x1_x2", "x1*x2", lambda a, b: a * b),
    "sin_x1": Feature("sin_x1", "sin x1", lambda a, b: np.sin(a)),
    "sin_x2": Feature("sin_x2", "sin x2", lambda a, b: np.sin(b)),
}


def make_features(X: Array, names: tuple[str, ...] | list[str]) -> Array:
    """The (len(names), m) input matrix of the chosen features of the raw points X (2, m)."""
    return np.vstack([FEATURES[name].compute(X[0], X[1]) for name in names])
