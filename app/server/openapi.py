"""The OpenAPI schema states this server's limits (DESCENT_MAX_*), which its settings decide
at run time, so a generated client or a fuzzer sees the same bounds the server enforces."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.settings import Settings

Schema = dict[str, Any]


def bound(schema: Schema, **limits: int) -> None:
    """Set maximum/maxItems on a property schema, or on the non-null branch of an anyOf."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") in ("integer", "number", "array"):
            branch.update(limits)


def state_limits(schema: Schema, settings: Settings) -> None:
    """Write the settings' limits into the generated components."""
    components = schema.get("components", {}).get("schemas", {})
    wanted = {
        ("DatasetConfig", "samples"): {"maximum": settings.max_samples},
        ("DatasetConfig", "points"): {"maxItems": settings.max_samples},
        ("NetworkConfig", "hidden"): {"maxItems": settings.max_hidden_layers},
        ("OptimizerConfig", "batch_size"): {"maximum": settings.max_samples},
        ("TrainRequest", "iterations"): {"maximum": settings.max_iterations},
        ("TrainRequest", "boundary_resolution"): {"maximum": settings.max_grid_resolution},
    }
    for (model, field), limits in wanted.items():
        prop = components.get(model, {}).get("properties", {}).get(field)
        if prop is not None:
            bound(prop, **limits)
    hidden = components.get("NetworkConfig", {}).get("properties", {}).get("hidden")
    if hidden is not None:
        hidden.setdefault("items", {})["maximum"] = settings.max_neurons


def install(app: FastAPI, settings: Settings) -> None:
    """Make app.openapi() state the limits (computed once, as FastAPI does)."""
    generate = app.openapi

    def openapi() -> Schema:
        if app.openapi_schema is None:
            state_limits(generate(), settings)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
