"""The menus the page builds: registry entries with hyperparameters, limits, defaults."""

from __future__ import annotations

from typing import Any

from app.schemas import TrainConfig
from app.settings import Limits
from core import ACTIVATIONS, DATASETS, FEATURES, INITIALIZERS, LIVE_SECTION, OPTIMIZERS, OUTPUTS
from core.optimizers import COMMON_HYPERPARAMETERS


def described(registry: dict[str, Any]) -> list[dict[str, Any]]:
    """[{name, description, hyperparameters: {name: {default, min, max, description}}}]."""
    return [
        {
            "name": name,
            "description": entry.description,
            "hyperparameters": {k: hp.as_dict() for k, hp in entry.hyperparameters.items()},
        }
        for name, entry in registry.items()
    ]


def datasets() -> list[dict[str, Any]]:
    """Each dataset with its problem type and default size and noise."""
    return [
        {
            "name": name,
            "problem": spec.problem,
            "description": spec.description,
            "defaults": {"samples": spec.samples, "noise": spec.noise, **spec.options},
        }
        for name, spec in DATASETS.items()
    ]


def features() -> list[dict[str, Any]]:
    """Each input feature with its printed label."""
    return [
        {"name": name, "label": f.label, "description": f"input feature {f.label}"}
        for name, f in FEATURES.items()
    ]


def build_options(limits: Limits) -> dict[str, Any]:
    """The body of GET /api/options (and hello.options)."""
    return {
        "activations": described(ACTIVATIONS),
        "outputs": [{"name": n, "description": o.description} for n, o in OUTPUTS.items()],
        "initializers": described(INITIALIZERS),
        "optimizers": described(OPTIMIZERS),
        "optimizer_common": {k: hp.as_dict() for k, hp in COMMON_HYPERPARAMETERS.items()},
        "datasets": datasets(),
        "features": features(),
        "live_changes": list(LIVE_SECTION),
        "limits": limits.model_dump(),
        "defaults": TrainConfig().model_dump(),
    }
