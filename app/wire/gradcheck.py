"""The gradient check's inputs and answer, one path for the WebSocket `gradcheck` message and
POST /api/gradcheck: a copy of the network, its first k training examples, and the report.

approx_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)   (core/gradcheck.py)
difference = ||grad - approx||_2 / (||grad||_2 + ||approx||_2)
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from app.wire.checks import over_limit
from app.wire.encoding import finite
from core import Trainer
from core.gradcheck import GradientCheck
from core.network import Network

DEFAULT_EPSILON = 1e-7  # the course's epsilon


def check_inputs(
    trainer: Trainer, examples: int, max_parameters: int, field: str
) -> tuple[Network, np.ndarray, np.ndarray]:
    """A copy of the trainer's network and its first `examples` training examples (in the
    dataset's order); FieldError on `field` for a network over max_parameters."""
    size = int(trainer.network.theta.size)
    if size > max_parameters:
        raise over_limit(field, "parameters for a gradient check", max_parameters, size)
    network = copy.deepcopy(trainer.network)
    return network, trainer.X_train[:, :examples], trainer.Y_train[:, :examples]


def gradcheck_view(report: GradientCheck, examples: int) -> dict[str, Any]:
    """{difference, per_parameter: {"W1": ...}, verdict, examples}: the WebSocket reply's body."""
    return {
        "difference": finite(report.difference),
        "per_parameter": {k: finite(v) for k, v in report.per_parameter.items()},
        "verdict": report.verdict,
        "examples": int(examples),
    }


def parameter_table(report: GradientCheck, network: Network) -> list[dict[str, Any]]:
    """One row per parameter in the network's order: name, shape and relative difference."""
    return [
        {"name": name, "shape": list(network.params[name].shape),
         "difference": finite(report.per_parameter[name])}
        for name in network.params
    ]  # fmt: skip
