"""GET /api/options: the menus the page builds, the limits and the default config."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.settings import settings_of
from app.wire.options import build_options

router = APIRouter(prefix="/api", tags=["options"])


@router.get("/options")
async def options(request: Request) -> dict[str, Any]:
    """Every registry entry with its hyperparameters, the limits and the default TrainConfig."""
    return build_options(settings_of(request).limits())
