"""What a frame holds (metrics, weights, grids, costs), built once, with its encoding: JSON
text (grids as base64 text), or for clients that ask a binary message (grids as bytes)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.wire.encoding import (
    GRID_ENCODING,
    decimals_for,
    encode_binary,
    encode_grid,
    encode_message,
    finite,
    float_list,
    grid_bytes,
    matrix,
    value_range,
)
from core import Metrics, Trainer
from core.confusion import ClassFigures
from core.datasets import CUSTOM
from core.labels import class_labels
from core.pictures import LiveView, Pictures

METRIC_FIELDS = tuple(field.name for field in dataclasses.fields(Metrics))
COUNTERS = ("iteration", "epoch")

FIXED_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def points(raw: np.ndarray, Y: np.ndarray) -> dict[str, list]:
    """{"x": [[x1, x2], ...], "y": [...]} for raw 2-D points (2, m) and labels (1, m), or for
    one-hot Y (K, m) the class numbers 0..K-1."""
    labels = class_labels(Y) if Y.shape[0] > 1 else Y.ravel()
    return {"x": raw.T.tolist(), "y": labels.tolist()}


def classes_of(trainer: Trainer) -> int | None:
    """K for classification (2 to 8), None for regression."""
    return trainer.config.dataset.classes if trainer.problem == "classification" else None


def dataset_view(trainer: Trainer) -> dict[str, Any]:
    """problem, extent and the train/test points (as in the `configured` message)."""
    return {
        "problem": trainer.problem,
        "classes": classes_of(trainer),
        "custom": trainer.config.dataset.name == CUSTOM,
        "extent": list(trainer.extent),
        "train": points(trainer.raw_train, trainer.Y_train),
        "test": points(trainer.raw_test, trainer.Y_test),
    }


def metrics_view(metrics: Metrics) -> dict[str, Any]:
    """Every Metrics field: counters as they are, figures with NaN/inf as null."""
    return {
        name: getattr(metrics, name) if name in COUNTERS else finite(getattr(metrics, name))
        for name in METRIC_FIELDS
    }


def figures_view(figures: ClassFigures | None) -> dict[str, Any] | None:
    """{"matrix": C[true][predicted] counts, "per_class_accuracy": [...]} of one set."""
    if figures is None:
        return None
    return {"matrix": figures.confusion.tolist(), "per_class_accuracy": figures.per_class_accuracy}


def confusion_view(trainer: Trainer) -> dict[str, Any] | None:
    """K and the train/test confusion matrices (dropout off); None for regression."""
    if trainer.problem != "classification":
        return None
    return figures_pair_view(trainer.class_figures())


def figures_pair_view(figures: tuple[ClassFigures, ClassFigures | None]) -> dict[str, Any]:
    """{"classes": K, "train": ..., "test": ... or None} of the sets' class figures."""
    train, test = figures
    return {"classes": train.classes, "train": figures_view(train), "test": figures_view(test)}


def output_range(trainer: Trainer) -> tuple[float, float]:
    """Colour scale of the output: [0, 1] for classification, the label range for regression."""
    if trainer.problem == "classification":
        return 0.0, 1.0
    return value_range(np.concatenate([trainer.Y_train.ravel(), trainer.Y_test.ravel()]))


def weights_view(trainer: Trainer, exact: bool = True) -> dict[str, Any]:
    """Every parameter ("W1", "b1", ..., "slope1"): exact nested lists, or for live frames
    arrays rounded to 4 significant digits of the largest |w| (one np.round for all)."""
    network = trainer.network
    if exact:
        return {name: matrix(value) for name, value in network.params.items()}
    rounded = np.round(network.theta, decimals_for(network.theta, 4))
    return {name: np.ascontiguousarray(value) for name, value in network.views(rounded).items()}


def grid_view(
    values: np.ndarray, low: float, high: float, binary: bool, deflate: bool = False
) -> dict[str, Any]:
    """{"data": ...} of a quantised grid: base64 text (encoding GRID_ENCODING, given once by
    the caller), or for a binary message its bytes and their own "encoding" (deflated only
    with `deflate`: the boundary's smooth probabilities shrink several times, while neuron
    maps shrink little for the CPU it costs)."""
    if not binary:
        return {"data": encode_grid(values, low, high)}
    encoding, data = grid_bytes(values, low, high, deflate)
    return {"encoding": encoding, "data": data}


