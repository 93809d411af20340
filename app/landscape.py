"""Landscape routes: optimizers' paths on 2-D cost surfaces, and a trained network's plane."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from app.errors import FieldError
from app.schemas import (
    Model,
    OptimizerName,
    TrainConfig,
    check_config,
    names_of,
    over_limit,
    ranged,
)
from app.settings import Settings
from core.landscape import Landscape, landscape
from core.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from core.surfaces import SURFACES, Surface, descend

router = APIRouter(prefix="/api", tags=["landscape"])
SurfaceName = names_of(SURFACES, "surface")


def finite(value: float) -> float | None:
    """The value, or None for NaN and infinities (JSON has neither)."""
    return value if math.isfinite(value) else None


def rows(array: Any) -> list[list[float | None]]:
    """A 2-D array as nested lists with None for non-finite entries."""
    return [[finite(float(v)) for v in row] for row in array]


class SurfaceOptimizer(Model):
    """An optimizer of the registry with its hyperparameters; learning_rate null: the surface's."""

    name: OptimizerName = "gd"
    learning_rate: float | None = ranged("learning_rate", None, gt=0.0)
    beta: float = ranged("beta", 0.9)
    beta1: float = ranged("beta1", 0.9)
    beta2: float = ranged("beta2", 0.999)
    epsilon: float = ranged("epsilon", 1e-8)
    decay: float = ranged("decay", 0.0)


class SurfaceLane(Model):
    """One racer on the surface: a label and an optimizer."""

    label: str | None = Field(None, max_length=60)
    optimizer: SurfaceOptimizer = SurfaceOptimizer()


class SurfacePathRequest(Model):
    """POST /api/surfaces/path: lanes of optimizers from one start for `steps` updates."""

    surface: SurfaceName = "bowl"
    start: tuple[float, float] | None = Field(None, description="[w1, w2]; null: the default")
    steps: int | None = Field(None, ge=1, description="updates per lane; null: the surface's")
    epsilon: float = Field(1e-2, gt=0.0, le=10.0, description="'reached' radius around w*")
    resolution: int = Field(101, ge=2, description="r of the r x r grid of J")
    lanes: list[SurfaceLane] = Field(default_factory=lambda: [SurfaceLane()], min_length=1)


def surface_view(surface: Surface) -> dict[str, Any]:
    """A surface's name, formula, minimum, default start, extent and suggested step size."""
    return {
        "name": surface.name,
        "description": surface.description,
        "minimum": list(surface.minimum) if surface.minimum else None,
        "start": list(surface.start),
        "extent": list(surface.extent),
        "learning_rate": surface.learning_rate,
        "steps": surface.steps,
    }


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


@router.get("/surfaces")
async def surfaces(request: Request) -> dict[str, Any]:
    """Every 2-D surface of the registry, and the limits of POST /api/surfaces/path."""
    settings = settings_of(request)
    return {
        "surfaces": [surface_view(s) for s in SURFACES.values()],
        "limits": {
            "max_steps": settings.max_surface_steps,
            "max_lanes": settings.max_lanes,
            "max_grid_resolution": settings.max_grid_resolution,
            "max_landscape_resolution": settings.max_landscape_resolution,
            "max_iterations": settings.max_iterations,
        },
    }


def run_lanes(body: SurfacePathRequest) -> dict[str, Any]:
    """The grid of J and every lane's descent (points, J, dJ, steps to within epsilon)."""
    surface = SURFACES[body.surface]
    start = body.start or surface.start
    w1, w2, cost = surface.grid(body.resolution)
    lanes = []
    for lane in body.lanes:
        spec = lane.optimizer
        rate = spec.learning_rate or surface.learning_rate
        path = descend(surface, build_optimizer(spec, rate), start, body.steps, body.epsilon)
        lanes.append({
            "label": lane.label or f"{spec.name} {rate:g}",
            "optimizer": {**lane.optimizer.model_dump(), "learning_rate": rate},
            "points": rows(path.points),
            "costs": [finite(float(c)) for c in path.costs],
            "gradients": rows(path.gradients),
            "reached": path.reached,
            "stopped": path.stopped,
        })  # fmt: skip
    return {
        "surface": surface_view(surface),
        "start": list(start),
        "epsilon": body.epsilon,
        "grid": {"w1": w1.tolist(), "w2": w2.tolist(), "cost": rows(cost)},
        "lanes": lanes,
    }


def build_optimizer(spec: SurfaceOptimizer, learning_rate: float) -> Optimizer:
    """The registry's optimizer with decay and only the hyperparameters it takes."""
    extra = {name: getattr(spec, name) for name in OPTIMIZERS[spec.name].hyperparameters}
    return make_optimizer(spec.name, learning_rate, decay=spec.decay, **extra)


