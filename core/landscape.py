"""A trained network's cost on a plane through its final weights (Li et al. 2018), with paths.

Each run (lane) is trained and its parameters recorded; the plane passes through the first
lane's final weights theta*, along directions from core.plane ("pca" of every lane's offsets
theta_t - theta*, or filter-normalised "random"). A recorded point projects to
(alpha, beta) = argmin ||theta_t - theta(alpha, beta)||; unless the trajectory lies in the plane,
its true J(theta_t) differs from the plane's J(alpha, beta) there, and both are reported.
Lanes share one plane only when their cost functions agree (see plane_mismatch).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.config import TrainConfig
from core.plane import (
    axis,
    batch_costs,
    explained,
    pca_directions,
    project,
    random_directions,
)
from core.training import Trainer

Array = np.ndarray
DIRECTIONS = ("pca", "random")
SHARED = (  # what must agree for two runs' points to have one cost surface
    "layer_sizes", "features", "dataset", "network.activation", "network.output",
    "network.leaky_slope", "network.learn_slope", "regularization.l2", "regularization.l1",
    "network.batch_norm",
)  # fmt: skip


@dataclass(frozen=True)
class LanePath:
    """One run's recorded iterations, their (alpha, beta), true costs and the plane's costs."""

    iterations: Array  # (k,) 0 first
    path: Array  # (k, 2)
    path_cost: Array  # (k,) J(theta_t)
    plane_cost: Array  # (k,) J(theta* + alpha_t d1 + beta_t d2)
    diverged: str | None


@dataclass(frozen=True)
class Landscape:
    """cost[i, j] = J(alpha[j], beta[i]) on the plane; paths[0] is the lane through theta*."""

    alpha: Array  # (r,)
    beta: Array  # (r,)
    cost: Array  # (r, r)
    paths: tuple[LanePath, ...]
    explained_variance: tuple[float, float]
    directions: Array  # (2, P)

    @property
    def iterations(self) -> Array:
        """The first lane's recorded iterations."""
        return self.paths[0].iterations

    @property
    def path(self) -> Array:
        """The first lane's (alpha, beta), ending at (0, 0)."""
        return self.paths[0].path

    @property
    def path_cost(self) -> Array:
        """The first lane's true costs."""
        return self.paths[0].path_cost

    @property
    def plane_cost(self) -> Array:
        """The plane's costs at the first lane's projections."""
        return self.paths[0].plane_cost

    @property
    def diverged(self) -> str | None:
        """The first lane's divergence message, if it diverged."""
        return self.paths[0].diverged


def setting(config: TrainConfig, name: str) -> object:
    """config's value at a dotted name such as "network.activation"."""
    value: object = config
    for part in name.split("."):
        value = getattr(value, part)
    return value


def plane_mismatch(base: TrainConfig, other: TrainConfig) -> str | None:
    """The first setting of SHARED on which two configs differ (None: one plane fits both)."""
    return next((n for n in SHARED if setting(base, n) != setting(other, n)), None)


def record(trainer: Trainer, iterations: int, points: int) -> tuple[Array, Array]:
    """(iterations, thetas) every ceil(n / points) updates and at the end; stops at divergence."""
    every = max(1, math.ceil(iterations / max(1, points)))
    done, thetas = [0], [trainer.network.theta.copy()]
    while trainer.iteration < iterations:
        trainer.step(min(every, iterations - trainer.iteration), metrics=False)
        if trainer.diverged is not None:
            break
        done.append(trainer.iteration)
        thetas.append(trainer.network.theta.copy())
    thetas = np.array(thetas)
    finite = np.all(np.isfinite(thetas), axis=1)
    return np.array(done)[finite], thetas[finite]


def landscape(
    config: TrainConfig | Sequence[TrainConfig],
    iterations: int,
    resolution: int = 41,
    directions: str = "pca",
    points: int = 200,
) -> Landscape:
    """Train each config, then the r x r plane through the first one's theta* with every path."""
    configs = [config] if isinstance(config, TrainConfig) else list(config)
    if directions not in DIRECTIONS:
        raise ValueError(f"directions must be one of {DIRECTIONS}, got {directions!r}")
    for i, other in enumerate(configs[1:], start=1):
        if (name := plane_mismatch(configs[0], other)) is not None:
            raise ValueError(f"lane {i}: its {name} differs from lane 0's, so no plane fits both")
    trainers = [Trainer(c) for c in configs]
    runs = [record(trainer, iterations, points) for trainer in trainers]
    network, final = trainers[0].network, runs[0][1][-1]
    offsets = [thetas - final for _, thetas in runs]
    everything = np.vstack(offsets)
    if directions == "pca":
        basis = pca_directions(everything, start=offsets[0][0])
    else:
        rng = np.random.default_rng([configs[0].seed, 16])
        basis = random_directions(network, final, rng)
    coords = [project(o, basis) for o in offsets]
    stacked = np.vstack(coords)
    spans = np.ptp(stacked, axis=0)
    random = directions == "random"
    alpha = axis(stacked[:, 0], float(spans[1]), resolution, random)
    beta = axis(stacked[:, 1], float(spans[0]), resolution, random)
    A, B = np.meshgrid(alpha, beta)
    grid = final + A.reshape(-1, 1) * basis[0] + B.reshape(-1, 1) * basis[1]
    X, Y = trainers[0].X_train, trainers[0].Y_train
    paths = tuple(
        LanePath(
            iterations=done,
            path=xy,
            path_cost=batch_costs(trainer.network, X, Y, thetas),
            plane_cost=batch_costs(network, X, Y, final + xy @ basis),
            diverged=trainer.diverged,
        )
        for trainer, (done, thetas), xy in zip(trainers, runs, coords, strict=True)
    )
    return Landscape(
        alpha=alpha,
        beta=beta,
        cost=batch_costs(network, X, Y, grid).reshape(resolution, resolution),
        paths=paths,
        explained_variance=explained(everything, basis),
        directions=basis,
    )
