"""The menus the page builds: registry entries with hyperparameters, limits, defaults."""

from __future__ import annotations

from typing import Any

from app.settings import Limits
from app.wire.config import TrainConfig
from core import ACTIVATIONS, DATASETS, FEATURES, INITIALIZERS, LIVE_SECTION, OPTIMIZERS, PROBLEMS
from core.datasets import CUSTOM
from core.losses import MAX_CLASSES
from core.optimizers import COMMON_HYPERPARAMETERS


def described(registry: dict[str, Any]) -> list[dict[str, Any]]:
    """[{name, description, hyperparameters: {name: {default, min, max, description}}}], and
    an optimizer's starting "learning_rate"."""
    return [
        {
            "name": name,
            "description": entry.description,
            "hyperparameters": {k: hp.as_dict() for k, hp in entry.hyperparameters.items()},
            **({"learning_rate": entry.learning_rate} if hasattr(entry, "learning_rate") else {}),
        }
        for name, entry in registry.items()
    ]


def datasets() -> list[dict[str, Any]]:
    """Each dataset with its problem type, default size and noise, and its range of K."""
    return [
        {
            "name": name,
            "problem": spec.problem,
            "description": spec.description,
            "defaults": {"samples": spec.samples, "noise": spec.noise, **spec.options},
            "classes": None
            if spec.problem == "regression"
            else {"default": spec.classes, "min": 2, "max": spec.max_classes},
        }
        for name, spec in DATASETS.items()
    ]


def custom(limits: Limits) -> dict[str, Any]:
    """The user's own points: what they may hold, and why they cannot be regenerated."""
    return {
        "name": CUSTOM,
        "problems": list(PROBLEMS),
        "classes": {"min": 2, "max": MAX_CLASSES},
        "max_points": limits.max_samples,
        "point": "[x1, x2, label] (label an integer 0..K-1) or [x1, x2, y] for regression",
        "regenerate": "custom points are your own: draw or upload new ones to change them",
        "csv": {"parse": "/api/datasets/parse", "download": "/api/datasets/csv"},
    }


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
        "outputs": [{"name": n, "description": text} for n, text in PROBLEMS.items()],
        "initializers": described(INITIALIZERS),
        "optimizers": described(OPTIMIZERS),
        "optimizer_common": {k: hp.as_dict() for k, hp in COMMON_HYPERPARAMETERS.items()},
        "datasets": datasets(),
        "custom": custom(limits),
        "features": features(),
        "live_changes": list(LIVE_SECTION),
        "limits": limits.model_dump(),
        "defaults": TrainConfig().model_dump(),
    }
