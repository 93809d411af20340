"""Inside the network: per hidden layer histograms, saturation, dead units, update ratios,
and a layer's "hidden space" (two units' values for the grid and the data).

saturated: tanh |a| > 0.97, sigmoid a < 0.03 or a > 0.97 (share of unit-example pairs);
dead:      ReLU / leaky ReLU units with z <= 0 on every example of the batch (share of units);
update:    log10(||W[l]_t - W[l]_{t-1}|| / ||W[l]_t||): the last step a dW-ish update moved W,
           relative to W (about -3 is healthy); the Trainer keeps theta before its last update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.network import Network

Array = np.ndarray
BINS = 30
SATURATION = 0.97


@dataclass(frozen=True)
class Histogram:
    """counts[i] values fell in [edges[i], edges[i+1]); BINS bins over the values' range."""

    counts: Array
    edges: Array


@dataclass(frozen=True)
class LayerInside:
    """What one hidden layer l looks like on the last training batch."""

    layer: int
    activations: Histogram  # A[l] = g(Z[l])
    preactivations: Histogram  # Z[l] (Z~[l] with batch norm)
    weight_gradients: Histogram  # dW[l]
    saturated: float | None  # tanh and sigmoid only
    dead: float | None  # ReLU and leaky ReLU only
    update_ratio: float | None  # None before any update (or when W does not move)


def histogram(values: Array, bins: int = BINS) -> Histogram:
    """np.histogram over [min, max] (a single value gets a unit-wide range)."""
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if not high > low:
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return Histogram(counts, edges)


def saturated_share(activation: str, A: Array) -> float | None:
    """Share of a in the flat tails: |a| > 0.97 (tanh), a < 0.03 or a > 0.97 (sigmoid)."""
    if activation == "tanh":
        return float(np.mean(np.abs(A) > SATURATION))
    if activation == "sigmoid":
        return float(np.mean((A < 1 - SATURATION) | (A > SATURATION)))
    return None


def dead_share(activation: str, Z: Array) -> float | None:
    """Share of ReLU units whose z <= 0 on every example: no gradient reaches their weights."""
    if activation not in ("relu", "leaky_relu"):
        return None
    return float(np.mean(np.all(Z <= 0, axis=1)))


def update_ratio(W: Array, previous: Array | None) -> float | None:
    """log10(||W - W_previous|| / ||W||), None when there is no step or no W."""
    if previous is None:
        return None
    step, size = np.linalg.norm(W - previous), np.linalg.norm(W)
    return float(np.log10(step / size)) if step > 0 and size > 0 else None


def inside(
    network: Network, grads: dict[str, Array], previous: dict[str, Array] | None = None
) -> list[LayerInside]:
    """Each hidden layer of the last training forward/backward; `previous` holds the weights
    before the last update (network.views(trainer.previous_theta))."""
    name = network.hidden.name
    layers = []
    for l, (Z, A) in enumerate(network.hidden_values(), start=1):
        W = network.params[f"W{l}"]
        layers.append(
            LayerInside(
                layer=l,
                activations=histogram(A),
                preactivations=histogram(Z),
                weight_gradients=histogram(grads[f"dW{l}"]),
                saturated=saturated_share(name, A),
                dead=dead_share(name, Z),
                update_ratio=update_ratio(W, None if previous is None else previous[f"W{l}"]),
            )
        )
    return layers


def hidden_space(
    network: Network, grid: Array, data: Array, layer: int, units: tuple[int, int] = (0, 1)
) -> tuple[Array, Array]:
    """(2, k) coordinates of the grid's and the data's points in units (i, j) of hidden layer
    `layer`: A[layer] at inference (running averages with batch norm, dropout off)."""
    if not 1 <= layer < network.L:
        raise ValueError(f"layer must be a hidden layer, 1 to {network.L - 1}, got {layer}")
    if max(units) >= network.layer_sizes[layer] or min(units) < 0:
        raise ValueError(f"units must be below {network.layer_sizes[layer]}, got {units}")
    A = np.hstack([grid, data])
    for l in range(1, layer + 1):
        W, b = network.inference_affine(l)
        Z = np.dot(W, A)
        Z += b
        A = network.hidden.value(Z, network.slope(l))
    chosen = A[list(units)]
    return chosen[:, : grid.shape[1]], chosen[:, grid.shape[1] :]
