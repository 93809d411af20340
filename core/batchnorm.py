"""Batch normalization of every hidden layer's Z over the mini-batch (course 2, week 3).

Training, per hidden layer l (b[l] is dropped: the mean subtraction would cancel it):
  Z = W A[l-1];  mu = mean_i Z;  var = mean_i (Z - mu)^2;  z_norm = (Z - mu) / sqrt(var + eps)
  Z~ = gamma z_norm + beta;  A = g(Z~)
Backward, with dZ~ = dA * g'(Z~) and dz_norm = gamma dZ~ (sums over the batch i):
  dgamma = sum_i dZ~ z_norm;  dbeta = sum_i dZ~
  dZ = (1 / sqrt(var + eps)) (dz_norm - mean_i dz_norm - z_norm mean_i(dz_norm z_norm))
Inference (predict, test cost, grids) uses running averages instead of the batch's, PyTorch's
convention (BatchNorm1d, momentum 0.1, which is the course's beta = 0.9):
  running_mean = 0.9 running_mean + 0.1 mu;  running_var = 0.9 running_var + 0.1 var m/(m-1)
(the unbiased batch variance, as PyTorch keeps it), starting at 0 and 1. Then the layer is
one affine map: Z~ = s W A + (beta - s running_mean) with s = gamma / sqrt(running_var + eps).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from core.activations import leaky_relu_slope_derivative
from core.network import Network, Workspace

Array = np.ndarray
EPSILON = 1e-5  # PyTorch's default
MOMENTUM = 0.1  # weight of the new batch in the running averages (course: beta = 0.9)


def normalize(Z: Array, gamma: Array, beta: Array, out: Array) -> tuple[Array, Array, Array]:
    """Z becomes z_norm in place; out = gamma z_norm + beta; returns (mu, var, 1/sqrt(var+eps))."""
    mu = Z.mean(axis=1, keepdims=True)
    Z -= mu
    var = np.einsum("ij,ij->i", Z, Z)[:, None] / Z.shape[1]
    inv_std = 1.0 / np.sqrt(var + EPSILON)
    Z *= inv_std
    np.multiply(Z, gamma, out=out)
    out += beta
    return mu, var, inv_std


def normalize_backward(
    dZt: Array, Zn: Array, gamma: Array, inv_std: Array, dgamma: Array, dbeta: Array
) -> Array:
    """dgamma = sum dZ~ z_norm, dbeta = sum dZ~ (written in place); returns dZ (into dZt)."""
    np.einsum("ij,ij->i", dZt, Zn, out=dgamma[:, 0])
    np.sum(dZt, axis=1, keepdims=True, out=dbeta)
    m = dZt.shape[1]
    dZt *= gamma  # dz_norm
    dZt -= (dbeta * gamma) / m
    dZt -= Zn * ((dgamma * gamma) / m)
    dZt *= inv_std
    return dZt


def update_running(mean: Array, var: Array, mu: Array, batch_var: Array, m: int) -> None:
    """mean = 0.9 mean + 0.1 mu;  var = 0.9 var + 0.1 batch_var m/(m-1) (in place)."""
    mean *= 1.0 - MOMENTUM
    mean += MOMENTUM * mu
    var *= 1.0 - MOMENTUM
    var += (MOMENTUM * m / max(m - 1, 1)) * batch_var


def folded(W: Array, gamma: Array, beta: Array, mean: Array, var: Array) -> tuple[Array, Array]:
    """The inference layer as one affine map (s W, beta - s mean), s = gamma/sqrt(var + eps)."""
    s = gamma / np.sqrt(var + EPSILON)
    return s * W, beta - s * mean


class BatchNormNetwork(Network):
    """A Network with batch norm on every hidden layer: "W1", "gamma1", "beta1", ..., "WL", "bL"."""

    batch_norm = True

    def __init__(self, layer_sizes: Sequence[int], **options: Any) -> None:
        hidden = [int(n) for n in layer_sizes[1:-1]]
        # running averages, layer after layer: mean (starts at 0), then var (starts at 1)
        self.running = np.concatenate([[0.0] * n + [1.0] * n for n in hidden] or [np.zeros(0)])
        super().__init__(layer_sizes, **options)

    def _block_shapes(self) -> dict[str, tuple[int, int]]:
        """theta's blocks: W1, gamma1, beta1, ..., [WL | bL], then slope1, ... if learned."""
        sizes, shapes = self.layer_sizes, {}
        for l in range(1, self.L):
            shapes[f"W{l}"] = (sizes[l], sizes[l - 1])
            shapes[f"gamma{l}"] = shapes[f"beta{l}"] = (sizes[l], 1)
        shapes[f"Wb{self.L}"] = (sizes[-1], sizes[-2] + 1)
        if self.learn_slope:
            shapes.update({f"slope{l}": (1, 1) for l in range(1, self.L)})
        return shapes

    def _layer_blocks(self, flat: Array) -> list[Array]:
        """[None, W1, ..., W[L-1], [WL | bL]] of a vector shaped like theta (indexed by l)."""
        blocks = self.blocks(flat)
        return [None, *(blocks.get(f"W{l}", blocks.get(f"Wb{l}")) for l in range(1, self.L + 1))]

    def _restore_views(self) -> None:
        """Also gamma[l], beta[l] and the running averages' views, and no batch buffers."""
        super()._restore_views()
        self._gamma = [None, *(self.params[f"gamma{l}"] for l in range(1, self.L))]
        self._beta = [None, *(self.params[f"beta{l}"] for l in range(1, self.L))]
        self._stats: list[Any] = [None]
        start = 0
        for n in self.layer_sizes[1:-1]:
            mean, var = (
                self.running[start : start + n, None],
                self.running[start + n : start + 2 * n, None],
            )
            self._stats.append((mean, var))
            start += 2 * n
        self._tilde: dict[int, list[Array]] = {}  # Z~[l] buffers per batch size
        self._inv_std: list[Array] = []

    def _initialise(self, init: str, scale: float, rng: Any) -> None:
        """W[l] from the initializer, gamma[l] = 1, beta[l] = 0."""
        super()._initialise(init, scale, rng)
        for l in range(1, self.L):
            self._gamma[l][...] = 1.0

    def __getstate__(self) -> dict:
        """As Network's, without the views into running and the batch buffers."""
        state = super().__getstate__()
        for name in ("_gamma", "_beta", "_stats", "_tilde", "_inv_std"):
            state.pop(name, None)
        return state

    def forward(self, X: Array, training: bool = False) -> Array:
        """Network.forward with Z~ = gamma z_norm + beta in place of Z on hidden layers; a
        training pass normalises by the batch and updates the running averages."""
        if not training:
            return self.output.activation(self.last_z(X))
        m = X.shape[1]
        space = self._workspaces.get(m)
        if space is None:
            space = self._workspaces[m] = Workspace(self.layer_sizes, m)
            self._tilde[m] = [np.empty((n, m)) for n in self.layer_sizes[1:-1]]
        tilde = self._tilde[m]
        space.inputs[0][:-1] = X
        masks: list[Array] = []
        self._inv_std = []
        for l in range(1, self.L):
            Z, Zt = space.Z[l - 1], tilde[l - 1]
            np.dot(self._Wb[l], space.inputs[l - 1][:-1], out=Z)
            mu, var, inv_std = normalize(Z, self._gamma[l], self._beta[l], out=Zt)
            update_running(*self._stats[l], mu, var, m)
            self._inv_std.append(inv_std)
            self._activate(l, Zt, space, masks)  # g, then inverted dropout, as in Network
        np.dot(self._Wb[self.L], space.inputs[self.L - 1], out=space.Z[-1])
        self.output.activation(space.Z[-1], out=space.AL)
        self._cache = (space, masks)
        return space.AL

    def backward(self, Y: Array, out: Array | None = None) -> dict[str, Array]:
        """Gradients "dW1", "dgamma1", "dbeta1", ..., "dWL", "dbL" of the last training forward."""
        if self._cache is None:
            raise RuntimeError("backward() needs a forward(X, training=True) first")
        space, masks = self._cache
        tilde = self._tilde[Y.shape[1]]
        flat = np.empty_like(self.theta) if out is None else out
        if self._gradient_views[0] is not flat:
            named = self.views(flat, prefix="d")
            self._gradient_views = (flat, self._layer_blocks(flat), named)
        _, gradient_blocks, grads = self._gradient_views
        dZ = np.subtract(space.AL, Y, out=space.dZ[-1])
        for l in range(self.L, 0, -1):  # sums over the batch; scaled by 1/m at the end
            inputs = space.inputs[l - 1] if l == self.L else space.inputs[l - 1][:-1]
            np.dot(dZ, inputs.T, out=gradient_blocks[l])
            if l == 1:
                break
            dA = np.dot(self._W[l].T, dZ, out=space.dA[l - 2])
            if masks:
                dA *= masks[l - 2]
                dA /= self.keep_prob
            Zt, k = tilde[l - 2], l - 1
            if self.learn_slope:
                grads[f"dslope{k}"][...] = np.sum(dA * leaky_relu_slope_derivative(Zt))
            dZt = np.multiply(
                dA, self.hidden.derivative(Zt, space.G[k - 1], self.slope(k)), out=space.dZ[k - 1]
            )
            dgamma, dbeta = grads[f"dgamma{k}"], grads[f"dbeta{k}"]
            dZ = normalize_backward(
                dZt, space.Z[k - 1], self._gamma[k], self._inv_std[k - 1], dgamma, dbeta
            )
        inv_m = 1.0 / Y.shape[1]
        flat *= inv_m
        for l in range(1, self.L + 1):
            if self.l2:
                grads[f"dW{l}"] += (self.l2 * inv_m) * self._W[l]
            if self.l1:
                grads[f"dW{l}"] += (self.l1 * inv_m) * np.sign(self._W[l])
        return grads

    def hidden_values(self) -> list[tuple[Array, Array]]:
        """(Z~[l], g(Z~[l])) of each hidden layer in the last training forward (before dropout)."""
        space = super().hidden_values()
        tilde = self._tilde[self._cache[0].AL.shape[1]]  # type: ignore[index]
        return [(Zt, G) for Zt, (_, G) in zip(tilde, space, strict=True)]

    def inference_affine(self, l: int) -> tuple[Array, Array]:
        """Hidden layer l with its running averages folded in: Z~ = s W A + beta - s mean."""
        if l == self.L:
            return super().inference_affine(l)
        return folded(self._W[l], self._gamma[l], self._beta[l], *self._stats[l])

    def last_z(self, X: Array) -> Array:
        """Z[L] for X at inference: running averages, dropout off."""
        A = X
        for l in range(1, self.L + 1):
            W, b = self.inference_affine(l)
            Z = np.dot(W, A)
            Z += b
            if l < self.L:
                A = self.hidden.value(Z, self.slope(l))
        return Z

    def batch_cost(self, X: Array, Y: Array) -> float:
        """J as the training forward computes it (this batch's statistics), nothing updated."""
        A = X
        for l in range(1, self.L):
            Z = np.dot(self._W[l], A)
            Zt = np.empty_like(Z)
            normalize(Z, self._gamma[l], self._beta[l], out=Zt)
            A = self.hidden.value(Zt, self.slope(l))
        Z = np.dot(self._W[self.L], A) + self.params[f"b{self.L}"]
        return self.output.loss(Z, self.output.activation(Z), Y) + self.penalty(Y.shape[1])
