"""POST /api/train: a scripted run of a config, off the event loop, within a time budget."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from app.rest.bodies import (
    GradCheckRequest,
    GradCheckResponse,
    TrainRequest,
    TrainResponse,
    planned_iterations,
)
from app.rest.training import run_gradcheck, run_training
from app.settings import settings_of
from app.shared.budget import check_budget, parameters, seconds_for
from app.shared.run_pool import Busy, Cancelled, RunExecutor, busy_response, cancelled_response
from app.wire.checks import check_config, check_weights, over_limit
from app.wire.config import TrainConfig
from core import LESSONS

router = APIRouter(prefix="/api", tags=["runs"])
CHECK_SECONDS = 0.05  # a run looks at its stop flag this often
RUN_INSTEAD = (
    "ask for fewer iterations, or run it in the background as a sweep with an empty space "
    "and one trial (POST /api/sweeps)"
)

FLOWER_LESSON = LESSONS["planar-flower"]
FLOWER_EXAMPLE: dict[str, Any] = {
    "config": TrainConfig.from_core(FLOWER_LESSON.lanes[1].config).model_dump(),
    "iterations": FLOWER_LESSON.iterations,
    "record_every": FLOWER_LESSON.iterations // 10,
    "boundary_resolution": None,
}
TRAIN_EXAMPLES = {
    "flower": {
        "summary": "The flower lesson: 4 tanh units, learning rate 1.2, 10,000 iterations",
        "description": "The course's planar-data network; reaches about 90% training accuracy.",
        "value": FLOWER_EXAMPLE,
    }
}


@router.post("/train", response_model=TrainResponse)
async def train(
    request: Request, body: Annotated[TrainRequest, Body(openapi_examples=TRAIN_EXAMPLES)]
) -> dict[str, Any]:
    """Run a config for `iterations` updates off the event loop; history, final, weights."""
    limits = settings_of(request).limits()
    check_config(body.config, limits, prefix="config.")
    iterations = planned_iterations(body)
    if iterations > limits.max_iterations:
        field = "iterations" if body.epochs is None else "epochs"
        raise over_limit(field, "iterations", limits.max_iterations, iterations)
    body = body.model_copy(update={"iterations": iterations})
    entries = body.iterations // body.record_every if body.record_every else 0
    if entries > settings_of(request).max_history:
        limit = settings_of(request).max_history
        raise over_limit("record_every", "history entries", limit, entries)
    resolution = body.boundary_resolution
    if resolution is not None and resolution > limits.max_grid_resolution:
        raise over_limit(
            "boundary_resolution", "grid points per side", limits.max_grid_resolution, resolution
        )
    if body.initial_weights is not None:
        check_weights(body.initial_weights, body.config.layer_sizes)
    settings = settings_of(request)
    estimate = seconds_for(body.config, body.iterations)
    check_budget("iterations", estimate, settings.max_run_seconds, RUN_INSTEAD)
    per_iteration = estimate / max(body.iterations, 1)
    check_every = max(1, int(CHECK_SECONDS / max(per_iteration, 1e-9)))
    executor: RunExecutor = request.app.state.runs
    try:
        return await executor.run(request, lambda stop: run_training(body, stop, check_every))
    except Busy:
        return busy_response(settings.run_retry_seconds)
    except Cancelled:
        return cancelled_response()


@router.post("/gradcheck", response_model=GradCheckResponse)
async def gradcheck(request: Request, body: GradCheckRequest) -> dict[str, Any]:
    """Train `iterations` updates, then compare backprop with centred differences (the
    WebSocket `gradcheck`'s check) on the first `examples` training examples."""
    settings = settings_of(request)
    limits = settings.limits()
    check_config(body.config, limits, prefix="config.")
    if body.iterations > limits.max_iterations:
        raise over_limit("iterations", "iterations", limits.max_iterations, body.iterations)
    if body.initial_weights is not None:
        check_weights(body.initial_weights, body.config.layer_sizes)
    size, limit = parameters(body.config), settings.gradcheck_max_parameters
    if size > limit:
        raise over_limit("config.network.hidden", "parameters for a gradient check", limit, size)
    examples = body.examples or settings.gradcheck_examples
    if examples > settings.gradcheck_examples:
        raise over_limit("examples", "examples", settings.gradcheck_examples, examples)
    estimate = seconds_for(body.config, body.iterations)
    check_budget("iterations", estimate, settings.max_run_seconds, RUN_INSTEAD)
    check_every = max(1, int(CHECK_SECONDS / max(estimate / max(body.iterations, 1), 1e-9)))
    executor: RunExecutor = request.app.state.runs
    try:
        return await executor.run(
            request, lambda stop: run_gradcheck(body, examples, limit, stop, check_every)
        )
    except Busy:
        return busy_response(settings.run_retry_seconds)
    except Cancelled:
        return cancelled_response()
