"""The checks of a TrainConfig that its types cannot express: limits, dataset/output
agreement, custom and test points, initial weights' shapes; each raises a FieldError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.settings import Limits
from app.wire.config import DatasetConfig, Matrix, TrainConfig
from app.wire.errors import FieldError
from core import DATASETS
from core.datasets import CUSTOM
from core.losses import MAX_CLASSES


def check_config(config: TrainConfig, limits: Limits, prefix: str = "") -> None:
    """Raise FieldError for what the types cannot say: limits and dataset/output agreement."""
    hidden, samples = config.network.hidden, config.dataset.samples
    if len(hidden) > limits.max_hidden_layers:
        raise over_limit(
            f"{prefix}network.hidden", "hidden layers", limits.max_hidden_layers, len(hidden)
        )
    for i, units in enumerate(hidden):
        if units > limits.max_neurons:
            field = f"{prefix}network.hidden.{i}"
            raise over_limit(field, "neurons per layer", limits.max_neurons, units)
    if samples > limits.max_samples:
        raise over_limit(f"{prefix}dataset.samples", "samples", limits.max_samples, samples)
    if (config.optimizer.batch_size or 0) > limits.max_samples:
        raise over_limit(
            f"{prefix}optimizer.batch_size",
            "examples per batch",
            limits.max_samples,
            config.optimizer.batch_size,
        )
    if config.dataset.name == CUSTOM:
        samples = check_points(config.dataset, config.network.output, limits, prefix)
    else:
        check_generated(config, prefix)
    if config.dataset.test_points:  # [] and null: no fixed test set
        check_test_points(config, limits, prefix)
    if round(samples * config.dataset.test_fraction) >= samples:
        raise FieldError(f"{prefix}dataset.test_fraction", "leaves no training examples")


def check_test_points(config: TrainConfig, limits: Limits, prefix: str) -> None:
    """A fixed test set: up to max_samples points, labels 0..K-1 of the training set's K, no
    test_fraction beside it, and a dataset without a test set of its own."""
    data, problem = config.dataset, config.network.output
    field, points = f"{prefix}dataset.test_points", config.dataset.test_points or []
    spec = DATASETS.get(data.name)
    if spec is not None and spec.fixed_test_set:
        raise FieldError(field, f"dataset {data.name!r} brings its own test set")
    if data.test_fraction:
        raise FieldError(field, "give test_points or a test_fraction, not both")
    if len(points) > limits.max_samples:
        raise over_limit(field, "test points", limits.max_samples, len(points))
    if problem == "regression":
        return
    classes = data.class_count(problem)
    for i, (_, _, label) in enumerate(points):
        if label != int(label) or not 0 <= label < classes:
            raise FieldError(
                f"{field}.{i}.2",
                f"a class label must be an integer from 0 to {classes - 1} (got {label:g})",
            )


def check_generated(config: TrainConfig, prefix: str) -> None:
    """A built-in dataset: its problem is the output's, its K in range, no points."""
    data = config.dataset
    spec = DATASETS[data.name]
    if spec.problem != config.network.output:
        raise FieldError(
            f"{prefix}network.output",
            f"dataset {data.name!r} is a {spec.problem} dataset, so the output must be "
            f"{spec.problem!r} (got {config.network.output!r})",
        )
    if data.points:
        raise FieldError(f"{prefix}dataset.points", "only the custom dataset takes points")
    if data.classes is not None and data.classes > spec.max_classes:  # 2 is always accepted
        several = ", ".join(n for n, d in DATASETS.items() if d.max_classes > 2)
        has = "no classes" if spec.problem == "regression" else f"{spec.max_classes} classes"
        raise FieldError(
            f"{prefix}dataset.classes",
            f"dataset {data.name!r} has {has} (got {data.classes}); "
            f"{several} take 2 to {MAX_CLASSES}",
        )
    classes = data.class_count(spec.problem)
    if spec.problem == "classification" and data.samples < classes:
        raise FieldError(
            f"{prefix}dataset.samples",
            f"at least one point per class: {classes} (got {data.samples})",
        )


def check_points(data: DatasetConfig, problem: str, limits: Limits, prefix: str) -> int:
    """Custom points: 2 to max_samples, labels integers 0..K-1 with every class present; m."""
    field = f"{prefix}dataset.points"
    points = data.points or []
    if len(points) > limits.max_samples:
        raise over_limit(field, "points", limits.max_samples, len(points))
    if len(points) < 2:
        raise FieldError(field, f"the custom dataset needs at least 2 points (got {len(points)})")
    if problem == "regression":
        if data.classes is not None and data.classes > 2:
            raise FieldError(f"{prefix}dataset.classes", "regression data has no classes")
        return len(points)
    classes = data.class_count(problem)
    seen = set()
    for i, (_, _, label) in enumerate(points):
        if label != int(label) or not 0 <= label < classes:
            raise FieldError(
                f"{field}.{i}.2",
                f"a class label must be an integer from 0 to {classes - 1} (got {label:g})",
            )
        seen.add(int(label))
    missing = [k for k in range(classes) if k not in seen]
    if missing:
        raise FieldError(
            field,
            f"no point of class {missing[0]}: each of the {classes} classes needs at least one",
        )
    return len(points)


def over_limit(field: str, what: str, limit: int | float, value: Any) -> FieldError:
    """The error for a value above a server limit."""
    return FieldError(
        field,
        f"at most {limit} {what} (got {value})",
        type="limit_exceeded",
        limit=limit,
        value=value,
    )


def check_weights(
    weights: Mapping[str, Matrix], layer_sizes: tuple[int, ...], field: str = "initial_weights"
) -> None:
    """Raise FieldError unless every given W{l}, b{l} exists and has the right shape."""
    shapes = {}
    for l in range(1, len(layer_sizes)):
        shapes[f"W{l}"] = (layer_sizes[l], layer_sizes[l - 1])
        shapes[f"b{l}"] = (layer_sizes[l], 1)
    for name, rows in weights.items():
        if name not in shapes:
            raise FieldError(f"{field}.{name}", f"no such parameter; expected {', '.join(shapes)}")
        shape = (len(rows), len(rows[0]) if rows else 0)
        if shape != shapes[name] or any(len(row) != shape[1] for row in rows):
            raise FieldError(
                f"{field}.{name}", f"must be a {shapes[name][0]} x {shapes[name][1]} matrix"
            )
