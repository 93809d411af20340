"""REST routes: health, options, dataset preview and scripted training runs."""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.concurrency import run_in_threadpool

from app import __version__
from app.engine import all_engines
from app.errors import FieldError
from app.messages import PreviewRequest, PreviewResponse, TrainRequest, TrainResponse
from app.options import build_options
from app.runs import run_training
from app.schemas import TrainConfig, check_config, check_weights, over_limit
from app.settings import Settings
from app.views import dataset_view
from core import DATASETS, Trainer

router = APIRouter()

FLOWER_LESSON: dict[str, Any] = {
    "config": {
        "dataset": {"name": "flower", "samples": 400, "noise": 0.2, "seed": 0},
        "network": {"hidden": [4], "activation": "tanh", "init": "random", "init_scale": 0.01},
        "optimizer": {"name": "gd", "learning_rate": 1.2},
        "seed": 0,
    },
    "iterations": 10000,
    "record_every": 1000,
    "boundary_resolution": None,
}
TRAIN_EXAMPLES = {
    "flower": {
        "summary": "The flower lesson: 4 tanh units, learning rate 1.2, 10,000 iterations",
        "description": "The course's planar-data network; reaches about 90% training accuracy.",
        "value": FLOWER_LESSON,
    }
}


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: {"status": "ok", "version": ...}."""
    return {"status": "ok", "version": __version__}


@router.get("/healthz/sessions", include_in_schema=False)
async def live_sessions(request: Request) -> dict[str, int]:
    """This process's id, live WebSocket sessions, sessions known to engines, engine threads."""
    engines = all_engines()
    return {
        "process": os.getpid(),
        "sessions": request.app.state.sessions.count,
        "engine_sessions": sum(len(engine.sessions) for engine in engines),
        "engine_threads": sum(engine.thread is not None for engine in engines),
    }


@router.get("/api/options")
async def options(request: Request) -> dict[str, Any]:
    """Every registry entry with its hyperparameters, the limits and the default TrainConfig."""
    return build_options(settings_of(request).limits())


@router.post("/api/datasets/preview", response_model=PreviewResponse)
async def preview(request: Request, body: PreviewRequest) -> dict[str, Any]:
    """The dataset's train/test points and extent, as the WebSocket `configured` message."""
    limits = settings_of(request).limits()
    if body.dataset.samples > limits.max_samples:
        raise over_limit("dataset.samples", "samples", limits.max_samples, body.dataset.samples)
    spec = DATASETS.get(body.dataset.name)  # None: custom points, of the problem asked for
    problem = spec.problem if spec else body.output or "classification"
    output = body.output or problem
    config = TrainConfig(dataset=body.dataset, network={"hidden": [], "output": output})
    if output != problem:
        raise FieldError("output", f"dataset {body.dataset.name!r} is a {problem} dataset")
    check_config(config, limits)
    trainer = await run_in_threadpool(Trainer, config.to_core())
    return dataset_view(trainer)


@router.post("/api/train", response_model=TrainResponse)
async def train(
    request: Request, body: Annotated[TrainRequest, Body(openapi_examples=TRAIN_EXAMPLES)]
) -> dict[str, Any]:
    """Run a config for `iterations` updates off the event loop; history, final, weights."""
    limits = settings_of(request).limits()
    check_config(body.config, limits, prefix="config.")
    if body.iterations > limits.max_iterations:
        raise over_limit("iterations", "iterations", limits.max_iterations, body.iterations)
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
    return await run_in_threadpool(run_training, body)
