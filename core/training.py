"""Trainer: turns a TrainConfig into deterministic steps, metrics and divergence."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from core.batchnorm import BatchNormNetwork
from core.config import OptimizerConfig, TrainConfig
from core.confusion import ClassFigures, accuracy, class_figures
from core.datasets import load_split, make_features
from core.losses import Output, output_for
from core.network import Network
from core.optimizers import OPTIMIZERS, Optimizer, make_optimizer

Array = np.ndarray
DIVERGENCE_COST = 1e6
CHUNK = 64  # iterations whose costs are computed together (their outputs stay in cache)
LIVE_SETTINGS = {
    "optimizer": ("learning_rate", "batch_size", "beta", "beta1", "beta2", "epsilon", "decay"),
    "regularization": ("l2", "l1", "keep_prob"),
    "network": ("leaky_slope",),
}  # the settings a running trainer can change (Trainer.apply), by config section
LIVE_SECTION = {name: section for section, names in LIVE_SETTINGS.items() for name in names}


@dataclass(frozen=True)
class Metrics:
    """Where training stands: counters and full-set figures with dropout off."""

    iteration: int
    epoch: int
    cost_train: float  # J: the training loss plus the L2 and L1 terms, as the course defines it
    loss_train: float  # the training loss alone
    cost_test: float | None  # the test loss alone (a penalty over the test set's m means nothing)
    accuracy_train: float | None
    accuracy_test: float | None
    rmse_train: float | None
    rmse_test: float | None
    learning_rate: float


@dataclass(frozen=True)
class StepResult:
    """Every iteration's training cost (of the forward that was trained on) and the metrics."""

    costs: Array
    noisy: bool
    metrics: Metrics | None
    diverged: str | None


def build_network(config: TrainConfig) -> Network:
    """The Network a config describes, initialised from config.seed."""
    net, reg = config.network, config.regularization
    kind = BatchNormNetwork if net.batch_norm else Network
    return kind(
        config.layer_sizes,
        activation=net.activation,
        output_activation=output_for(net.output, config.dataset.classes),
        init=net.init,
        l2=reg.l2,
        l1=reg.l1,
        keep_prob=reg.keep_prob,
        leaky_slope=net.leaky_slope,
        learn_slope=net.learn_slope,
        seed=config.seed,
        init_scale=net.init_scale,
        init_seed=net.init_seed,
    )


def build_optimizer(config: OptimizerConfig) -> Optimizer:
    """The optimizer a config describes, with only the hyperparameters it uses."""
    names = OPTIMIZERS[config.name].hyperparameters
    extra = {name: getattr(config, name) for name in names}
    return make_optimizer(config.name, config.learning_rate, decay=config.decay, **extra)


