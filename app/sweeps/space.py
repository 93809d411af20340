"""A sweep's search space: dotted TrainConfig paths -> a range or choices, as Optuna suggestions."""

from __future__ import annotations

import json
import math
import types
import typing
from typing import Annotated, Any

import optuna
from pydantic import BaseModel, Discriminator, Field, Tag

from app.settings import Limits
from app.wire.checks import check_config
from app.wire.config import Model, TrainConfig, validate
from app.wire.errors import FieldError

SCALAR = (type(None), bool, int, float, str)
MAX_CHOICES = 100
MAX_GRID = 10_000


class Span(Model):
    """A range: floats {"low": 1e-4, "high": 1, "log": true}; ints add "step" (default 1)."""

    low: float
    high: float
    log: bool = False
    step: float | None = Field(None, gt=0)


class Choices(Model):
    """A list of values to choose from: {"choices": ["gd", "adam"]} or {"choices": [[4], [8]]}."""

    choices: list[Any] = Field(min_length=1, max_length=MAX_CHOICES)


def dimension_kind(value: Any) -> str:
    """'choices' for {"choices": ...} (or a Choices), else 'range' (pydantic discriminator)."""
    if isinstance(value, Choices) or (isinstance(value, dict) and "choices" in value):
        return "choices"
    return "range"


Dimension = Annotated[
    Annotated[Span, Tag("range")] | Annotated[Choices, Tag("choices")],
    Discriminator(dimension_kind),
]
Space = dict[str, Dimension]


def is_model(annotation: Any) -> bool:
    """Whether an annotation is a pydantic model (a config section)."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def leaf_type(path: str) -> Any:
    """The annotation of a dotted TrainConfig field; FieldError naming space.<path> if none."""
    annotation: Any = TrainConfig
    for part in path.split("."):
        if not is_model(annotation) or part not in annotation.model_fields:
            raise FieldError(f"space.{path}", "no such config field", type="unknown_path")
        annotation = annotation.model_fields[part].annotation
    if is_model(annotation):
        raise FieldError(f"space.{path}", "names a section, not a value; name one of its fields")
    return annotation


def kind_of(path: str) -> str:
    """'float', 'int', 'hidden' (units per hidden layer), or 'choices' for a dotted path."""
    annotation = leaf_type(path)
    if path == "network.hidden":
        return "hidden"
    if annotation is float:
        return "float"
    optional_int = isinstance(annotation, types.UnionType) and set(typing.get_args(annotation)) == {
        int,
        type(None),
    }
    if annotation is int or optional_int:
        return "int"
    return "choices"  # names, booleans, lists: only choices make sense


def encoded(choices: list[Any]) -> bool:
    """Whether choices must travel as JSON strings (Optuna takes only None/bool/int/float/str)."""
    return not all(isinstance(c, SCALAR) for c in choices)


def suggest(trial: optuna.Trial, space: dict[str, Span | Choices]) -> dict[str, Any]:
    """Each path's value for this trial (Optuna's define-by-run suggest_* calls)."""
    values: dict[str, Any] = {}
    for path, dim in space.items():
        if isinstance(dim, Choices):
            if encoded(dim.choices):
                text = [json.dumps(c) for c in dim.choices]
                values[path] = json.loads(trial.suggest_categorical(path, text))
            else:
                values[path] = trial.suggest_categorical(path, dim.choices)
        elif kind_of(path) == "float":
            values[path] = trial.suggest_float(path, dim.low, dim.high, log=dim.log, step=dim.step)
        else:
            step = int(dim.step or 1)
            values[path] = trial.suggest_int(
                path, int(dim.low), int(dim.high), step=step, log=dim.log
            )
    return values


def decoded(space: dict[str, Span | Choices], params: dict[str, Any]) -> dict[str, Any]:
    """A trial's Optuna params with JSON-encoded choices turned back into values."""
    out = dict(params)
    for path, dim in space.items():
        if path in out and isinstance(dim, Choices) and encoded(dim.choices):
            out[path] = json.loads(out[path])
    return out


