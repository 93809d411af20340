"""The course's tables, row by row, from the table lessons (core/lessons.py): the course's own
data, its own initial weights, its figures.

Which rows are exact, and why:
- hidden-layer sizes (flower) and initialization (circles) run full-batch gradient descent
  from the notebook's own numbers, so Descent follows the notebook's run; what can differ is
  the order of floating-point sums (Descent multiplies [W | b] by [A; 1], the notebook adds b
  after W A; BLAS may block sums differently). Each row is compared with the notebook's loop
  written here as the notebook writes it: the drift of the outputs between the two is measured
  and must stay below the row's margin (the training point nearest to 0.5), so no prediction
  can flip. That holds for 1 to 5 units and for the three circles rows; closest calls: the 1-
  and 2-unit rows (a point within 1.3e-4 and 6e-4 of 0.5; the drift stays under a tenth of
  that) and randn x 10 (drift about 1e-3 against a margin of 5e-3).
  The 20- and 50-unit rows are sensitive to floating-point order: at learning rate 1.2 their
  runs are chaotic, Descent's and the notebook's loop part after a few thousand iterations
  (outputs differ by up to 0.5 at the end) and land on 90% / 90.25% (Descent: the published
  notebook's figures) and 90.5% / 90.75% (the loop below, on this machine). Those rows are
  pinned to the course's figure within 0.75% whether or not the two runs part (they parted
  on one run of this machine and not on the next: the order of BLAS sums decides).
  The zeros row is exact by symmetry: every unit stays equal and the output's bias gradient is
  mean(A - Y) = 0 on the balanced circles, so A = 0.5 exactly and every prediction is 0.
- the optimizers' rows (moons) are not point for point: the notebook reshuffles its
  mini-batches with np.random.seed(10 + epoch), Descent with the run's own generator, so the
  runs differ after the first epoch; the figures agree at the notebook's printed precision.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import Trainer
from core.lessons import (
    COURSE_HIDDEN_SIZES,
    COURSE_INITIALIZATION,
    COURSE_OPTIMIZERS,
    LESSONS,
    Racer,
)

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """1 / (1 + e^-z), as the notebooks write it."""
    return 1 / (1 + np.exp(-z))


def notebook_flower_model(X: Array, Y: Array, n_h: int, iterations: int) -> Array:
    """The planar notebook's nn_model (seed 2, randn * 0.01, tanh, lr 1.2); A2 at the end."""
    state = np.random.RandomState(2)
    W1, b1 = state.randn(n_h, 2) * 0.01, np.zeros((n_h, 1))
    W2, b2 = state.randn(1, n_h) * 0.01, np.zeros((1, 1))
    m = X.shape[1]
    for _ in range(iterations):
        A1 = np.tanh(np.dot(W1, X) + b1)
        A2 = sigmoid(np.dot(W2, A1) + b2)
        dZ2 = A2 - Y
        dW2, db2 = np.dot(dZ2, A1.T) / m, np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
        dW1, db1 = np.dot(dZ1, X.T) / m, np.sum(dZ1, axis=1, keepdims=True) / m
        W1, b1, W2, b2 = W1 - 1.2 * dW1, b1 - 1.2 * db1, W2 - 1.2 * dW2, b2 - 1.2 * db2
    return sigmoid(np.dot(W2, np.tanh(np.dot(W1, X) + b1)) + b2)


def notebook_init_model(X: Array, Y: Array, init: str, sets: list[Array]) -> list[Array]:
    """The initialization notebook's model ([2, 10, 5, 1], ReLU, lr 0.01, 15,000 iterations);
    the output A3 on each of `sets` at the end."""
    dims, state = [2, 10, 5, 1], np.random.RandomState(3)
    params = {}
    for l in range(1, 4):
        shape = (dims[l], dims[l - 1])
        if init == "zeros":
            params[f"W{l}"] = np.zeros(shape)
        elif init == "random":
            params[f"W{l}"] = state.randn(*shape) * 10
        else:
            params[f"W{l}"] = state.randn(*shape) * np.sqrt(2.0 / dims[l - 1])
        params[f"b{l}"] = np.zeros((dims[l], 1))

    def forward(A: Array) -> list[Array]:
        out = [A]
        for l in range(1, 4):
            Z = np.dot(params[f"W{l}"], out[-1]) + params[f"b{l}"]
            out.append(sigmoid(Z) if l == 3 else np.maximum(0, Z))
        return out

    m = X.shape[1]
    for _ in range(15_000):
        A = forward(X)
        dZ = A[3] - Y
        for l in range(3, 0, -1):
            dW = np.dot(dZ, A[l - 1].T) / m
            db = np.sum(dZ, axis=1, keepdims=True) / m
            if l > 1:
                dZ = np.dot(params[f"W{l}"].T, dZ) * (A[l - 1] > 0)
            params[f"W{l}"] -= 0.01 * dW
            params[f"b{l}"] -= 0.01 * db
    return [forward(S)[3] for S in sets]


