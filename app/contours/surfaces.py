"""Surface routes: the 2-D cost functions of core.surfaces and optimizers racing on them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from app.settings import settings_of
from app.wire.checks import over_limit
from app.wire.config import Model, OptimizerName, names_of, ranged
from app.wire.encoding import finite, matrix
from core.config import OptimizerConfig
from core.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from core.surfaces import SURFACES, Surface, descend

router = APIRouter(prefix="/api", tags=["contours"])
SurfaceName = names_of(SURFACES, "surface")
DEFAULT = OptimizerConfig()


class SurfaceOptimizer(Model):
    """An optimizer of the registry with its hyperparameters; learning_rate null: the surface's."""

    name: OptimizerName = "gd"
    learning_rate: float | None = ranged("learning_rate", None, gt=0.0)
    beta: float = ranged("beta", DEFAULT.beta)
    beta1: float = ranged("beta1", DEFAULT.beta1)
    beta2: float = ranged("beta2", DEFAULT.beta2)
    epsilon: float = ranged("epsilon", DEFAULT.epsilon)
    decay: float = ranged("decay", DEFAULT.decay)


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
            "points": matrix(path.points),
            "costs": [finite(float(c)) for c in path.costs],
            "gradients": matrix(path.gradients),
            "reached": path.reached,
            "stopped": path.stopped,
        })  # fmt: skip
    return {
        "surface": surface_view(surface),
        "start": list(start),
        "epsilon": body.epsilon,
        "grid": {"w1": w1.tolist(), "w2": w2.tolist(), "cost": matrix(cost)},
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
