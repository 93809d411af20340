"""Dataset routes: preview a dataset's points, parse an uploaded CSV into custom points,
download any dataset as CSV."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from app.rest.bodies import (
    CsvRequest,
    ParseRequest,
    ParseResponse,
    PreviewRequest,
    PreviewResponse,
)
from app.settings import Limits, settings_of
from app.shared.csv_cells import safe_cell
from app.wire.checks import check_config
from app.wire.config import DatasetConfig, TrainConfig, validate
from app.wire.csvfile import CsvError, parse_csv, write_csv
from app.wire.errors import FieldError
from app.wire.frames import dataset_view
from core import DATASETS, Trainer
from core.datasets import load_dataset
from core.labels import class_labels

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


def limits_of(request: Request) -> Limits:
    """The app's limits."""
    return settings_of(request).limits()


@router.post("/parse", response_model=ParseResponse)
async def parse(request: Request, body: ParseRequest) -> dict[str, Any]:
    """CSV text -> {points, problem, classes, legend, header}; a 422 names line and column."""
    try:
        parsed = parse_csv(body.text, limits_of(request).max_samples, body.output)
    except CsvError as error:
        raise FieldError("text", str(error), line=error.line, column=error.column) from None
    return dataclasses.asdict(parsed)


def csv_response(request: CsvRequest, limits: Limits) -> PlainTextResponse:
    """Every point of the dataset (before the train/test split) as a CSV attachment."""
    spec = DATASETS.get(request.dataset.name)
    problem = spec.problem if spec else request.output or "classification"
    config = TrainConfig(dataset=request.dataset, network={"hidden": [], "output": problem})
    check_config(config, limits)
    X, Y = load_dataset(config.dataset.to_core(problem), problem)
    third = Y[0] if problem == "regression" else class_labels(Y)
    points = [[x1, x2, float(t)] for (x1, x2), t in zip(X.T.tolist(), third.tolist(), strict=True)]
    legend = request.legend
    classes = max(Y.shape[0], 2)  # two classes share one sigmoid row
    if legend is not None and problem == "classification" and len(legend) < classes:
        raise FieldError("legend", f"names {len(legend)} classes of {classes}")
    names = [safe_cell(name) for name in legend] if legend else None  # =HYPERLINK(...) defused
    text = write_csv(points, problem, names if problem == "classification" else None)
    disposition = f'attachment; filename="{request.dataset.name}.csv"'
    return PlainTextResponse(
        text, media_type="text/csv", headers={"Content-Disposition": disposition}
    )


def query_value(text: str) -> Any:
    """A query value as the JSON it spells ("3" -> 3, "0.1" -> 0.1), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@router.get("/csv", response_class=PlainTextResponse)
async def download(request: Request) -> PlainTextResponse:
    """A built-in dataset as CSV: ?name=spiral&classes=3&samples=300&noise=0.1&seed=0."""
    values = {name: query_value(text) for name, text in request.query_params.items()}
    dataset = validate(DatasetConfig, values, prefix="dataset")
    return csv_response(CsvRequest(dataset=dataset), limits_of(request))


@router.post("/csv", response_class=PlainTextResponse)
async def download_posted(request: Request, body: CsvRequest) -> PlainTextResponse:
    """Any dataset, custom points too, as CSV (class names from `legend` if given)."""
    return csv_response(body, limits_of(request))


@router.post("/preview", response_model=PreviewResponse)
async def preview(request: Request, body: PreviewRequest) -> dict[str, Any]:
    """The dataset's train/test points and extent, as the WebSocket `configured` message."""
    spec = DATASETS.get(body.dataset.name)  # None: custom points, of the problem asked for
    output = body.output or (spec.problem if spec else "classification")
    config = TrainConfig(dataset=body.dataset, network={"hidden": [], "output": output})
    try:
        check_config(config, settings_of(request).limits())
    except FieldError as error:  # this body names the output at its top level
        if error.field == "network.output":
            error.field = "output"
        raise
    trainer = await run_in_threadpool(Trainer, config.to_core())
    return dataset_view(trainer)