def trained(racer: Racer, iterations: int) -> Trainer:
    """The lesson's lane trained for the lesson's iterations."""
    trainer = Trainer(racer.config)
    trainer.step(iterations, metrics=False)
    return trainer


def rows(name: str) -> list[tuple[str, Racer, int]]:
    """(label, lane, iterations) of a table lesson."""
    lesson = LESSONS[name]
    assert lesson.table
    return [(lane.label, lane, lesson.iterations) for lane in lesson.lanes]


FLOWER_ROWS = rows("hidden-size-small") + rows("hidden-size-large")
CHAOTIC = {20, 50}  # hidden sizes whose runs part from the notebook's loop (float order)


@pytest.mark.parametrize(("label", "racer", "iterations"), FLOWER_ROWS)
def test_hidden_size_rows_equal_the_course_and_the_notebooks_own_loop(label, racer, iterations):
    trainer = trained(racer, iterations)
    n_h = racer.config.network.hidden[0]
    ours = trainer.network.forward(trainer.X_train)
    theirs = notebook_flower_model(trainer.X_train, trainer.Y_train, n_h, iterations)
    margin = float(np.min(np.abs(theirs - 0.5)))
    drift = float(np.max(np.abs(ours - theirs)))
    accuracy = trainer.metrics().accuracy_train
    notebook_accuracy = float(np.mean((theirs > 0.5) == trainer.Y_train))
    assert racer.course == COURSE_HIDDEN_SIZES[n_h]
    if n_h in CHAOTIC:  # the runs may part (on this machine's BLAS they did, then did not)
        assert (
            abs(accuracy - racer.course) <= 0.0075
            and abs(notebook_accuracy - racer.course) <= 0.0075
        )
        return
    assert drift < margin / 10, (label, drift, margin)  # so no prediction can flip
    assert accuracy == notebook_accuracy == racer.course


@pytest.mark.slow
@pytest.mark.parametrize(("label", "racer", "iterations"), rows("initialization"))
def test_initialization_rows_equal_the_course_train_and_test(label, racer, iterations):
    trainer = trained(racer, iterations)
    init = {"zeros": "zeros", "notebook_random": "random", "notebook_he": "he"}
    kind = init[racer.config.network.init]
    theirs = notebook_init_model(
        trainer.X_train, trainer.Y_train, kind, [trainer.X_train, trainer.X_test]
    )
    ours = [trainer.network.forward(S) for S in (trainer.X_train, trainer.X_test)]
    for mine, notebook in zip(ours, theirs, strict=True):
        if kind == "zeros":  # exact by symmetry: every output is 0.5, every prediction 0
            assert np.all(mine == 0.5) and np.all(notebook == 0.5)
        else:
            assert np.max(np.abs(mine - notebook)) < np.min(np.abs(notebook - 0.5))
    metrics = trainer.metrics()
    train, test = COURSE_INITIALIZATION[kind]
    assert (round(metrics.accuracy_train, 4), metrics.accuracy_test) == (train, test)
    assert (racer.course, racer.course_test) == (train, test)


@pytest.mark.slow
@pytest.mark.parametrize(("label", "racer", "iterations"), rows("optimizers"))
def test_optimizer_rows_equal_the_course_at_its_printed_precision(label, racer, iterations):
    trainer = trained(racer, iterations)
    assert trainer.epoch == 10_000
    accuracy = trainer.metrics().accuracy_train
    assert round(accuracy, 3) == COURSE_OPTIMIZERS[racer.config.optimizer.name] == racer.course
