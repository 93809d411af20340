"""Two-parameter cost functions J(w1, w2), each value beside its gradient, and descents on them.

bowl:      J = a w1^2 + b w2^2 with a >> b (the course's elongated contours)
banana:    J = (1 - w1)^2 + 100 (w2 - w1^2)^2 (Rosenbrock)
saddle:    J = w1^2 - w2^2 (no minimum)
plateau:   J = sigma(k (w1^2 + 2 w2^2 - 1)) + c (w1^2 + w2^2) (flat outside, a cliff at the rim)

Values and gradients take arrays of any (equal) shape, so one call fills a contour grid.
`descend` runs any optimizer of core.optimizers on a surface, exactly as training updates a
network's flat parameter vector: one "epoch" per step, so decay a = a0 / (1 + decay t).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.optimizers import Optimizer

Array = np.ndarray
ESCAPE = 1e6  # a path farther than this from the origin has left every picture: stop it
BOWL_A, BOWL_B = 10.0, 0.5
PLATEAU_K, PLATEAU_C = 10.0, 0.02


def bowl(w1: Array, w2: Array) -> Array:
    """J = a w1^2 + b w2^2."""
    return BOWL_A * w1 * w1 + BOWL_B * w2 * w2


def bowl_gradient(w1: Array, w2: Array) -> tuple[Array, Array]:
    """dJ/dw1 = 2 a w1, dJ/dw2 = 2 b w2."""
    return 2.0 * BOWL_A * w1, 2.0 * BOWL_B * w2


def banana(w1: Array, w2: Array) -> Array:
    """J = (1 - w1)^2 + 100 (w2 - w1^2)^2."""
    return (1.0 - w1) ** 2 + 100.0 * (w2 - w1 * w1) ** 2


def banana_gradient(w1: Array, w2: Array) -> tuple[Array, Array]:
    """dJ/dw1 = -2 (1 - w1) - 400 w1 (w2 - w1^2), dJ/dw2 = 200 (w2 - w1^2)."""
    inner = w2 - w1 * w1
    return -2.0 * (1.0 - w1) - 400.0 * w1 * inner, 200.0 * inner


def saddle(w1: Array, w2: Array) -> Array:
    """J = w1^2 - w2^2."""
    return w1 * w1 - w2 * w2


def saddle_gradient(w1: Array, w2: Array) -> tuple[Array, Array]:
    """dJ/dw1 = 2 w1, dJ/dw2 = -2 w2."""
    return 2.0 * w1, -2.0 * w2


def _rim(w1: Array, w2: Array) -> Array:
    """s = sigma(k (w1^2 + 2 w2^2 - 1)), 1 on the plateau and 0 inside the rim."""
    z = PLATEAU_K * (w1 * w1 + 2.0 * w2 * w2 - 1.0)
    return 1.0 / (1.0 + np.exp(-np.clip(z, -700.0, 700.0)))


def plateau(w1: Array, w2: Array) -> Array:
    """J = sigma(k (w1^2 + 2 w2^2 - 1)) + c (w1^2 + w2^2)."""
    return _rim(w1, w2) + PLATEAU_C * (w1 * w1 + w2 * w2)


def plateau_gradient(w1: Array, w2: Array) -> tuple[Array, Array]:
    """dJ/dw1 = s (1 - s) k 2 w1 + 2 c w1, dJ/dw2 = s (1 - s) k 4 w2 + 2 c w2."""
    s = _rim(w1, w2)
    slope = s * (1.0 - s) * PLATEAU_K
    return slope * 2.0 * w1 + 2.0 * PLATEAU_C * w1, slope * 4.0 * w2 + 2.0 * PLATEAU_C * w2


Point = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """A 2-D cost with its gradient, minimum (None if unbounded), default start and plot."""

    name: str
    description: str
    value: Callable[[Array, Array], Array]
    gradient: Callable[[Array, Array], tuple[Array, Array]]
    minimum: Point | None
    start: Point
    extent: tuple[float, float, float, float]  # (w1 min, w1 max, w2 min, w2 max)
    learning_rate: float  # a step size that shows the surface's lesson with gd
    steps: int  # enough steps at that rate to see it

    def grid(self, resolution: int) -> tuple[Array, Array, Array]:
        """(w1 axis, w2 axis, J) with J[i, j] = J(w1[j], w2[i]); w2 ascends with i."""
        x_min, x_max, y_min, y_max = self.extent
        w1 = np.linspace(x_min, x_max, resolution)
        w2 = np.linspace(y_min, y_max, resolution)
        W1, W2 = np.meshgrid(w1, w2)
        return w1, w2, self.value(W1, W2)


@dataclass(frozen=True)
class Descent:
    """A path w_0..w_n with J and dJ at each point; `reached` is the first t with
    ||w_t - w*|| < epsilon (None if never, or if there is no minimum)."""

    points: Array  # (n + 1, 2)
    costs: Array  # (n + 1,)
    gradients: Array  # (n + 1, 2)
    reached: int | None
    stopped: str | None  # why the path ended before n steps, if it did


def descend(
    surface: Surface, optimizer: Optimizer, start: Point, steps: int, epsilon: float = 1e-3
) -> Descent:
    """w_{t+1} = optimizer update of w_t with g_t = dJ(w_t); a fresh optimizer each time."""
    w = np.array(start, dtype=np.float64)
    grad = np.empty(2)
    params, grads = {"w": w}, {"dw": grad}
    points, gradients, stopped = [w.copy()], [], None
    with np.errstate(all="ignore"):
        for t in range(steps):
            grad[:] = surface.gradient(w[0], w[1])
            gradients.append(grad.copy())
            optimizer.start_epoch(t)  # full batch: every step is an epoch
            optimizer.update(params, grads)
            if not np.all(np.isfinite(w)) or float(np.abs(w).max()) > ESCAPE:
                stopped = f"left the plane at step {t + 1} (|w| > {ESCAPE:g})"
                break
            points.append(w.copy())
        path = np.array(points)
        last = path[-1]
        if len(gradients) < len(path):  # the gradient at the last point, not yet taken
            gradients.append(np.array(surface.gradient(last[0], last[1])))
        costs = surface.value(path[:, 0], path[:, 1])
    return Descent(path, costs, np.array(gradients), first_within(surface, path, epsilon), stopped)


def first_within(surface: Surface, path: Array, epsilon: float) -> int | None:
    """min t such that ||w_t - w*|| < epsilon, or None."""
    if surface.minimum is None:
        return None
    distance = np.hypot(*(path - np.array(surface.minimum)).T)
    hits = np.flatnonzero(distance < epsilon)
    return int(hits[0]) if hits.size else None


SURFACES: dict[str, Surface] = {
    surface.name: surface
    for surface in (
        Surface(
            "bowl",
            f"elongated bowl J = {BOWL_A:g} w1^2 + {BOWL_B:g} w2^2: narrow across w1, long in w2",
            bowl,
            bowl_gradient,
            (0.0, 0.0),
            (-1.5, -4.0),
            (-5.0, 5.0, -5.0, 5.0),
            0.099,  # just under gd's edge 1/a: the zig-zag across w1 decays slowly
            300,
        ),
        Surface(
            "banana",
            "Rosenbrock's banana J = (1 - w1)^2 + 100 (w2 - w1^2)^2: a curved, flat valley",
            banana,
            banana_gradient,
            (1.0, 1.0),
            (-1.2, 1.0),
            (-2.0, 2.0, -1.0, 3.0),
            0.001,
            2000,
        ),
        Surface(
            "saddle",
            "saddle J = w1^2 - w2^2: downhill in w1 then away along w2; no minimum",
            saddle,
            saddle_gradient,
            None,
            (-1.5, 0.01),
            (-2.0, 2.0, -2.0, 2.0),
            0.05,
            300,
        ),
        Surface(
            "plateau",
            f"plateau J = sigma({PLATEAU_K:g} (w1^2 + 2 w2^2 - 1)) + {PLATEAU_C:g} |w|^2: "
            "almost flat outside, a cliff at the rim",
            plateau,
            plateau_gradient,
            (0.0, 0.0),
            (2.5, 1.5),
            (-3.0, 3.0, -3.0, 3.0),
            0.5,
            300,
        ),
    )
}
