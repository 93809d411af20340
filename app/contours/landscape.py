"""POST /api/landscape: train a config (or a race's lanes) and the cost on a plane through
the final weights, with each lane's projected path."""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.settings import Settings, settings_of
from app.shared.run_pool import Busy, busy_response
from app.wire.checks import check_config, over_limit
from app.wire.config import LaneOverrides, Model, TrainConfig
from app.wire.encoding import finite, matrix
from app.wire.errors import FieldError
from core.landscape import Landscape, LanePath, landscape, plane_mismatch

router = APIRouter(prefix="/api", tags=["contours"])
FIELDS = {"layer_sizes": "network.hidden"}  # core's plane_mismatch names -> request fields


class LandscapeRequest(Model):
    """POST /api/landscape: train a config, then its cost on a plane through the final weights."""

    config: TrainConfig = TrainConfig()
    iterations: int = Field(2000, ge=1, description="parameter updates to train")
    resolution: int = Field(41, ge=3, description="r of the r x r plane")
    directions: Literal["pca", "random"] = Field(
        "pca", description="pca of the trajectory, or filter-normalised random (Li et al.)"
    )
    points: int = Field(100, ge=2, le=1000, description="path points recorded (and the end)")
    lanes: list[LaneOverrides] | None = Field(
        None,
        description="a race: overrides merged over config, all on one plane through lane 0's "
        "final weights (their network shape, activation and l2 must agree)",
    )


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


class LanePathView(BaseModel):
    """One lane's path on the shared plane."""

    label: str
    path: list[PathPoint]
    status: Literal["done", "diverged"]
    message: str


class LandscapeResponse(BaseModel):
    """cost[i][j] is J at (alpha[j], beta[i]); path (lane 0's) starts at iteration 0 and ends
    at theta*, the origin of the plane; lanes holds every lane's path."""

    axes: Axes
    cost: list[list[float | None]]
    path: list[PathPoint]
    explained_variance: list[float]
    directions: str
    parameters: int
    status: Literal["done", "diverged"]
    message: str
    lanes: list[LanePathView]


def runs(body: LandscapeRequest, limits: Any) -> list[tuple[str, TrainConfig]]:
    """(label, config) of each lane, validated, checked and able to share one plane."""
    if not body.lanes:
        return [("config", body.config)]
    configs = []
    for i, lane in enumerate(body.lanes):
        merged = lane.merged(body.config, f"lanes.{i}")
        check_config(merged, limits, prefix=f"lanes.{i}.")
        configs.append((lane.label or f"lane {i}", merged))
    base = configs[0][1].to_core()
    for i, (_, config) in enumerate(configs[1:], start=1):
        name = plane_mismatch(base, config.to_core())
        if name is not None:
            raise FieldError(
                f"lanes.{i}.{FIELDS.get(name, name)}",
                f"differs from lane 0's {name}, so one plane cannot show both; lanes of one "
                "landscape may differ in optimizer, initialization and dropout only",
            )
    return configs


def landscape_work(body: LandscapeRequest, first: TrainConfig, lanes: int) -> tuple[float, str]:
    """(3 lanes iterations + r^2 + 2 lanes points) x m x parameters, and the costliest field."""
    sizes = first.layer_sizes
    parameters = sum(n * (p + 1) for p, n in pairwise(sizes))
    training, plane = 3 * lanes * body.iterations, body.resolution**2 + 2 * lanes * body.points
    field = "iterations" if training > plane else "resolution"
    return float(training + plane) * body.config.dataset.samples * parameters, field


def path_view(lane: LanePath) -> list[dict[str, Any]]:
    """A lane's path as PathPoint dicts."""
    return [
        {"iteration": int(i), "alpha": float(a), "beta": float(b),
         "cost": finite(float(c)), "cost_on_plane": finite(float(p))}
        for i, (a, b), c, p in zip(
            lane.iterations, lane.path, lane.path_cost, lane.plane_cost, strict=True
        )
    ]  # fmt: skip


