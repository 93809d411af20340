"""Class labels as the course writes them, and the user's own points as X and Y.

Two classes: Y (1, m) of 0/1 (one sigmoid unit). K >= 3 classes: Y one-hot (K, m) with
y_ki = 1 exactly when example i is of class k (a softmax of K units).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def encode_labels(labels: Array, classes: int) -> Array:
    """Labels 0..K-1 (m,) as Y: (1, m) of 0/1 for K = 2, one-hot (K, m) with y_k = 1[label = k]."""
    labels = np.asarray(labels, dtype=np.float64)
    if classes <= 2:
        return labels[None, :]
    return (np.arange(classes)[:, None] == labels[None, :]).astype(np.float64)


def class_labels(Y: Array) -> Array:
    """The class of each example (m,) as integers: Y itself for one row, argmax_k for one-hot."""
    return Y[0].astype(np.int64) if Y.shape[0] == 1 else np.argmax(Y, axis=0)


def custom_dataset(points: Array, problem: str, classes: int = 2) -> tuple[Array, Array]:
    """The user's points (m, 3) rows (x1, x2, label or y) as X (2, m) and Y as make_dataset's."""
    P = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if not np.isfinite(P).all():
        raise ValueError("custom points must be finite numbers")
    if problem == "regression":
        return P[:, :2].T.copy(), P[:, 2][None, :].copy()
    labels = P[:, 2]
    if not np.array_equal(labels, np.round(labels)) or labels.min() < 0 or labels.max() >= classes:
        raise ValueError(f"custom labels must be integers 0..{classes - 1}")
    return P[:, :2].T.copy(), encode_labels(labels, classes)