@router.post("/surfaces/path")
async def surface_path(request: Request, body: SurfacePathRequest) -> dict[str, Any]:
    """Race up to max_lanes optimizers on a 2-D surface from one start."""
    settings = settings_of(request)
    if (body.steps or 0) > settings.max_surface_steps:
        raise over_limit("steps", "steps", settings.max_surface_steps, body.steps)
    if body.steps is None:
        steps = min(SURFACES[body.surface].steps, settings.max_surface_steps)
        body = body.model_copy(update={"steps": steps})
    if len(body.lanes) > settings.max_lanes:
        raise over_limit("lanes", "lanes", settings.max_lanes, len(body.lanes))
    if body.resolution > settings.max_grid_resolution:
        limit = settings.max_grid_resolution
        raise over_limit("resolution", "grid points per side", limit, body.resolution)
    return await run_in_threadpool(run_lanes, body)


class LandscapeRequest(Model):
    """POST /api/landscape: train a config, then its cost on a plane through the final weights."""

    config: TrainConfig = TrainConfig()
    iterations: int = Field(2000, ge=1, description="parameter updates to train")
    resolution: int = Field(41, ge=3, description="r of the r x r plane")
    directions: Literal["pca", "random"] = Field(
        "pca", description="pca of the trajectory, or filter-normalised random (Li et al.)"
    )
    points: int = Field(100, ge=2, le=1000, description="path points recorded (and the end)")


class Axes(BaseModel):
    """The plane's coordinates: theta = theta* + alpha d1 + beta d2."""

    alpha: list[float]
    beta: list[float]


class PathPoint(BaseModel):
    """A recorded iteration: its projection, its true cost and the plane's cost there."""

    iteration: int
    alpha: float
    beta: float
    cost: float | None
    cost_on_plane: float | None


class LandscapeResponse(BaseModel):
    """cost[i][j] is J at (alpha[j], beta[i]); path[0] is iteration 0, the last is theta*."""

    axes: Axes
    cost: list[list[float | None]]
    path: list[PathPoint]
    explained_variance: list[float]
    directions: str
    parameters: int
    status: Literal["done", "diverged"]
    message: str


def landscape_work(body: LandscapeRequest) -> tuple[float, str]:
    """(3 iterations + r^2 + 2 points) x m x parameters, and the field that costs most."""
    sizes = body.config.layer_sizes
    parameters = sum(n * (p + 1) for p, n in pairwise(sizes))
    training, plane = 3 * body.iterations, body.resolution**2 + 2 * body.points
    field = "iterations" if training > plane else "resolution"
    return float(training + plane) * body.config.dataset.samples * parameters, field


def landscape_view(found: Landscape) -> dict[str, Any]:
    """A core Landscape as the response body."""
    path = [
        {"iteration": int(i), "alpha": float(a), "beta": float(b),
         "cost": finite(float(c)), "cost_on_plane": finite(float(p))}
        for i, (a, b), c, p in zip(
            found.iterations, found.path, found.path_cost, found.plane_cost, strict=True
        )
    ]  # fmt: skip
    return {
        "axes": {"alpha": found.alpha.tolist(), "beta": found.beta.tolist()},
        "cost": rows(found.cost),
        "path": path,
        "explained_variance": list(found.explained_variance),
        "parameters": int(found.directions.shape[1]),
        "status": "diverged" if found.diverged else "done",
        "message": found.diverged or f"trained {int(found.iterations[-1])} iterations",
    }


@router.post("/landscape", response_model=LandscapeResponse)
async def loss_landscape(request: Request, body: LandscapeRequest) -> dict[str, Any]:
    """Train off the event loop; the r x r plane through theta* with the projected path."""
    settings = settings_of(request)
    limits = settings.limits()
    check_config(body.config, limits, prefix="config.")
    if body.iterations > limits.max_iterations:
        raise over_limit("iterations", "iterations", limits.max_iterations, body.iterations)
    if body.resolution > settings.max_landscape_resolution:
        limit = settings.max_landscape_resolution
        raise over_limit("resolution", "grid points per side", limit, body.resolution)
    work, field = landscape_work(body)
    if work > settings.max_landscape_work:
        raise FieldError(
            field,
            f"too much work: (3 x iterations + resolution^2 + 2 x points) x samples x "
            f"parameters = {work:.3g}, over the limit of {settings.max_landscape_work:.3g}; "
            "use fewer iterations, a smaller resolution or a smaller network",
            type="limit_exceeded",
            limit=settings.max_landscape_work,
            value=work,
        )
    core_config = body.config.to_core()
    found = await run_in_threadpool(
        landscape, core_config, body.iterations, body.resolution, body.directions, body.points
    )
    return {**landscape_view(found), "directions": body.directions}