def ending(lane: LanePath) -> dict[str, str]:
    """A lane's status and message."""
    message = lane.diverged or f"trained {int(lane.iterations[-1])} iterations"
    return {"status": "diverged" if lane.diverged else "done", "message": message}


def landscape_view(found: Landscape, labels: list[str]) -> dict[str, Any]:
    """A core Landscape as the response body."""
    lanes = [
        {"label": label, "path": path_view(lane), **ending(lane)}
        for label, lane in zip(labels, found.paths, strict=True)
    ]
    return {
        "axes": {"alpha": found.alpha.tolist(), "beta": found.beta.tolist()},
        "cost": matrix(found.cost),
        "path": lanes[0]["path"],
        "explained_variance": list(found.explained_variance),
        "parameters": int(found.directions.shape[1]),
        **ending(found.paths[0]),
        "lanes": lanes,
    }


def checked_lanes(body: LandscapeRequest, settings: Settings) -> list[tuple[str, TrainConfig]]:
    """The (label, config) of every lane to train, after every check of the request's size
    (limits and the work estimate): FieldError naming the field otherwise."""
    limits = settings.limits()
    check_config(body.config, limits, prefix="config.")
    if body.iterations > limits.max_iterations:
        raise over_limit("iterations", "iterations", limits.max_iterations, body.iterations)
    if body.resolution > settings.max_landscape_resolution:
        limit = settings.max_landscape_resolution
        raise over_limit("resolution", "grid points per side", limit, body.resolution)
    if body.lanes is not None and not 1 <= len(body.lanes) <= settings.max_lanes:
        raise over_limit("lanes", "lanes (and at least 1)", settings.max_lanes, len(body.lanes))
    lanes = runs(body, limits)
    work, field = landscape_work(body, lanes[0][1], len(lanes))
    if work > settings.max_landscape_work:
        raise FieldError(
            field,
            f"too much work: (3 x lanes x iterations + resolution^2 + 2 x lanes x points) x "
            f"samples x parameters = {work:.3g}, over the limit of "
            f"{settings.max_landscape_work:.3g}; use fewer iterations, a smaller resolution or "
            "a smaller network",
            type="limit_exceeded",
            limit=settings.max_landscape_work,
            value=work,
        )
    return lanes


def compute(body: LandscapeRequest, lanes: list[tuple[str, TrainConfig]]) -> dict[str, Any]:
    """(worker thread) Train the lanes and describe the plane, as the response says."""
    configs = [config.to_core() for _, config in lanes]
    found = landscape(configs, body.iterations, body.resolution, body.directions, body.points)
    return {**landscape_view(found, [label for label, _ in lanes]), "directions": body.directions}


@router.post("/landscape", response_model=LandscapeResponse)
async def loss_landscape(request: Request, body: LandscapeRequest) -> dict[str, Any]:
    """Train off the event loop; the r x r plane through theta* with the projected paths."""
    settings = settings_of(request)
    lanes = checked_lanes(body, settings)
    try:  # on the REST runs' own bounded pool, like /api/train
        return await request.app.state.runs.run(request, lambda stop: compute(body, lanes))
    except Busy:
        return busy_response(settings.run_retry_seconds)  # type: ignore[return-value]


def race_request(configs: list[TrainConfig], labels: list[str], **fields: Any) -> LandscapeRequest:
    """A landscape request for a session's lanes (full configs as overrides over lane 0's)."""
    lanes = [
        LaneOverrides(
            label=label,
            network=config.network.model_dump(),
            optimizer=config.optimizer.model_dump(),
            regularization=config.regularization.model_dump(),
        )
        for config, label in zip(configs, labels, strict=True)
    ]
    return LandscapeRequest(config=configs[0], lanes=lanes if len(lanes) > 1 else None, **fields)