def applied(base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """base (a TrainConfig dump) with each dotted path set; an int for network.hidden sets
    every hidden layer (at least one) to that many units."""
    data = json.loads(json.dumps(base))
    for path, value in values.items():
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        if path == "network.hidden" and isinstance(value, int) and not isinstance(value, bool):
            value = [value] * max(1, len(node["hidden"]))
        node[last] = value
    return data


def candidates(path: str, dim: Span | Choices) -> list[Any]:
    """The values whose configs must be valid: every choice, or a range's two ends."""
    if isinstance(dim, Choices):
        return dim.choices
    kind = kind_of(path)
    if kind == "choices":
        raise FieldError(f"space.{path}", 'this field takes {"choices": [...]}, not a range')
    if dim.low > dim.high:
        raise FieldError(f"space.{path}.low", f"must not exceed high ({dim.low} > {dim.high})")
    if dim.log and dim.low <= 0:
        raise FieldError(f"space.{path}.low", "a log range must start above 0")
    if dim.log and dim.step is not None:
        raise FieldError(f"space.{path}.step", "a log range cannot have a step")
    if dim.step is not None and not whole((dim.high - dim.low) / dim.step):
        raise FieldError(f"space.{path}.step", "high - low must be a whole number of steps")
    if kind == "float":
        return [dim.low, dim.high]
    for name in ("low", "high", "step"):
        number = getattr(dim, name)
        if number is not None and not whole(number):
            raise FieldError(f"space.{path}.{name}", f"must be a whole number (got {number})")
    return [int(dim.low), int(dim.high)]


def whole(number: float) -> bool:
    """Whether a number is an integer, to within rounding."""
    return abs(number - round(number)) <= 1e-9 * max(1.0, abs(number))


def check_space(base: TrainConfig, space: dict[str, Span | Choices], limits: Limits) -> None:
    """Raise FieldError naming space.<path> for an unknown path or a value outside the limits."""
    dump = base.model_dump()
    for path, dim in space.items():
        for value in candidates(path, dim):
            try:
                config = validate(TrainConfig, applied(dump, {path: value}))
                check_config(config, limits)
            except (FieldError, KeyError, TypeError) as error:
                reason = error.reason if isinstance(error, FieldError) else "not a valid value"
                raise FieldError(
                    f"space.{path}", f"{value!r} is not allowed: {reason}", type="space_value"
                ) from None


def grid_count(path: str, dim: Span | Choices) -> int:
    """A path's grid points, counted without listing them: the choices, or
    floor((high - low) / step) + 1 for a range (an int range's step is 1 by default);
    FieldError if a float range has no step."""
    if isinstance(dim, Choices):
        return len(dim.choices)
    if kind_of(path) == "float" and dim.step is None:
        raise FieldError(f"space.{path}", "a grid needs choices or a range with a step")
    step = dim.step or 1
    return math.floor((dim.high - dim.low) / step + 1e-9) + 1


def check_grid(space: dict[str, Span | Choices], limit: int) -> int:
    """The grid's size, the product of each path's grid_count, checked against `limit` one
    factor at a time (so no product, and no list, ever grows past it); FieldError naming
    `space` when it is larger."""
    size = 1
    for path, dim in space.items():
        size *= grid_count(path, dim)
        if size > limit:
            raise FieldError(
                "space",
                f"the grid has more than {limit:,} points (at {path!r}): use fewer values or "
                "a random or tpe sampler",
                type="grid_too_large",
                limit=limit,
            )
    return size


def grid(space: dict[str, Span | Choices]) -> dict[str, list[Any]]:
    """Every path's grid values for Optuna's GridSampler; FieldError if a range has no step.
    Call check_grid first: the values are listed."""
    values: dict[str, list[Any]] = {}
    for path, dim in space.items():
        if isinstance(dim, Choices):
            values[path] = (
                [json.dumps(c) for c in dim.choices] if encoded(dim.choices) else dim.choices
            )
        elif kind_of(path) == "float":
            if dim.step is None:
                raise FieldError(f"space.{path}", "a grid needs choices or a range with a step")
            count = math.floor((dim.high - dim.low) / dim.step + 1e-9) + 1
            values[path] = [dim.low + i * dim.step for i in range(min(count, MAX_GRID + 1))]
        else:
            values[path] = list(range(int(dim.low), int(dim.high) + 1, int(dim.step or 1)))
    return values


def grid_size(values: dict[str, list[Any]]) -> int:
    """Points in the grid: the product of each path's count."""
    return math.prod(len(v) for v in values.values())
