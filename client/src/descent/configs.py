"""Configs are plain dicts: merging overrides (nested or dotted) into them, and making any
value the client is given (NumPy arrays, tuples) into JSON."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

Config = dict[str, Any]


def nested(key: str, value: Any) -> dict[str, Any]:
    """ "optimizer.learning_rate", 0.1 -> {"optimizer": {"learning_rate": 0.1}}."""
    parts = key.split(".")
    for part in reversed(parts[1:]):
        value = {part: value}
    return {parts[0]: value}


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> Config:
    """A deep copy of base with overrides merged in: nested dicts merge key by key, dotted keys
    ("network.hidden") reach inside, and any other value (lists too) replaces."""
    result: Config = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if "." in key:
            result = merge(result, nested(key, value))
        elif isinstance(value, Mapping):
            inner = result.get(key)
            result[key] = merge(inner if isinstance(inner, Mapping) else {}, value)
        else:
            result[key] = copy.deepcopy(jsonable(value))
    return result


def overrides_of(updates: tuple[Mapping[str, Any], ...], keywords: Mapping[str, Any]) -> Config:
    """Mappings and keywords as one dict of overrides; a keyword's double underscore is a dot
    (optimizer__learning_rate=0.1 is "optimizer.learning_rate")."""
    combined: Config = {}
    for update in updates:
        combined = merge(combined, update)
    return merge(combined, {key.replace("__", "."): value for key, value in keywords.items()})


def jsonable(value: Any) -> Any:
    """The value with NumPy arrays and scalars as lists and numbers, tuples as lists."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy arrays and numpy scalars
    if callable(tolist):
        return tolist()
    return value


def points(x: Any, y: Any) -> list[list[float]]:
    """Points and labels as a dataset's `points` or `test_points`: x of shape (m, 2) or (2, m)
    (the course's X), y of m labels or targets (or shape (1, m)) -> [[x1, x2, y], ...], in
    the order given (the server keeps it)."""
    rows, labels = jsonable(x), jsonable(y)
    if len(rows) == 2 and len(rows[0]) != 2:  # (2, m): the course's layout
        rows = [list(pair) for pair in zip(rows[0], rows[1], strict=True)]
    if len(labels) == 1 and isinstance(labels[0], list):
        labels = labels[0]
    if len(rows) != len(labels):
        raise ValueError(f"{len(rows)} points but {len(labels)} labels")
    return [[float(a), float(b), float(t)] for (a, b), t in zip(rows, labels, strict=True)]
