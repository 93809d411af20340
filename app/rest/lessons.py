"""Teaching routes: the lesson presets and activation curves, both straight from core."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Path, Query, Response

from app.wire.errors import FieldError
from core import ACTIVATIONS, LESSONS
from core.activations import LEAKY_SLOPE
from core.lessons import Lesson, Racer

router = APIRouter(prefix="/api", tags=["lessons"])
CURVE_POINTS = 201
KEPT = "private, max-age=600"  # fixed for a server version: a reload need not ask again


def lane_view(lane: Racer) -> dict[str, Any]:
    """A lesson's lane: label, full TrainConfig and the course's train and test figures."""
    return {"label": lane.label, "config": dataclasses.asdict(lane.config), "course": lane.course,
            "course_test": lane.course_test}  # fmt: skip


def lesson_view(lesson: Lesson) -> dict[str, Any]:
    """A lesson as JSON: its words, its iterations and each lane's full TrainConfig."""
    return {
        "name": lesson.name,
        "title": lesson.title,
        "watch": lesson.watch,
        "course_result": lesson.course_result,
        "iterations": lesson.iterations,
        "criterion": lesson.criterion,
        "higher_is_better": lesson.higher_is_better,
        "lanes": [lane_view(lane) for lane in lesson.lanes],
        "table": lesson.table,
    }


@router.get("/lessons")
async def lessons(response: Response) -> dict[str, list[dict[str, Any]]]:
    """Every lesson: title, what to watch, the course's result and up to four lanes."""
    response.headers["Cache-Control"] = KEPT  # a page reload takes them from its cache
    return {"lessons": [lesson_view(lesson) for lesson in LESSONS.values()]}


@router.get("/activations/{name}")
async def activation_curve(
    response: Response,
    name: Annotated[str, Path(description="an activation registry key, e.g. tanh")],
    slope: Annotated[float, Query(ge=LEAKY_SLOPE.minimum, le=LEAKY_SLOPE.maximum)] = 0.01,
    z_min: Annotated[float, Query(ge=-50, le=0)] = -5.0,
    z_max: Annotated[float, Query(ge=0, le=50)] = 5.0,
) -> dict[str, Any]:
    """g(z) and g'(z) sampled on [z_min, z_max], computed by core's own activation."""
    response.headers["Cache-Control"] = KEPT
    if name not in ACTIVATIONS:
        raise FieldError("name", f"unknown activation {name!r}; choose one of "
                                 f"{', '.join(ACTIVATIONS)}")  # fmt: skip
    activation = ACTIVATIONS[name]
    z = np.linspace(z_min, z_max, CURVE_POINTS)[None, :]
    value = activation.value(z, slope)
    derivative = activation.derivative(z, value, slope)
    return {"name": name, "slope": slope, "z": z[0].tolist(), "value": value[0].tolist(),
            "derivative": derivative[0].tolist()}  # fmt: skip