class Trainer:
    """Runs one config: same config and seed give bit-identical costs and weights."""

    def __init__(self, config: TrainConfig, initial_params: dict[str, Array] | None = None):
        self.config = config
        data = config.dataset
        split_rng = np.random.default_rng([data.seed, 1])
        self.raw_train, self.Y_train, self.raw_test, self.Y_test = load_split(
            data, config.network.output, split_rng
        )
        self.X_train = make_features(self.raw_train, config.features)
        self.X_test = make_features(self.raw_test, config.features)
        self.extent = data_extent(np.hstack([self.raw_train, self.raw_test]))
        self._initial_params = initial_params
        self.reset()

    @property
    def problem(self) -> str:
        """'classification' or 'regression'."""
        return self.config.network.output

    def reset(self) -> None:
        """Back to iteration 0: initial weights, zero optimizer buffers, fresh generators."""
        self.network = build_network(self.config)
        if self._initial_params is not None:
            load_params(self.network, self._initial_params)
        self.optimizer = build_optimizer(self.config.optimizer)
        self._gradient = np.empty_like(self.network.theta)  # every backward writes here
        self.previous_theta = self.network.theta.copy()  # theta before the last update
        # reused chunk after chunk: fresh large buffers would cost page faults every time
        self._record = CostRecord(CHUNK, self.X_train.shape[1], self.network.output)
        self.batch_rng = np.random.default_rng([self.config.seed, 2])
        self.iteration = 0
        self.epoch = 0
        self._batches: list[tuple[Array, Array]] = []
        self.epoch_order: Array | None = None  # this epoch's shuffle (None: batch GD)
        self.last_grads: dict[str, Array] = {}
        self.diverged: str | None = None

    def _next_batch(self) -> tuple[Array, Array]:
        """The next (X, Y) batch; a new epoch reshuffles (batch GD: the whole set)."""
        if not self._batches:
            self.optimizer.start_epoch(self.epoch)
            self._batches = self._epoch_batches()
        return self._batches.pop()

    def _epoch_batches(self) -> list[tuple[Array, Array]]:
        """One epoch's batches in reverse order (popped from the end); last batch smaller."""
        m, size = self.X_train.shape[1], self.config.optimizer.batch_size
        self.epoch_order = None if size is None or size >= m else self.batch_rng.permutation(m)
        return self.batches_of(self.epoch_order)

    def batches_of(self, order: Array | None) -> list[tuple[Array, Array]]:
        """An epoch's batches from its shuffle, in reverse order (batch GD: the whole set)."""
        if order is None:
            return [(self.X_train, self.Y_train)]
        size = self.config.optimizer.batch_size or order.size
        batches = [order[i : i + size] for i in range(0, order.size, size)]
        return [(self.X_train[:, idx], self.Y_train[:, idx]) for idx in reversed(batches)]

    @property
    def batches_left(self) -> int:
        """Batches of the current epoch not yet trained on."""
        return len(self._batches)

    def resume_epoch(self, order: Array | None, batches_left: int) -> None:
        """Continue an epoch whose shuffle was `order`, with `batches_left` batches to go."""
        self.epoch_order = order
        self._batches = self.batches_of(order)[:batches_left]  # the last batches_left, reversed

    def step(self, n: int = 1, metrics: bool = True) -> StepResult:
        """Make up to n parameter updates; stops at the first cost that diverges.

        metrics=False skips the full-set evaluation (StepResult.metrics is then None).
        """
        costs: list[Array] = []
        done = 0
        with np.errstate(all="ignore"):
            while done < n and self.diverged is None:
                chunk = self._train_chunk(min(n - done, CHUNK))
                costs.append(chunk)
                done += len(chunk)
            evaluated = self.metrics() if metrics else None
        noisy = self.config.regularization.keep_prob < 1.0
        return StepResult(
            np.concatenate(costs) if costs else np.empty(0), noisy, evaluated, self.diverged
        )

    def _train_chunk(self, n: int) -> Array:
        """n updates; each iteration's cost is computed afterwards in one vectorised pass."""
        network, optimizer, gradient = self.network, self.optimizer, self._gradient
        theta, d_theta = {"theta": network.theta}, {"dtheta": gradient}
        record = self._record
        record.clear()
        penalties = []
        penalised, learns_slope = bool(network.l2 or network.l1), network.learn_slope
        last = n - 1
        for i in range(n):
            if i == last:  # the last update is theta - previous_theta (for update/weight ratios)
                np.copyto(self.previous_theta, network.theta)
            X, Y = self._next_batch()
            network.forward(X, training=True)
            record.add(*network.last_output(), Y)
            if penalised:
                penalties.append(network.penalty(Y.shape[1]))
            self.last_grads = network.backward(Y, out=gradient)
            optimizer.update(theta, d_theta)  # one update for all parameters
            if learns_slope:
                network.project_slopes()
            self.iteration += 1
            if not self._batches:
                self.epoch += 1
        costs = record.costs()
        if penalties:
            costs += np.array(penalties)
        bad = np.flatnonzero(~(costs <= DIVERGENCE_COST))  # catches NaN too
        if bad.size:
            first = int(bad[0])
            self.iteration -= n - first
            self.diverged = divergence_message(self.iteration + 1, costs[first], optimizer)
            return costs[:first]
        return costs

    def metrics(self) -> Metrics:
        """Counters plus train/test cost and accuracy (or RMSE), dropout off, in float64."""
        network = self.network
        with np.errstate(all="ignore"):
            Z_train = network.last_z(self.X_train)
            Z_test = network.last_z(self.X_test)
        return self.metrics_from_outputs(Z_train, Z_test)

    def metrics_from_outputs(self, Z_train: Array, Z_test: Array) -> Metrics:
        """Metrics from Z[L] (dropout off) of the training and test sets."""
        classify = self.problem == "classification"
        with np.errstate(all="ignore"):
            train = figures(self.network, Z_train, self.Y_train, classify)
            test = figures(self.network, Z_test, self.Y_test, classify)
        return Metrics(
            iteration=self.iteration,
            epoch=self.epoch,
            cost_train=float(train[0]) + self.network.penalty(self.Y_train.shape[1]),
            loss_train=float(train[0]),
            cost_test=test[0],
            accuracy_train=train[1] if classify else None,
            accuracy_test=test[1] if classify else None,
            rmse_train=None if classify else train[1],
            rmse_test=None if classify else test[1],
            learning_rate=self.optimizer.learning_rate,
        )

    def apply(self, **changes: float | int | None) -> None:
        """Change settings that need no reset (learning rate, betas, batch size, l2, l1,
        keep_prob, leaky slope)."""
        config = self.config
        for section, names in LIVE_SETTINGS.items():
            values = {k: v for k, v in changes.items() if k in names}
            if values:
                part = dataclasses.replace(getattr(config, section), **values)
                config = dataclasses.replace(config, **{section: part})
        unknown = set(changes) - set(LIVE_SECTION)
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} without a reset")
        self.config = config
        opt, reg, net = config.optimizer, config.regularization, self.network
        if "learning_rate" in changes:
            self.optimizer.set_learning_rate(opt.learning_rate)
        for name in ("beta", "beta1", "beta2", "epsilon", "decay"):
            if name in changes and hasattr(self.optimizer, name):
                setattr(self.optimizer, name, float(getattr(opt, name)))
        if "batch_size" in changes:
            self._batches = []
        net.l2, net.l1, net.keep_prob = reg.l2, reg.l1, reg.keep_prob
        if not net.learn_slope:
            net.leaky_slope = config.network.leaky_slope

    def class_figures(self) -> tuple[ClassFigures, ClassFigures | None]:
        """Confusion matrices and per-class accuracy of the train and test sets, dropout off."""
        with np.errstate(all="ignore"):
            Z_train, Z_test = self.network.last_z(self.X_train), self.network.last_z(self.X_test)
        return self.class_figures_from_outputs(Z_train, Z_test)

    def class_figures_from_outputs(
        self, Z_train: Array, Z_test: Array
    ) -> tuple[ClassFigures, ClassFigures | None]:
        """class_figures() from Z[L] (dropout off) of the training and test sets."""
        output = self.network.output.activation
        with np.errstate(all="ignore"):
            train = class_figures(output(Z_train), self.Y_train)
            if Z_test.shape[1] == 0:
                return train, None
            return train, class_figures(output(Z_test), self.Y_test)

    def gradient_norms(self) -> list[float]:
        """||dW[l]||_F for each layer from the last update (zeros before the first)."""
        L = self.network.L
        grads = [self.last_grads.get(f"dW{l}") for l in range(1, L + 1)]
        return [0.0 if dW is None else float(np.sqrt(np.vdot(dW, dW))) for dW in grads]


