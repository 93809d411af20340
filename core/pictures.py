"""What the page draws of a trainer: the output over a grid, every neuron's map, live figures.

Pictures need no float64: every layer here runs in float32, which NumPy vectorises (tanh
several times faster than in float64). The training itself stays float64 in core/training.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.confusion import ClassFigures
from core.datasets import make_features
from core.network import Network
from core.training import Metrics, Trainer

Array = np.ndarray


def float32_layers(network: Network, inputs: Array, output: bool = True) -> list[Array]:
    """A[1], ..., A[L] in float32 (Z[L] last if not output), A[l] = g(W[l] A[l-1] + b[l])."""
    A, layers = inputs, []
    with np.errstate(all="ignore"):
        for l in range(1, network.L + 1):
            W, b = network.inference_affine(l)  # batch norm: running averages folded in
            Z = np.dot(W.astype(np.float32), A)
            Z += b.astype(np.float32)
            if l < network.L:
                A = network.hidden.value(Z, network.slope(l))
            else:
                A = network.output.activation(Z) if output else Z
            layers.append(A)
    return layers


def output_grid(outputs: Array, resolution: int) -> Array:
    """A[L] of the r*r grid points as (r, r) for one output unit, (K, r, r) for K units."""
    grid = outputs.reshape(-1, resolution, resolution)
    return grid[0] if grid.shape[0] == 1 else grid


def grid_points(extent: tuple[float, float, float, float], resolution: int) -> Array:
    """Raw (2, r*r) points of an r x r grid over (x_min, x_max, y_min, y_max); row 0 is y max."""
    x_min, x_max, y_min, y_max = extent
    XX, YY = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_max, y_min, resolution)
    )
    return np.vstack([XX.ravel(), YY.ravel()])


@dataclass(frozen=True)
class LiveView:
    """What one float32 pass over the sets and grids gives a live frame."""

    metrics: Metrics
    boundary: Array  # (r, r), or (K, r, r) for softmax
    figures: tuple[ClassFigures, ClassFigures | None] | None  # classification only
    neurons: list[Array] | None  # per layer (inputs first): (n_l, r, r)


class Pictures:
    """One trainer's pictures; grid inputs are cached per resolution (features do not change)."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self._grids: dict[int, Array] = {}
        self._live_inputs: dict[tuple[int, int | None], Array] = {}

    def grid_inputs(self, resolution: int) -> Array:
        """Feature matrix (float32) of an r x r grid over the trainer's extent."""
        if resolution not in self._grids:
            points = grid_points(self.trainer.extent, resolution)
            features = make_features(points, self.trainer.config.features)
            self._grids[resolution] = features.astype(np.float32)
        return self._grids[resolution]

    def boundary(self, resolution: int = 100) -> Array:
        """The network's output A[L] over the grid, (r, r), or (K, r, r) for softmax."""
        outputs = float32_layers(self.trainer.network, self.grid_inputs(resolution))[-1]
        return output_grid(outputs, resolution)

    def neuron_grids(self, resolution: int = 20) -> list[Array]:
        """Per layer (inputs first), every unit's value over the grid: (n_l, r, r) each."""
        inputs = self.grid_inputs(resolution)
        layers = [inputs, *float32_layers(self.trainer.network, inputs)]
        return [layer.reshape(layer.shape[0], resolution, resolution) for layer in layers]

    def live_inputs(self, resolution: int, neuron_resolution: int | None) -> Array:
        """(features, m_train + m_test + r*r [+ n*n]) float32: the train and test sets, the
        boundary grid and, if asked, the neuron grid side by side (cached per resolutions)."""
        key = (resolution, neuron_resolution)
        if key not in self._live_inputs:
            trainer = self.trainer
            parts = [trainer.X_train.astype(np.float32), trainer.X_test.astype(np.float32)]
            parts.append(self.grid_inputs(resolution))
            if neuron_resolution:
                parts.append(self.grid_inputs(neuron_resolution))
            self._live_inputs[key] = np.hstack(parts)
        return self._live_inputs[key]

    def live(self, resolution: int, neuron_resolution: int | None = None) -> LiveView:
        """Live metrics, class figures, the boundary and (if neuron_resolution) every neuron's
        map from one float32 forward pass over the train, test and grid points together.

        The hidden layers run in float32 (about 6 significant digits, enough for live frames,
        which round to 5); Z[L] of the sets is taken on in float64 for the cost.
        """
        trainer = self.trainer
        output = trainer.network.output.activation
        m_train, m_test = trainer.X_train.shape[1], trainer.X_test.shape[1]
        split = m_train + m_test
        end = split + resolution * resolution
        layers = float32_layers(
            trainer.network, self.live_inputs(resolution, neuron_resolution), output=False
        )
        Z = layers[-1]
        with np.errstate(all="ignore"):
            boundary = output_grid(output(Z[:, split:end]), resolution)
            neurons = None
            if neuron_resolution:
                n = neuron_resolution
                maps = [self.grid_inputs(n), *(A[:, end:] for A in layers[:-1]), output(Z[:, end:])]
                neurons = [layer.reshape(layer.shape[0], n, n) for layer in maps]
        Z_sets = Z[:, :split].astype(np.float64)
        Z_train, Z_test = Z_sets[:, :m_train], Z_sets[:, m_train:]
        metrics = trainer.metrics_from_outputs(Z_train, Z_test)
        figures = None
        if trainer.problem == "classification":
            figures = trainer.class_figures_from_outputs(Z_train, Z_test)
        return LiveView(metrics, boundary, figures, neurons)

    def snapshot(self, resolution: int) -> tuple[Metrics, Array]:
        """Live metrics and the (r, r) boundary ((K, r, r) for softmax) from one float32 forward
        pass over the train, test and grid points together (see live)."""
        view = self.live(resolution)
        return view.metrics, view.boundary
