"""Classification figures: predicted classes, accuracy, per-class accuracy, confusion matrix.

Y is (1, m) of 0/1 (two classes, sigmoid) or one-hot (K, m) (softmax); A[L] has Y's shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.labels import class_labels

Array = np.ndarray


def predictions(A: Array) -> Array:
    """Predicted class per example (m,): 1[a > 0.5] for one sigmoid unit, else argmax_k a_k."""
    return (A[0] > 0.5).astype(np.int64) if A.shape[0] == 1 else np.argmax(A, axis=0)


def accuracy(A: Array, Y: Array) -> float:
    """mean_i 1[predicted class_i = true class_i]."""
    return float(np.mean(predictions(A) == class_labels(Y)))


def confusion_matrix(A: Array, Y: Array, classes: int) -> Array:
    """C (K, K) of counts: C[t, p] = #examples of true class t predicted as class p."""
    flat = class_labels(Y) * classes + predictions(A)
    return np.bincount(flat, minlength=classes * classes).reshape(classes, classes)


def per_class_accuracy(confusion: Array) -> list[float | None]:
    """Per true class t: C[t, t] / sum_p C[t, p] (its recall); None for a class with no example."""
    totals = confusion.sum(axis=1)
    return [float(confusion[t, t] / n) if n else None for t, n in enumerate(totals)]


@dataclass(frozen=True)
class ClassFigures:
    """K, the confusion matrix (rows: true class, columns: predicted) and per-class accuracy."""

    classes: int
    confusion: Array
    per_class_accuracy: list[float | None]


def class_figures(A: Array, Y: Array) -> ClassFigures:
    """The ClassFigures of outputs A[L] against labels Y."""
    classes = max(Y.shape[0], 2)
    confusion = confusion_matrix(A, Y, classes)
    return ClassFigures(classes, confusion, per_class_accuracy(confusion))