def boundary_view(
    trainer: Trainer, resolution: int, values: np.ndarray, binary: bool = False
) -> dict[str, Any]:
    """The output over an r x r grid, quantised (row 0 = y max, column 0 = x min); for K >= 3
    classes K such grids, one per class, of its probability a_k."""
    low, high = output_range(trainer)
    return {
        "resolution": resolution,
        "extent": list(trainer.extent),
        "classes": classes_of(trainer),
        "planes": 1 if values.ndim == 2 else int(values.shape[0]),
        "range": [low, high],
        "encoding": GRID_ENCODING,
        **grid_view(values, low, high, binary, deflate=True),
    }


def boundary_values(pictures: Pictures, resolution: int) -> dict[str, Any]:
    """The output over an r x r grid as plain numbers (REST); for K >= 3 classes the values are
    the predicted class (argmax_k a_k) and `probabilities` holds the K grids of a_k."""
    trainer, grid = pictures.trainer, pictures.boundary(resolution)
    body = {
        "resolution": resolution,
        "extent": list(trainer.extent),
        "classes": classes_of(trainer),
    }
    if grid.ndim == 2:
        return {**body, "values": matrix(grid), "probabilities": None}
    probabilities = [matrix(plane) for plane in grid]
    return {**body, "values": matrix(np.argmax(grid, axis=0)), "probabilities": probabilities}


def layer_range(trainer: Trainer, index: int, count: int, values: np.ndarray) -> tuple:
    """Colour scale of a layer: inputs by value, hidden by g, the output as the boundary."""
    if index == count - 1:
        return output_range(trainer)
    if index > 0 and trainer.config.network.activation in FIXED_RANGES:
        return FIXED_RANGES[trainer.config.network.activation]
    return value_range(values)


def neurons_view(
    trainer: Trainer, grids: list[np.ndarray], resolution: int, binary: bool = False
) -> dict[str, Any]:
    """Every unit's map, layer by layer: the input features first, the output last."""
    layers = []
    for index, values in enumerate(grids):
        low, high = layer_range(trainer, index, len(grids), values)
        layer = {"units": int(values.shape[0]), "range": [low, high]}
        layers.append({**layer, **grid_view(values, low, high, binary)})
    return {"resolution": resolution, "encoding": GRID_ENCODING, "layers": layers}


@dataclass(eq=False)
class Frame:
    """One lane's `frame` message of one run, with its encoding (made once, when first needed:
    by the engine thread, off the event loop): JSON text, or bytes for a binary client."""

    lane: int
    run: int
    body: dict[str, Any]
    binary: bool = False
    data: str | bytes | None = None

    def encoded(self) -> str | bytes:
        """The message as JSON text, or as a binary message (encode_binary)."""
        if self.data is None:
            self.data = encode_binary(self.body) if self.binary else encode_message(self.body)
        return self.data

    def absorb(self, older: Frame) -> None:
        """Take on the costs of an unsent older frame of the same lane (they come first)."""
        self.body["costs"] = np.concatenate([older.body["costs"], self.body["costs"]])
        self.data = None


def frame_body(
    lane: int,
    pictures: Pictures,
    costs: np.ndarray,
    *,
    boundary_resolution: int,
    neuron_resolution: int | None,
    exact: bool,
    binary: bool = False,
) -> dict[str, Any]:
    """One `frame` message. Settled frames are exact float64; running (live) frames come from
    one float32 pass over the sets and grids (Pictures.live) and carry costs and weights as
    float32. Grids are base64 text, or bytes for a binary message (binary)."""
    trainer = pictures.trainer
    if exact:
        view = LiveView(
            trainer.metrics(),
            pictures.boundary(boundary_resolution),
            trainer.class_figures() if trainer.problem == "classification" else None,
            pictures.neuron_grids(neuron_resolution) if neuron_resolution else None,
        )
    else:
        view = pictures.live(boundary_resolution, neuron_resolution)
    message: dict[str, Any] = {"type": "frame", "lane": lane}
    message.update(metrics_view(view.metrics))
    message["costs"] = float_list(costs) if exact else costs.astype(np.float32)
    message["noisy"] = trainer.config.regularization.keep_prob < 1.0
    message["weights"] = weights_view(trainer, exact)
    message["grad_norms"] = float_list(np.asarray(trainer.gradient_norms()))
    message["boundary"] = boundary_view(trainer, boundary_resolution, view.boundary, binary)
    message["confusion"] = figures_pair_view(view.figures) if view.figures else None
    if neuron_resolution and view.neurons is not None:
        message["neurons"] = neurons_view(trainer, view.neurons, neuron_resolution, binary)
    message["diverged"] = trainer.diverged
    return message
