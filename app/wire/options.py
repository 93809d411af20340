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
            "fixed": spec.fixed is not None,  # the course's own points: samples/noise/seed ignored
            "test_set": "the notebook's own" if spec.fixed_test_set else "test_fraction",
        }
        for name, spec in DATASETS.items()
    ]


def initializers() -> list[dict[str, Any]]:
    """Each initializer described, with the notebook's np.random.seed when it draws as one."""
    seeds = {name: entry.seed for name, entry in INITIALIZERS.items()}
    return [{**entry, "notebook_seed": seeds[entry["name"]]} for entry in described(INITIALIZERS)]


def network_switches() -> dict[str, Any]:
    """The network's on/off options and the notebook seed override, with what they do."""
    return {
        "batch_norm": {
            "default": TrainConfig().network.batch_norm,
            "description": "normalize every hidden layer's Z over the mini-batch: "
            "Z~ = gamma (Z - mu) / sqrt(sigma^2 + eps) + beta, b[l] dropped; running averages "
            "(momentum 0.1) at inference",
        },
        "init_seed": {
            "default": TrainConfig().network.init_seed,
            "min": 0,
            "max": 2**32 - 1,
            "description": "np.random.seed for the notebook_* initializers (null: the notebook's)",
        },
    }


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
        "initializers": initializers(),
        "network": network_switches(),
        "optimizers": described(OPTIMIZERS),
        "optimizer_common": {k: hp.as_dict() for k, hp in COMMON_HYPERPARAMETERS.items()},
        "datasets": datasets(),
        "custom": custom(limits),
        "features": features(),
        "live_changes": list(LIVE_SECTION),
        "limits": limits.model_dump(),
        "defaults": TrainConfig().model_dump(),
    }
