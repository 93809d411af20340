"""Weight initializers: W[l] of shape (n_l, n_{l-1}) from an explicit Generator; biases zero.

The "notebook_*" initializers draw the notebooks' own numbers: np.random.seed(s) once, then
np.random.randn(n_l, n_{l-1}) * scale for l = 1, ..., L in order (biases np.zeros, no draws).
They draw from a private np.random.RandomState(seed), which gives the same sequence without
touching NumPy's global state; the network passes it instead of its Generator. Each names its
notebook's seed; NetworkConfig.init_seed overrides it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.hyperparameters import Hyperparameter

Array = np.ndarray
Source = np.random.Generator | np.random.RandomState


def zeros(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = 0: every hidden unit computes the same thing forever (the symmetry problem)."""
    return np.zeros((n_out, n_in))


def random(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * scale (course default 0.01; 10 shows a too-large init)."""
    return rng.standard_normal((n_out, n_in)) * scale


def xavier(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * sqrt(1 / n_{l-1})."""
    return rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)


def he(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * sqrt(2 / n_{l-1})."""
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)


def notebook_xavier(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn / sqrt(n_{l-1}), divided as the notebooks divide (bit for bit)."""
    return rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)


def identity_scaled(rng: Source, n_out: int, n_in: int, scale: float) -> Array:
    """W = c I (n_l, n_{l-1}): ones on the diagonal, zero padding; a deep chain scales by c^L."""
    return scale * np.eye(n_out, n_in)


@dataclass(frozen=True)
class Initializer:
    """A way to draw W[l], described for the page; legacy ones draw from RandomState(seed)."""

    name: str
    draw: Callable[[Source, int, int, float], Array]
    description: str
    hyperparameters: dict[str, Hyperparameter]
    seed: int | None = None  # the notebook's np.random.seed (None: the run's own Generator)


INIT_SCALE = Hyperparameter(0.01, 1e-6, 100.0, "W = randn * scale")
NOTEBOOK_SCALE = Hyperparameter(10.0, 1e-6, 100.0, "W = randn * scale (init notebook: 10)")
PLANAR_SCALE = Hyperparameter(0.01, 1e-6, 100.0, "W = randn * scale (planar notebook: 0.01)")
IDENTITY_C = Hyperparameter(1.0, 1e-6, 100.0, "c: W = c I; a deep chain scales by c^L")

INITIALIZERS: dict[str, Initializer] = {
    "zeros": Initializer("zeros", zeros, "W = 0 (units stay identical: symmetry)", {}),
    "random": Initializer(
        "random", random, "W = randn * scale (course: 0.01)", {"init_scale": INIT_SCALE}
    ),
    "xavier": Initializer("xavier", xavier, "W = randn * sqrt(1/n[l-1])", {}),
    "he": Initializer("he", he, "W = randn * sqrt(2/n[l-1]) (for ReLU)", {}),
    "notebook_random": Initializer(
        "notebook_random",
        random,
        "seed(3); W = randn * scale, layer by layer: the init notebook's numbers",
        {"init_scale": NOTEBOOK_SCALE},
        seed=3,
    ),
    "notebook_he": Initializer(
        "notebook_he",
        he,
        "seed(3); W = randn * sqrt(2/n[l-1]): the init and optimization notebooks'",
        {},
        seed=3,
    ),
    "notebook_xavier": Initializer(
        "notebook_xavier",
        notebook_xavier,
        "seed(3); W = randn / sqrt(n[l-1]): the regularization notebook's",
        {},
        seed=3,
    ),
    "notebook_planar": Initializer(
        "notebook_planar",
        random,
        "seed(2); W = randn * scale: course 1's planar notebook (scale 0.01)",
        {"init_scale": PLANAR_SCALE},
        seed=2,
    ),
    "identity_scaled": Initializer(
        "identity_scaled",
        identity_scaled,
        "W = c I, zero-padded: vanishing (c < 1) or exploding (c > 1) with depth",
        {"init_scale": IDENTITY_C},
    ),
}
