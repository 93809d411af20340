"""Optimizers with the course's update rules; every buffer starts at zero.

gd:       W -= a dW
momentum: v = b v + (1-b) dW;              W -= a v
rmsprop:  s = b s + (1-b) dW^2;            W -= a dW / (sqrt(s) + eps)
adam:     v = b1 v + (1-b1) dW;  s = b2 s + (1-b2) dW^2;  t = t + 1
          v^ = v / (1-b1^t);  s^ = s / (1-b2^t);  W -= a v^ / (sqrt(s^) + eps)
decay:    a = a0 / (1 + decay * epoch)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.hyperparameters import Hyperparameter

Array = np.ndarray


class Optimizer:
    """Updates params in place from grads keyed "d" + name; learning rate decays per epoch."""

    buffer_count = 0  # moment buffers per parameter

    def __init__(self, learning_rate: float, decay: float = 0.0, **hyperparameters: float) -> None:
        self.base_learning_rate = float(learning_rate)
        self.learning_rate = float(learning_rate)
        self.decay = float(decay)
        self.t = 0
        self.state: dict[str, list[Array]] = {}  # per parameter, buffer_count buffers
        for name, value in hyperparameters.items():
            setattr(self, name, float(value))

    def start_epoch(self, epoch: int) -> None:
        """a = a0 / (1 + decay * epoch)."""
        self.learning_rate = self.base_learning_rate / (1.0 + self.decay * epoch)

    def set_learning_rate(self, learning_rate: float) -> None:
        """Change a0 live; the decay schedule keeps its epoch."""
        self.learning_rate *= float(learning_rate) / self.base_learning_rate
        self.base_learning_rate = float(learning_rate)

    def update(self, params: dict[str, Array], grads: dict[str, Array]) -> None:
        """One update of every parameter that has a gradient."""
        self.t += 1
        for name, W in params.items():
            dW = grads.get("d" + name)
            if dW is not None:
                self.step(name, W, dW)

    def buffers(self, name: str, W: Array, count: int) -> list[Array]:
        """This parameter's zero-initialised moment buffers."""
        found = self.state.get(name)
        if found is None:
            found = self.state[name] = [np.zeros_like(W) for _ in range(count)]
        return found

    def step(self, name: str, W: Array, dW: Array) -> None:
        """Update W in place from dW."""
        raise NotImplementedError


class GradientDescent(Optimizer):
    """W -= a dW."""

    buffer_count = 0  # moment buffers per parameter

    def step(self, name: str, W: Array, dW: Array) -> None:
        """W -= a dW."""
        W -= self.learning_rate * dW


class Momentum(Optimizer):
    """v = b v + (1-b) dW; W -= a v."""

    buffer_count = 1  # moment buffers per parameter

    beta: float

    def step(self, name: str, W: Array, dW: Array) -> None:
        """v = b v + (1-b) dW; W -= a v."""
        (v,) = self.buffers(name, W, self.buffer_count)
        v *= self.beta
        v += (1.0 - self.beta) * dW
        W -= self.learning_rate * v


class RMSprop(Optimizer):
    """s = b s + (1-b) dW^2; W -= a dW / (sqrt(s) + eps)."""

    buffer_count = 1  # moment buffers per parameter

    beta: float
    epsilon: float

    def step(self, name: str, W: Array, dW: Array) -> None:
        """s = b s + (1-b) dW^2; W -= a dW / (sqrt(s) + eps)."""
        (s,) = self.buffers(name, W, self.buffer_count)
        s *= self.beta
        s += (1.0 - self.beta) * (dW * dW)
        W -= self.learning_rate * dW / (np.sqrt(s) + self.epsilon)


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias correction by (1 - b^t)."""

    buffer_count = 2  # moment buffers per parameter

    beta1: float
    beta2: float
    epsilon: float

    def step(self, name: str, W: Array, dW: Array) -> None:
        """W -= a v^ / (sqrt(s^) + eps) with v^ = v/(1-b1^t), s^ = s/(1-b2^t)."""
        v, s = self.buffers(name, W, self.buffer_count)
        v *= self.beta1
        v += (1.0 - self.beta1) * dW
        s *= self.beta2
        s += (1.0 - self.beta2) * (dW * dW)
        v_hat = v / (1.0 - self.beta1**self.t)
        s_hat = s / (1.0 - self.beta2**self.t)
        W -= self.learning_rate * v_hat / (np.sqrt(s_hat) + self.epsilon)


BETA = Hyperparameter(0.9, 0.0, 0.9999, "b: weight of the running average (~1/(1-b) steps)")
BETA1 = Hyperparameter(0.9, 0.0, 0.9999, "b1: first-moment (momentum) average")
BETA2 = Hyperparameter(0.999, 0.0, 0.999999, "b2: second-moment (RMS) average")
EPSILON = Hyperparameter(1e-8, 1e-12, 1.0, "eps: keeps the division finite")
LEARNING_RATE = Hyperparameter(0.01, 1e-7, 100.0, "a: step size")
DECAY = Hyperparameter(0.0, 0.0, 10.0, "a = a0 / (1 + decay * epoch)")
COMMON_HYPERPARAMETERS = {"learning_rate": LEARNING_RATE, "decay": DECAY}  # every optimizer's


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer class with the extra hyperparameters it uses."""

    name: str
    kind: type[Optimizer]
    description: str
    hyperparameters: dict[str, Hyperparameter]
    learning_rate: float = 0.01  # a rate to start from on the playground's small problems


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "gd": OptimizerSpec("gd", GradientDescent, "gradient descent: W -= a dW", {}, 1.2),
    "momentum": OptimizerSpec(
        "momentum", Momentum, "v = b v + (1-b) dW; W -= a v", {"beta": BETA}, 1.2
    ),
    "rmsprop": OptimizerSpec(
        "rmsprop",
        RMSprop,
        "s = b s + (1-b) dW^2; W -= a dW/(sqrt(s)+eps)",
        {"beta": BETA, "epsilon": EPSILON},
    ),
    "adam": OptimizerSpec(
        "adam",
        Adam,
        "momentum + RMSprop with bias correction",
        {"beta1": BETA1, "beta2": BETA2, "epsilon": EPSILON},
    ),
}


def make_optimizer(name: str, learning_rate: float, **hyperparameters: float) -> Optimizer:
    """The named optimizer; unspecified hyperparameters take their defaults."""
    spec = OPTIMIZERS[name]
    decay = hyperparameters.pop("decay", 0.0)
    unknown = set(hyperparameters) - set(spec.hyperparameters)
    if unknown:
        raise ValueError(f"optimizer {name!r} takes no {sorted(unknown)}")
    values = {key: hp.default for key, hp in spec.hyperparameters.items()}
    values.update(hyperparameters)
    return spec.kind(learning_rate, decay=decay, **values)
