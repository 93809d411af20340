"""A fully connected network in the course's notation, with vectorised forward and backward.

X is (n_0, m) with examples as columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
Forward:  Z[l] = W[l] A[l-1] + b[l];  A[l] = g(Z[l]);  inverted dropout on hidden layers.
Backward: dZ[L] = A[L] - Y;  dW[l] = (1/m) dZ[l] A[l-1]^T + (lambda/m) W[l];
          db[l] = (1/m) sum_i dZ[l];  dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]).

The same maths in fewer NumPy calls (each call costs microseconds on these small arrays):
- W[l] and b[l] sit side by side in one block [W[l] | b[l]] of shape (n_l, n_{l-1} + 1), and
  A[l-1] gets a row of ones underneath, so Z[l] = [W[l] | b[l]] [A[l-1]; 1] is one matrix
  product, and dZ[l] [A[l-1]; 1]^T = m [dW[l] | db[l]] gives dW[l] and db[l] in one more.
- Every block (and each learned slope) lives in one flat vector `theta`; params["W1"],
  params["b1"], ... are views into it. A backward pass writes all gradients into one flat
  vector shaped like theta, so an optimizer updates every parameter in a few calls.
- Training passes reuse one set of buffers per batch size instead of allocating new arrays,
  and use np.dot, which costs half of np.matmul's overhead on these small 2-D arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.activations import ACTIVATIONS, leaky_relu_slope_derivative
from core.initializers import INITIALIZERS
from core.losses import OUTPUTS

Array = np.ndarray

OUTPUT_ALIASES = {"sigmoid": "classification", "linear": "regression"}


class Workspace:
    """The buffers of one training forward and backward pass over m examples."""

    def __init__(self, layer_sizes: tuple[int, ...], m: int) -> None:
        hidden = layer_sizes[1:-1]
        self.inputs = [np.ones((n + 1, m)) for n in layer_sizes[:-1]]  # [A[l-1]; 1]
        self.Z = [np.empty((n, m)) for n in layer_sizes[1:]]  # Z[1], ..., Z[L]
        self.G: list[Array] = [np.empty((n, m)) for n in hidden]  # g(Z[l]), for g'
        self.undropped = [np.empty((n, m)) for n in hidden]  # g(Z[l]) when dropout follows
        self.AL = np.empty((layer_sizes[-1], m))
        self.dZ = [np.empty((n, m)) for n in layer_sizes[1:]]
        self.dA = [np.empty((n, m)) for n in hidden]


class Network:
    """Parameters "W1", "b1", ... (and "slope1", ... when the leaky slope is learned)."""

    batch_norm = False  # core/batchnorm.py's BatchNormNetwork normalises its hidden layers
    running: Array | None = None  # batch norm's running averages (none here)

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        init: str = "xavier",
        l2: float = 0.0,
        l1: float = 0.0,
        keep_prob: float = 1.0,
        leaky_slope: float = 0.01,
        learn_slope: bool = False,
        seed: int = 0,
        init_scale: float = 0.01,
        rng: np.random.Generator | None = None,
        init_seed: int | None = None,
    ) -> None:
        if len(layer_sizes) < 2 or min(layer_sizes) < 1:
            raise ValueError(f"layer_sizes needs >= 2 positive sizes, got {list(layer_sizes)}")
        self.layer_sizes = tuple(int(n) for n in layer_sizes)
        self.L = len(self.layer_sizes) - 1
        self.hidden = ACTIVATIONS[activation]
        self.output = OUTPUTS[OUTPUT_ALIASES.get(output_activation, output_activation)]
        if self.output.name == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError(f"softmax needs K >= 2 output units, got {self.layer_sizes[-1]}")
        self.l2 = float(l2)
        self.l1 = float(l1)
        self.keep_prob = float(keep_prob)
        self.leaky_slope = float(leaky_slope)
        self.learn_slope = bool(learn_slope) and activation == "leaky_relu"
        seeds = np.random.SeedSequence(seed).spawn(2)
        self.rng = rng if rng is not None else np.random.default_rng(seeds[1])
        self._blocks = self._block_shapes()
        self.theta = np.zeros(sum(rows * columns for rows, columns in self._blocks.values()))
        self._restore_views()
        spec = INITIALIZERS[init]
        seed_of_notebook = spec.seed if init_seed is None else init_seed
        source = (
            np.random.default_rng(seeds[0])
            if spec.seed is None
            else np.random.RandomState(seed_of_notebook)  # the notebooks' legacy sequence
        )
        self._initialise(init, init_scale, source)

    def _block_shapes(self) -> dict[str, tuple[int, int]]:
        """theta's blocks in order: [W1 | b1], ..., [WL | bL], then slope1, ... if learned."""
        sizes = self.layer_sizes
        shapes = {f"Wb{l}": (sizes[l], sizes[l - 1] + 1) for l in range(1, self.L + 1)}
        if self.learn_slope:
            shapes.update({f"slope{l}": (1, 1) for l in range(1, self.L)})
        return shapes

    def blocks(self, flat: Array) -> dict[str, Array]:
        """{"Wb1": [W1 | b1], ..., "slope1": ...}: views into a vector shaped like theta."""
        blocks, start = {}, 0
        for name, (rows, columns) in self._blocks.items():
            blocks[name] = flat[start : start + rows * columns].reshape(rows, columns)
            start += rows * columns
        return blocks

    def views(self, flat: Array, prefix: str = "") -> dict[str, Array]:
        """{prefix + "W1": ..., prefix + "b1": ..., ...}: views into a vector shaped like theta."""
        views = {}
        for name, block in self.blocks(flat).items():
            if name.startswith("Wb"):
                l = name[2:]
                views[f"{prefix}W{l}"], views[f"{prefix}b{l}"] = block[:, :-1], block[:, -1:]
            else:
                views[prefix + name] = block
        return views

    def _layer_blocks(self, flat: Array) -> list[Array]:
        """[None, [W1 | b1], ..., [WL | bL]] of a vector shaped like theta (indexed by l)."""
        blocks = self.blocks(flat)
        return [None, *(blocks[f"Wb{l}"] for l in range(1, self.L + 1))]

    def _restore_views(self) -> None:
        """params, the blocks and the (empty) caches, for a new or deep-copied network."""
        self.params = self.views(self.theta)
        self._W = [None, *(self.params[f"W{l}"] for l in range(1, self.L + 1))]
        self._Wb = self._layer_blocks(self.theta)
        self._workspaces: dict[int, Workspace] = {}
        self._cache: tuple[Workspace, list[Array]] | None = None
        self._gradient_views: tuple[Array | None, list[Array], dict[str, Array]] = (None, [], {})

    def _initialise(
        self, init: str, scale: float, rng: np.random.Generator | np.random.RandomState
    ) -> None:
        """W[l] from the initializer, b[l] = 0, slope[l] = leaky_slope."""
        draw = INITIALIZERS[init].draw
        for l in range(1, self.L + 1):
            n_out, n_in = self.layer_sizes[l], self.layer_sizes[l - 1]
            self.params[f"W{l}"][...] = draw(rng, n_out, n_in, scale)
        for l in range(1, self.L if self.learn_slope else 1):
            self.params[f"slope{l}"][...] = self.leaky_slope

    def __getstate__(self) -> dict:
        """Deep-copied (copy.deepcopy) without views and buffers: theta carries the values."""
        kept = ("params", "_W", "_Wb", "_workspaces", "_cache", "_gradient_views")
        return {k: v for k, v in self.__dict__.items() if k not in kept}

    def __setstate__(self, state: dict) -> None:
        """Views into the restored theta again."""
        self.__dict__.update(state)
        self._restore_views()

    def slope(self, l: int) -> float:
        """The leaky slope used by hidden layer l (learned or fixed)."""
        return float(self.params[f"slope{l}"][0, 0]) if self.learn_slope else self.leaky_slope

    def _activate(self, l: int, Z: Array, space: Workspace, masks: list[Array]) -> None:
        """A[l] = g(Z) into the workspace; with keep_prob < 1, inverted dropout: A[l] = g(Z) * D
        / keep_prob with D ~ Bernoulli(keep_prob), whose mask is appended to masks."""
        g, keep_prob, A = self.hidden.value, self.keep_prob, space.inputs[l][:-1]
        if keep_prob < 1.0:
            G = space.G[l - 1] = g(Z, self.slope(l), out=space.undropped[l - 1])
            D = self.rng.random(A.shape) < keep_prob
            np.multiply(G, D, out=A)
            A /= keep_prob
            masks.append(D)
        else:
            space.G[l - 1] = g(Z, self.slope(l), out=A)

    def forward(self, X: Array, training: bool = False) -> Array:
        """A[L] for X of shape (n_0, m); training=True caches for backward and applies dropout
        (and returns a buffer that the next training pass overwrites: copy it to keep it)."""
        if not training:
            return self.output.activation(self.last_z(X))
        m = X.shape[1]
        space = self._workspaces.get(m)
        if space is None:
            space = self._workspaces[m] = Workspace(self.layer_sizes, m)
        space.inputs[0][:-1] = X
        masks: list[Array] = []
        for l in range(1, self.L):
            Z = space.Z[l - 1]
            np.dot(self._Wb[l], space.inputs[l - 1], out=Z)
            self._activate(l, Z, space, masks)
        np.dot(self._Wb[self.L], space.inputs[self.L - 1], out=space.Z[-1])
        self.output.activation(space.Z[-1], out=space.AL)
        self._cache = (space, masks)
        return space.AL

    def backward(self, Y: Array, out: Array | None = None) -> dict[str, Array]:
        """Gradients "dW1", "db1", ... of the cost (with L2) for the last training forward.

        They are views into one flat vector shaped like theta: `out` if given (reused by the
        Trainer), else a new one.
        """
        if self._cache is None:
            raise RuntimeError("backward() needs a forward(X, training=True) first")
        space, masks = self._cache
        flat = np.empty_like(self.theta) if out is None else out
        if self._gradient_views[0] is not flat:
            named = self.views(flat, prefix="d")
            self._gradient_views = (flat, self._layer_blocks(flat), named)
        _, gradient_blocks, grads = self._gradient_views
        derivative = self.hidden.derivative
        dZ = np.subtract(space.AL, Y, out=space.dZ[-1])
        for l in range(self.L, 0, -1):  # m [dW | db] = dZ [A; 1]^T; scaled by 1/m at the end
            np.dot(dZ, space.inputs[l - 1].T, out=gradient_blocks[l])
            if l == 1:
                break
            dA = np.dot(self._W[l].T, dZ, out=space.dA[l - 2])
            if masks:
                dA *= masks[l - 2]
                dA /= self.keep_prob
            Z, G = space.Z[l - 2], space.G[l - 2]
            if self.learn_slope:
                grads[f"dslope{l - 1}"][...] = np.sum(dA * leaky_relu_slope_derivative(Z))
            dZ = np.multiply(dA, derivative(Z, G, self.slope(l - 1)), out=space.dZ[l - 2])
        inv_m = 1.0 / Y.shape[1]
        flat *= inv_m
        if self.l2:
            for l in range(1, self.L + 1):
                grads[f"dW{l}"] += (self.l2 * inv_m) * self._W[l]
        if self.l1:
            for l in range(1, self.L + 1):
                grads[f"dW{l}"] += (self.l1 * inv_m) * np.sign(self._W[l])
        return grads

    def hidden_values(self) -> list[tuple[Array, Array]]:
        """(Z[l], g(Z[l])) of each hidden layer in the last training forward (before dropout)."""
        if self._cache is None:
            raise RuntimeError("hidden_values() needs a forward(X, training=True) first")
        space = self._cache[0]
        return list(zip(space.Z[: self.L - 1], space.G, strict=True))

    def inference_affine(self, l: int) -> tuple[Array, Array]:
        """(W[l], b[l]): layer l at inference is Z[l] = W[l] A[l-1] + b[l]."""
        return self.params[f"W{l}"], self.params[f"b{l}"]

    def batch_cost(self, X: Array, Y: Array) -> float:
        """J with dropout off, as the training forward computes it (what gradcheck perturbs)."""
        return self.cost(X, Y)

    def last_z(self, X: Array) -> Array:
        """Z[L] for X with dropout off (the loss is computed from Z for stability)."""
        A, params = X, self.params
        for l in range(1, self.L):
            Z = np.dot(params[f"W{l}"], A)
            Z += params[f"b{l}"]
            A = self.hidden.value(Z, self.slope(l))
        Z = np.dot(params[f"W{self.L}"], A)
        Z += params[f"b{self.L}"]
        return Z

    def l2_cost(self, m: int) -> float:
        """lambda/(2m) * sum_l ||W[l]||_F^2."""
        if not self.l2:
            return 0.0
        total = sum(float(np.sum(self._W[l] ** 2)) for l in range(1, self.L + 1))
        return self.l2 / (2 * m) * total

    def l1_cost(self, m: int) -> float:
        """lambda1/m * sum_l sum |W[l]|."""
        if not self.l1:
            return 0.0
        total = sum(float(np.sum(np.abs(self._W[l]))) for l in range(1, self.L + 1))
        return self.l1 / m * total

    def penalty(self, m: int) -> float:
        """The regularization terms of J: lambda/(2m) sum ||W||^2 + lambda1/m sum |W|."""
        return self.l2_cost(m) + self.l1_cost(m)

    def project_slopes(self) -> None:
        """Keep learned leaky slopes in [0, 1] (after each update): a = clip(a, 0, 1)."""
        if self.learn_slope:
            for l in range(1, self.L):
                np.clip(self.params[f"slope{l}"], 0.0, 1.0, out=self.params[f"slope{l}"])

    def last_output(self) -> tuple[Array, Array]:
        """(Z[L], A[L]) of the last training forward (buffers the next one overwrites)."""
        if self._cache is None:
            raise RuntimeError("last_output() needs a forward(X, training=True) first")
        space = self._cache[0]
        return space.Z[-1], space.AL

    def training_cost(self, Y: Array) -> float:
        """J of the last training forward (with its dropout mask), plus the L2 and L1 terms."""
        Z, AL = self.last_output()
        return self.output.loss(Z, AL, Y) + self.penalty(Y.shape[1])

    def cost(self, X: Array, Y: Array) -> float:
        """J = loss + lambda/(2m) sum ||W||^2 + lambda1/m sum |W|, with dropout off."""
        return self.evaluate(X, Y)[0]

    def evaluate(self, X: Array, Y: Array) -> tuple[float, Array]:
        """(J, A[L]) from one forward pass with dropout off."""
        Z = self.last_z(X)
        AL = self.output.activation(Z)
        return self.output.loss(Z, AL, Y) + self.penalty(Y.shape[1]), AL
