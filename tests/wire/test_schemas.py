"""The shared TrainConfig: mirrors core, names from the registries, ranges, limits, errors."""

from __future__ import annotations

import dataclasses

import pytest

import core
import core.optimizers
from app.settings import Settings
from app.wire.checks import check_config, check_weights
from app.wire.config import (
    DatasetConfig,
    LaneOverrides,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
    validate,
)
from app.wire.errors import FieldError
from core.hyperparameters import Hyperparameter

PAIRS = [
    (DatasetConfig, core.DatasetConfig),
    (NetworkConfig, core.NetworkConfig),
    (OptimizerConfig, core.OptimizerConfig),
    (RegularizationConfig, core.RegularizationConfig),
    (TrainConfig, core.TrainConfig),
]
LIMITS = Settings().limits()


@pytest.mark.parametrize(("model", "dataclass"), PAIRS)
def test_every_model_mirrors_its_core_dataclass_field_for_field(model, dataclass):
    assert list(model.model_fields) == [f.name for f in dataclasses.fields(dataclass)]
    assert model().to_core() == dataclass()


def test_a_partial_config_is_completed_with_defaults():
    config = TrainConfig.model_validate({"network": {"hidden": [3, 2]}})
    assert config.to_core() == dataclasses.replace(
        core.TrainConfig(), network=core.NetworkConfig(hidden=(3, 2))
    )
    assert config.layer_sizes == (2, 3, 2, 1)


@pytest.mark.parametrize(
    ("section", "field", "registry"),
    [
        ("dataset", "name", core.DATASETS),
        ("network", "activation", core.ACTIVATIONS),
        ("network", "output", core.PROBLEMS),
        ("network", "init", core.INITIALIZERS),
        ("optimizer", "name", core.OPTIMIZERS),
    ],
)
def test_names_are_the_registry_keys(section, field, registry):
    for name in registry:
        TrainConfig.model_validate({section: {field: name}})
    with pytest.raises(FieldError) as caught:
        validate(TrainConfig, {section: {field: "nope"}})
    assert caught.value.field == f"{section}.{field}"
    assert all(name in str(caught.value) for name in registry)


def hyperparameters() -> dict[str, Hyperparameter]:
    """Every tunable number the registries describe."""
    found = dict(core.optimizers.COMMON_HYPERPARAMETERS)
    for registry in (core.OPTIMIZERS, core.ACTIVATIONS, core.INITIALIZERS):
        for entry in registry.values():
            found.update(entry.hyperparameters)
    return found


@pytest.mark.parametrize("name", sorted(hyperparameters()))
def test_ranges_come_from_the_registry(name):
    hp = hyperparameters()[name]
    section = "network" if name in ("leaky_slope", "init_scale") else "optimizer"
    for good in (hp.minimum, hp.maximum, hp.default):
        validate(TrainConfig, {section: {name: good}})
    for bad in (hp.minimum - 1e-3 * (1 + abs(hp.minimum)), hp.maximum * 1.01 + 1e-9):
        with pytest.raises(FieldError) as caught:
            validate(TrainConfig, {section: {name: bad}})
        assert caught.value.field == f"{section}.{name}"


def test_limits_name_the_field_the_limit_and_the_value():
    config = TrainConfig.model_validate({"network": {"hidden": [4] * 9}})
    with pytest.raises(FieldError) as caught:
        check_config(config, LIMITS, prefix="config.")
    error = caught.value
    assert error.field == "config.network.hidden"
    assert error.extra == {"type": "limit_exceeded", "limit": 8, "value": 9}
    assert str(error) == "config.network.hidden: at most 8 hidden layers (got 9)"


def test_a_regression_dataset_with_a_classification_output_is_refused():
    with pytest.raises(FieldError) as caught:
        check_config(TrainConfig.model_validate({"dataset": {"name": "plane"}}), LIMITS)
    assert caught.value.field == "network.output" and "regression" in str(caught.value)


def test_a_lane_overrides_its_sections_and_names_its_errors():
    lane = LaneOverrides(label="Adam", optimizer={"name": "adam"}, network={"hidden": [8]})
    merged = lane.merged(TrainConfig(), "lanes.1")
    assert merged.optimizer.name == "adam" and merged.network.hidden == [8]
    assert merged.optimizer.learning_rate == 1.2
    with pytest.raises(FieldError) as caught:
        LaneOverrides(optimizer={"betta": 0.9}).merged(TrainConfig(), "lanes.2")
    assert caught.value.field == "lanes.2.optimizer.betta"


def test_weights_must_fit_the_layer_sizes():
    check_weights({"W1": [[0.0, 0.0]] * 4, "b2": [[0.0]]}, (2, 4, 1))
    for weights, field in [
        ({"W1": [[0.0, 0.0]] * 3}, "initial_weights.W1"),
        ({"b1": [[0.0, 0.0]] * 4}, "initial_weights.b1"),
        ({"W3": [[0.0]]}, "initial_weights.W3"),
    ]:
        with pytest.raises(FieldError) as caught:
            check_weights(weights, (2, 4, 1))
        assert caught.value.field == field


def test_an_error_reply_keeps_the_field_and_adds_a_reason_without_the_path() -> None:
    from app.wire.errors import FieldError, error_reply

    reply = error_reply(FieldError("name", "choose a nickname"))
    assert reply["field"] == "name"
    assert reply["message"] == "name: choose a nickname"
    assert reply["reason"] == "choose a nickname"
