"""Describes a tunable number: default, allowed range and a one-line meaning."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hyperparameter:
    """A number a user may set: default in [minimum, maximum], with a one-line description."""

    default: float
    minimum: float
    maximum: float
    description: str

    def as_dict(self) -> dict[str, float | str]:
        """Plain-data view used by /api/options."""
        return {
            "default": self.default,
            "min": self.minimum,
            "max": self.maximum,
            "description": self.description,
        }
