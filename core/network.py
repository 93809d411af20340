"""A fully connected network in the course's notation, with vectorised forward and backward.

X is (n_0, m) with examples as columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
Forward:  Z[l] = W[l] A[l-1] + b[l];  A[l] = g(Z[l]);  inverted dropout on hidden layers.
Backward: dZ[L] = A[L] - Y;  dW[l] = (1/m) dZ[l] A[l-1]^T + (lambda/m) W[l];
          db[l] = (1/m) sum_i dZ[l];  dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]).

All parameters live in one flat vector `theta` (and the gradients of a backward pass in one
flat vector too); `params["W1"]` and the others are reshaped views into it. An optimizer can
so update every parameter with a handful of NumPy calls instead of a handful per parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.activations import ACTIVATIONS, leaky_relu_slope_derivative
from core.initializers import INITIALIZERS
from core.losses import OUTPUTS

Array = np.ndarray

OUTPUT_ALIASES = {"sigmoid": "classification", "linear": "regression"}


class Network:
    """Parameters "W1", "b1", ... (and "slope1", ... when the leaky slope is learned)."""

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        init: str = "xavier",
        l2: float = 0.0,
        keep_prob: float = 1.0,
        leaky_slope: float = 0.01,
        learn_slope: bool = False,
        seed: int = 0,
        init_scale: float = 0.01,
        rng: np.random.Generator | None = None,
    ) -> None:
        if len(layer_sizes) < 2 or min(layer_sizes) < 1:
            raise ValueError(f"layer_sizes needs >= 2 positive sizes, got {list(layer_sizes)}")
        self.layer_sizes = tuple(int(n) for n in layer_sizes)
        self.L = len(self.layer_sizes) - 1
        self.hidden = ACTIVATIONS[activation]
        self.output = OUTPUTS[OUTPUT_ALIASES.get(output_activation, output_activation)]
        self.l2 = float(l2)
        self.keep_prob = float(keep_prob)
        self.leaky_slope = float(leaky_slope)
        self.learn_slope = bool(learn_slope) and activation == "leaky_relu"
        seeds = np.random.SeedSequence(seed).spawn(2)
        self.rng = rng if rng is not None else np.random.default_rng(seeds[1])
        self._shapes = self._parameter_shapes()
        self.theta = np.zeros(sum(int(np.prod(shape)) for shape in self._shapes.values()))
        self.params = self.views(self.theta)
        self._initialise(init, init_scale, np.random.default_rng(seeds[0]))
        self._w = [f"W{l}" for l in range(self.L + 1)]
        self._b = [f"b{l}" for l in range(self.L + 1)]
        self._cache: tuple[list[Array], list[Array], list[Array], list[Array | None]] | None = None
        self._gradient_views: tuple[Array | None, dict[str, Array]] = (None, {})

    def _parameter_shapes(self) -> dict[str, tuple[int, int]]:
        """Names and shapes in theta's order: W1, b1, ..., WL, bL, then slope1, ... if learned."""
        shapes = {}
        for l in range(1, self.L + 1):
            n_out, n_in = self.layer_sizes[l], self.layer_sizes[l - 1]
            shapes[f"W{l}"], shapes[f"b{l}"] = (n_out, n_in), (n_out, 1)
        if self.learn_slope:
            shapes.update({f"slope{l}": (1, 1) for l in range(1, self.L)})
        return shapes

    def views(self, flat: Array, prefix: str = "") -> dict[str, Array]:
        """{prefix + name: the parameter's part of flat, reshaped} (views, not copies)."""
        views, start = {}, 0
        for name, shape in self._shapes.items():
            size = shape[0] * shape[1]
            views[prefix + name] = flat[start : start + size].reshape(shape)
            start += size
        return views

    def _initialise(self, init: str, scale: float, rng: np.random.Generator) -> None:
        """W[l] from the initializer, b[l] = 0, slope[l] = leaky_slope."""
        draw = INITIALIZERS[init].draw
        for l in range(1, self.L + 1):
            n_out, n_in = self.layer_sizes[l], self.layer_sizes[l - 1]
            self.params[f"W{l}"][...] = draw(rng, n_out, n_in, scale)
        for l in range(1, self.L if self.learn_slope else 1):
            self.params[f"slope{l}"][...] = self.leaky_slope

    def __getstate__(self) -> dict:
        """Pickled and deep-copied without the views (they would become separate copies)."""
        state = self.__dict__.copy()
        del state["params"]
        return state

    def __setstate__(self, state: dict) -> None:
        """Views into the restored theta again."""
        self.__dict__.update(state)
        self.params = self.views(self.theta)
        self._gradient_views = (None, {})

    def slope(self, l: int) -> float:
        """The leaky slope used by hidden layer l (learned or fixed)."""
        return float(self.params[f"slope{l}"][0, 0]) if self.learn_slope else self.leaky_slope

    def forward(self, X: Array, training: bool = False) -> Array:
        """A[L] for X of shape (n_0, m); training=True caches for backward and applies dropout."""
        params, g = self.params, self.hidden.value
        drop = training and self.keep_prob < 1.0
        A = X
        inputs, Zs, Gs, masks = [X], [], [], []
        for l in range(1, self.L):
            Z = params[self._w[l]] @ A
            Z += params[self._b[l]]
            A = g(Z, self.slope(l))
            if training:
                Zs.append(Z)
                Gs.append(A)
            if drop:
                D = self.rng.random(A.shape) < self.keep_prob
                A = A * D
                A /= self.keep_prob
                masks.append(D)
            inputs.append(A)
        Z = params[self._w[self.L]] @ A
        Z += params[self._b[self.L]]
        AL = self.output.activation(Z)
        if training:
            Zs.append(Z)
            Gs.append(AL)
            self._cache = (inputs, Zs, Gs, masks if drop else [])
        return AL

    def backward(self, Y: Array, out: Array | None = None) -> dict[str, Array]:
        """Gradients "dW1", "db1", ... of the cost (with L2) for the last training forward.

        They are views into one flat vector shaped like theta: `out` if given (reused by the
        Trainer), else a new one.
        """
        if self._cache is None:
            raise RuntimeError("backward() needs a forward(X, training=True) first")
        inputs, Zs, Gs, masks = self._cache
        params, m = self.params, Y.shape[1]
        flat = np.empty_like(self.theta) if out is None else out
        if self._gradient_views[0] is not flat:
            self._gradient_views = (flat, self.views(flat, prefix="d"))
        grads = self._gradient_views[1]
        derivative = self.hidden.derivative
        dZ = Gs[-1] - Y
        for l in range(self.L, 0, -1):  # sums first; all scaled by 1/m at the end
            W = params[self._w[l]]
            np.matmul(dZ, inputs[l - 1].T, out=grads["d" + self._w[l]])
            np.add.reduce(dZ, axis=1, keepdims=True, out=grads["d" + self._b[l]])
            if l == 1:
                break
            dA = W.T @ dZ
            if masks:
                dA *= masks[l - 2]
                dA /= self.keep_prob
            Z = Zs[l - 2]
            if self.learn_slope:
                grads[f"dslope{l - 1}"][...] = np.sum(dA * leaky_relu_slope_derivative(Z))
            dZ = dA * derivative(Z, Gs[l - 2], self.slope(l - 1))
        inv_m = 1.0 / m
        flat *= inv_m
        if self.l2:
            for l in range(1, self.L + 1):
                grads["d" + self._w[l]] += (self.l2 * inv_m) * params[self._w[l]]
        return grads

    def last_z(self, X: Array) -> Array:
        """Z[L] for X with dropout off (the loss is computed from Z for stability)."""
        A = X
        for l in range(1, self.L):
            Z = self.params[self._w[l]] @ A + self.params[self._b[l]]
            A = self.hidden.value(Z, self.slope(l))
        return self.params[self._w[self.L]] @ A + self.params[self._b[self.L]]

    def l2_cost(self, m: int) -> float:
        """lambda/(2m) * sum_l ||W[l]||_F^2."""
        if not self.l2:
            return 0.0
        total = sum(float(np.sum(self.params[self._w[l]] ** 2)) for l in range(1, self.L + 1))
        return self.l2 / (2 * m) * total

    def last_output(self) -> tuple[Array, Array]:
        """(Z[L], A[L]) of the last training forward."""
        if self._cache is None:
            raise RuntimeError("last_output() needs a forward(X, training=True) first")
        return self._cache[1][-1], self._cache[2][-1]

    def training_cost(self, Y: Array) -> float:
        """J of the last training forward (with its dropout mask), plus the L2 term."""
        Z, AL = self.last_output()
        return self.output.loss(Z, AL, Y) + self.l2_cost(Y.shape[1])

    def cost(self, X: Array, Y: Array) -> float:
        """J = loss + lambda/(2m) sum ||W||^2, computed with dropout off."""
        return self.evaluate(X, Y)[0]

    def evaluate(self, X: Array, Y: Array) -> tuple[float, Array]:
        """(J, A[L]) from one forward pass with dropout off."""
        Z = self.last_z(X)
        AL = self.output.activation(Z)
        return self.output.loss(Z, AL, Y) + self.l2_cost(Y.shape[1]), AL
