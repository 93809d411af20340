"""Weight initializers: W[l] of shape (n_l, n_{l-1}) from an explicit Generator; biases zero."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.hyperparameters import Hyperparameter

Array = np.ndarray


def zeros(rng: np.random.Generator, n_out: int, n_in: int, scale: float) -> Array:
    """W = 0: every hidden unit computes the same thing forever (the symmetry problem)."""
    return np.zeros((n_out, n_in))


def random(rng: np.random.Generator, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * scale (course default 0.01; 10 shows a too-large init)."""
    return rng.standard_normal((n_out, n_in)) * scale


def xavier(rng: np.random.Generator, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * sqrt(1 / n_{l-1})."""
    return rng.standard_normal((n_out, n_in)) * np.sqrt(1.0 / n_in)


def he(rng: np.random.Generator, n_out: int, n_in: int, scale: float) -> Array:
    """W = randn * sqrt(2 / n_{l-1})."""
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)


@dataclass(frozen=True)
class Initializer:
    """A way to draw W[l], described for the page."""

    name: str
    draw: Callable[[np.random.Generator, int, int, float], Array]
    description: str
    hyperparameters: dict[str, Hyperparameter]


INIT_SCALE = Hyperparameter(0.01, 1e-6, 100.0, "W = randn * scale")

INITIALIZERS: dict[str, Initializer] = {
    "zeros": Initializer("zeros", zeros, "W = 0 (units stay identical: symmetry)", {}),
    "random": Initializer(
        "random", random, "W = randn * scale (course: 0.01)", {"init_scale": INIT_SCALE}
    ),
    "xavier": Initializer("xavier", xavier, "W = randn * sqrt(1/n[l-1])", {}),
    "he": Initializer("he", he, "W = randn * sqrt(2/n[l-1]) (for ReLU)", {}),
}
