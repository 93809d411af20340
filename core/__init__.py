"""Descent's NumPy core: networks, optimizers, datasets, training and gradient checking.

Imports NumPy and the standard library only; it knows nothing about the web.
"""

from core.activations import ACTIVATIONS
from core.config import (
    DatasetConfig,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
)
from core.confusion import ClassFigures, class_figures
from core.datasets import DATASETS, FEATURES, make_dataset, make_features
from core.gradcheck import GradientCheck, gradient_check, gradient_check_report
from core.initializers import INITIALIZERS
from core.lessons import LESSONS, Lesson, Racer
from core.losses import OUTPUTS, PROBLEMS
from core.network import Network
from core.optimizers import OPTIMIZERS, make_optimizer
from core.training import LIVE_SECTION, Metrics, StepResult, Trainer

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "FEATURES",
    "INITIALIZERS",
    "LESSONS",
    "LIVE_SECTION",
    "OPTIMIZERS",
    "OUTPUTS",
    "PROBLEMS",
    "ClassFigures",
    "DatasetConfig",
    "GradientCheck",
    "Lesson",
    "Metrics",
    "Network",
    "NetworkConfig",
    "OptimizerConfig",
    "Racer",
    "RegularizationConfig",
    "StepResult",
    "TrainConfig",
    "Trainer",
    "class_figures",
    "gradient_check",
    "gradient_check_report",
    "make_dataset",
    "make_features",
    "make_optimizer",
]
