"""Planes through parameter space: directions, projections, and costs of many weight vectors.

theta(alpha, beta) = theta* + alpha d1 + beta d2, with
  "pca":    d1, d2 the top principal directions of the offsets theta_t - theta*, or
  "random": Gaussian directions, each neuron's row [W[l]_i | b[l]_i] of d rescaled to the
            norm of the same row of theta* (filter normalisation, Li et al. 2018).
Costs of many parameter vectors are computed together: layer by layer, one batched matmul.
"""

from __future__ import annotations

import numpy as np

from core.network import Network

Array = np.ndarray
CHUNK_FLOATS = 1 << 20  # activations batch_costs holds at once (8 MB of float64)
MARGIN = 0.25  # of the path's extent, added around it on each axis


def layout(network: Network) -> list[tuple[str, int, tuple[int, int]]]:
    """(name, start, shape) of each block of theta, read from the network's own views."""
    index = np.arange(network.theta.size)
    return [(n, int(b.flat[0]), b.shape) for n, b in network.blocks(index).items()]


def batch_costs(network: Network, X: Array, Y: Array, thetas: Array) -> Array:
    """J(theta_k) for each row of thetas (k, P): loss + lambda/(2m) sum ||W||^2, dropout off."""
    if network.batch_norm:
        raise ValueError("no cost planes for batch norm yet: its cost depends on the batch")
    m = X.shape[1]
    widest = max(network.layer_sizes)
    size = max(1, CHUNK_FLOATS // (widest * m))
    parts = [_costs(network, X, Y, thetas[i : i + size]) for i in range(0, len(thetas), size)]
    return np.concatenate(parts) if parts else np.empty(0)


def _costs(network: Network, X: Array, Y: Array, thetas: Array) -> Array:
    """batch_costs for one chunk: Z[l] = W[l] A[l-1] + b[l] as (k, n_l, m) matmuls."""
    k, m = len(thetas), X.shape[1]
    blocks = {n: thetas[:, s : s + r * c].reshape(k, r, c) for n, s, (r, c) in layout(network)}
    A, penalty = np.vstack([X, np.ones((1, m))]), np.zeros(k)  # [X; 1]: layer 1 in one dot
    absolute = np.zeros(k)
    with np.errstate(all="ignore"):
        for l in range(1, network.L + 1):
            Wb = blocks[f"Wb{l}"]
            W, b = Wb[:, :, :-1], Wb[:, :, -1:]
            if l == 1:  # every network's [W1 | b1] stacked: one (k n_1, n_0 + 1) matrix product
                Z = np.dot(Wb.reshape(-1, Wb.shape[2]), A).reshape(k, -1, m)
            else:
                Z = np.matmul(W, A)
                Z += b
            if network.l2:
                penalty += np.einsum("kij,kij->k", W, W)
            if network.l1:
                absolute += np.abs(W).sum(axis=(1, 2))
            if l < network.L:
                slope = blocks[f"slope{l}"] if network.learn_slope else network.leaky_slope
                A = network.hidden.value(Z, slope)
        losses = network.output.losses(Z, network.output.activation(Z), Y)
    return losses.sum(axis=(1, 2)) / m + network.l2 / (2 * m) * penalty + network.l1 / m * absolute


def pca_directions(offsets: Array, start: Array) -> Array:
    """The top two right singular vectors of the centred offsets theta_t - theta* (2, P),
    signed so that `start` (the first offset) lies at alpha <= 0, beta <= 0."""
    centred = offsets - offsets.mean(axis=0)
    if len(centred) < 2:
        centred = np.vstack([centred, np.zeros_like(centred)])
    directions = np.linalg.svd(centred, full_matrices=False)[2][:2]
    return directions * np.where(directions @ start > 0, -1.0, 1.0)[:, None]


def random_directions(network: Network, final: Array, rng: np.random.Generator) -> Array:
    """Two Gaussian directions, each row of each block scaled to ||that row of theta*||."""
    directions = rng.standard_normal((2, final.size))
    for _, start, (rows, columns) in layout(network):
        end = start + rows * columns
        d = directions[:, start:end].reshape(2, rows, columns)
        scale = np.linalg.norm(final[start:end].reshape(rows, columns), axis=1, keepdims=True)
        d *= scale / np.maximum(np.linalg.norm(d, axis=2, keepdims=True), 1e-300)
    return directions


def explained(offsets: Array, directions: Array) -> tuple[float, float]:
    """||C u_i||^2 / ||C||_F^2 for u_i = d_i / ||d_i|| and C the centred offsets."""
    centred = offsets - offsets.mean(axis=0)
    total = float(np.vdot(centred, centred))
    norms = np.maximum(np.linalg.norm(directions, axis=1), 1e-300)
    shares = np.sum((centred @ (directions.T / norms)) ** 2, axis=0) / total if total else [0, 0]
    return float(shares[0]), float(shares[1])


def project(offsets: Array, directions: Array) -> Array:
    """(alpha, beta) of each offset: least squares in the plane, (k, 2)."""
    gram = directions @ directions.T
    return np.linalg.lstsq(gram, directions @ offsets.T, rcond=None)[0].T


def axis(values: Array, other_span: float, resolution: int, random: bool) -> Array:
    """An axis over 0 and the path plus a margin, at least 0.4 of the other axis's span long;
    random axes cover [-1, 1] too (the weights' own scale)."""
    low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    if random:
        low, high = min(low, -1.0), max(high, 1.0)
    span = high - low
    target = (1 + 2 * MARGIN) * max(span, 0.4 * other_span) or 1.0
    pad = (target - span) / 2
    return np.linspace(low - pad, high + pad, resolution)