def batches_per_epoch(m: int, batch_size: int | None) -> int:
    """ceil(m / batch_size): an epoch's updates, its last batch the m mod batch_size left over
    (kept, not dropped); batch gradient descent (None, or a batch of m or more) makes one."""
    if batch_size is None or batch_size >= m:
        return 1
    return -(-m // batch_size)


class CostRecord:
    """Each iteration's Z[L], A[L] (and Y, unless it is the whole training set every time)
    copied end to end into flat buffers, so a chunk's costs take one vectorised pass and no
    iteration's arrays are kept alive."""

    def __init__(self, iterations: int, largest_batch: int, output: Output) -> None:
        size = iterations * largest_batch
        self.Z, self.A, self.Y = np.zeros(size), np.zeros(size), np.zeros(size)
        self.output = output
        self.clear()

    def clear(self) -> None:
        """Forget the recorded iterations (the buffers stay)."""
        self.starts: list[int] = []
        self.end = 0
        self.same_Y: Array | None = None  # the one Y of every iteration so far, if so
        self.direct: list[float] = []  # several output units (softmax): each cost at once

    def add(self, Z: Array, A: Array, Y: Array) -> None:
        """Append one iteration's output layer and labels (several units: its cost)."""
        if Z.shape[0] > 1:  # the loss needs each column whole (log-sum-exp): compute it now
            self.direct.append(self.output.loss(Z, A, Y))
            return
        start, self.end = self.end, self.end + Z.size
        self.Z[start : self.end], self.A[start : self.end] = Z.ravel(), A.ravel()
        if not self.starts:
            self.same_Y = Y
        elif self.same_Y is not None and Y is not self.same_Y:
            self.Y[:start] = np.tile(self.same_Y.ravel(), len(self.starts))
            self.same_Y = None
        if self.same_Y is None:
            self.Y[start : self.end] = Y.ravel()
        self.starts.append(start)

    def costs(self) -> Array:
        """J of each iteration: its per-example losses summed, / its batch size."""
        if self.direct:
            return np.array(self.direct)
        if not self.starts:
            return np.empty(0)
        end, losses = self.end, self.output.losses
        if self.same_Y is not None:  # batch GD: rows of one (iterations, m) block, Y broadcast
            m = self.same_Y.size
            Z, A = self.Z[:end].reshape(-1, m), self.A[:end].reshape(-1, m)
            return losses(Z, A, self.same_Y.reshape(1, m)).sum(axis=1) / m
        sizes = np.diff([*self.starts, end])
        return (
            np.add.reduceat(losses(self.Z[:end], self.A[:end], self.Y[:end]), self.starts) / sizes
        )


def data_extent(X: Array, margin: float = 0.1) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max) spanning the points plus a margin of the range."""
    lows, highs = X.min(axis=1), X.max(axis=1)
    pad = np.maximum((highs - lows) * margin, 1e-3)
    return (
        float(lows[0] - pad[0]),
        float(highs[0] + pad[0]),
        float(lows[1] - pad[1]),
        float(highs[1] + pad[1]),
    )


def figures(
    network: Network, Z: Array, Y: Array, classify: bool
) -> tuple[float | None, float | None]:
    """(J, accuracy) or (J, RMSE) from Z[L]; (None, None) for an empty set.

    accuracy = mean(1[predicted class == class]) (predicted: 1[a > 0.5], or argmax_k a_k);
    RMSE = sqrt(mean (a - y)^2);  the loss without the L2/L1 terms (Metrics adds them to J).
    """
    if Z.shape[1] == 0:
        return None, None
    AL = network.output.activation(Z)
    cost = network.output.loss(Z, AL, Y)
    if classify:
        return cost, accuracy(AL, Y)
    return cost, float(np.sqrt(np.mean((AL - Y) ** 2)))


def divergence_message(iteration: int, cost: float, optimizer: Optimizer) -> str:
    """Plain words for a cost that became NaN, infinite or larger than 1e6."""
    what = "not a number" if np.isnan(cost) else ("infinite" if np.isinf(cost) else f"{cost:.3g}")
    return (
        f"Training diverged at iteration {iteration}: the cost became {what}. "
        f"The learning rate ({optimizer.learning_rate:g}) is probably too large: "
        "try a smaller one, then reset."
    )


def load_params(network: Network, params: dict[str, Array]) -> None:
    """Copy given parameters into the network, checking every shape."""
    for name, value in params.items():
        array = np.asarray(value, dtype=np.float64)
        if name not in network.params:
            raise ValueError(f"{name}: this network has no such parameter")
        if array.shape != network.params[name].shape:
            raise ValueError(
                f"{name}: shape {array.shape} does not fit {network.params[name].shape}"
            )
        network.params[name][...] = array  # into theta
