"""Trainer: determinism, batches and epochs, divergence, live changes, grids."""

import dataclasses

import numpy as np
import pytest

from core import (
    DatasetConfig,
    NetworkConfig,
    OptimizerConfig,
    RegularizationConfig,
    TrainConfig,
    Trainer,
)
from core.optimizers import OPTIMIZERS


def config(**sections: object) -> TrainConfig:
    return dataclasses.replace(TrainConfig(), **sections)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_same_config_and_seed_give_bit_identical_costs_and_weights(optimizer: str) -> None:
    cfg = config(
        optimizer=OptimizerConfig(name=optimizer, learning_rate=0.01, batch_size=32),
        regularization=RegularizationConfig(keep_prob=0.8, l2=0.1),
        dataset=DatasetConfig(test_fraction=0.2),
    )
    a, b = Trainer(cfg), Trainer(cfg)
    ra, rb = a.step(300), b.step(300)
    np.testing.assert_array_equal(ra.costs, rb.costs)
    for name in a.network.params:
        np.testing.assert_array_equal(a.network.params[name], b.network.params[name])
    assert ra.metrics == rb.metrics


def test_step_returns_every_iteration_cost_and_counts_epochs_of_mini_batches() -> None:
    cfg = config(optimizer=OptimizerConfig(batch_size=64, learning_rate=0.1))
    trainer = Trainer(cfg)
    result = trainer.step(7)  # 400 points / 64 = 7 batches, the last one of 16
    assert len(result.costs) == 7
    assert result.metrics.iteration == 7 and result.metrics.epoch == 1
    assert trainer.step(1).metrics.epoch == 1


def test_batch_gradient_descent_makes_one_epoch_per_iteration() -> None:
    result = Trainer(TrainConfig()).step(5)
    assert result.metrics.epoch == 5


def test_reported_costs_match_the_full_batch_cost_before_each_update() -> None:
    trainer = Trainer(TrainConfig())
    before = trainer.network.cost(trainer.X_train, trainer.Y_train)
    result = trainer.step(1)
    assert result.costs[0] == pytest.approx(before, rel=1e-12)
    assert result.metrics.cost_train == pytest.approx(
        trainer.network.cost(trainer.X_train, trainer.Y_train)
    )


def test_dropout_reports_noisy_costs_and_clean_metrics() -> None:
    cfg = config(
        regularization=RegularizationConfig(keep_prob=0.5),
        network=NetworkConfig(hidden=(20,), init="he", activation="relu"),
        optimizer=OptimizerConfig(learning_rate=0.1),
    )
    result = Trainer(cfg).step(50)
    assert result.noisy
    clean = Trainer(cfg)
    clean.step(50)
    assert result.metrics.cost_train == clean.metrics().cost_train


def test_divergence_stops_with_a_message_naming_the_iteration_and_reset_recovers() -> None:
    cfg = config(
        optimizer=OptimizerConfig(learning_rate=50.0),
        network=NetworkConfig(hidden=(8, 8), activation="relu", init="he"),
    )
    trainer = Trainer(cfg)
    result = trainer.step(1000)
    assert result.diverged is not None
    assert f"iteration {trainer.iteration + 1}" in result.diverged
    assert "smaller" in result.diverged and "learning rate" in result.diverged
    assert len(result.costs) == trainer.iteration < 1000
    assert len(trainer.step(10).costs) == 0
    trainer.reset()
    assert trainer.diverged is None and trainer.iteration == 0
    trainer.apply(learning_rate=0.01)
    assert trainer.step(20).diverged is None


def test_live_changes_apply_without_reset_and_others_are_refused() -> None:
    trainer = Trainer(TrainConfig())
    trainer.step(3)
    trainer.apply(learning_rate=0.5, l2=0.2, keep_prob=0.9, batch_size=50)
    assert trainer.optimizer.learning_rate == 0.5
    assert trainer.network.l2 == 0.2 and trainer.network.keep_prob == 0.9
    assert trainer.iteration == 3
    assert trainer.step(8).metrics.epoch == 4
    with pytest.raises(ValueError, match="hidden"):
        trainer.apply(hidden=(3,))


def test_initial_params_are_shared_between_trainers() -> None:
    first = Trainer(TrainConfig())
    second = Trainer(
        config(optimizer=OptimizerConfig(name="adam", learning_rate=0.01)),
        initial_params=first.network.params,
    )
    np.testing.assert_array_equal(first.network.params["W1"], second.network.params["W1"])
    with pytest.raises(ValueError, match="W1"):
        Trainer(config(network=NetworkConfig(hidden=(5,))), initial_params=first.network.params)


def test_dataset_and_output_must_agree() -> None:
    with pytest.raises(ValueError, match="regression"):
        Trainer(config(network=NetworkConfig(output="regression")))


def test_regression_reports_rmse() -> None:
    cfg = config(
        dataset=DatasetConfig(name="plane", noise=0.0, test_fraction=0.25),
        network=NetworkConfig(output="regression", init="xavier"),
        optimizer=OptimizerConfig(name="adam", learning_rate=0.01),
    )
    metrics = Trainer(cfg).step(500).metrics
    assert metrics.accuracy_train is None and metrics.rmse_train is not None
    assert metrics.rmse_train < 0.05 and metrics.rmse_test is not None


@pytest.mark.parametrize("classes", [2, 5])
@pytest.mark.parametrize("batch_size", [None, 64, 100])
def test_a_chunk_of_costs_equals_each_iteration_cost_computed_alone(
    batch_size: int | None, classes: int
) -> None:
    cfg = config(optimizer=OptimizerConfig(name="momentum", learning_rate=0.1,
                                           batch_size=batch_size),
                 regularization=RegularizationConfig(l2=0.3))  # fmt: skip
    if classes > 2:
        cfg = dataclasses.replace(cfg, dataset=DatasetConfig(name="spiral", classes=classes))
    costs = Trainer(cfg).step(20).costs
    one_by_one = Trainer(cfg)
    alone = np.concatenate([one_by_one.step(1).costs for _ in range(20)])
    np.testing.assert_allclose(costs, alone, rtol=1e-12)


def test_batch_costs_equal_an_independent_forward_before_each_update() -> None:
    cfg = config(regularization=RegularizationConfig(l2=0.3))
    costs = Trainer(cfg).step(10).costs
    replay = Trainer(cfg)
    expected = []
    for _ in range(10):
        replay.network.forward(replay.X_train, training=True)
        expected.append(replay.network.training_cost(replay.Y_train))
        replay.step(1)
    np.testing.assert_allclose(costs, expected, rtol=1e-12)


def test_k_classes_train_a_softmax_network_with_k_outputs_and_report_the_confusion() -> None:
    cfg = config(
        dataset=DatasetConfig(name="blobs", classes=4, noise=0.05, test_fraction=0.25),
        network=NetworkConfig(hidden=(6,), init="xavier"),
        optimizer=OptimizerConfig(name="adam", learning_rate=0.05),
    )
    trainer = Trainer(cfg)
    assert cfg.layer_sizes == (2, 6, 4) and trainer.network.output.name == "softmax"
    assert trainer.Y_train.shape == (4, 300)
    metrics = trainer.step(300).metrics
    assert metrics.accuracy_train == 1.0 and metrics.cost_train < 0.05
    train, test = trainer.class_figures()
    assert train.classes == 4 and train.confusion.sum() == 300 and test is not None
    np.testing.assert_array_equal(train.confusion, np.diag(train.confusion.sum(axis=1)))
    assert train.per_class_accuracy == [1.0] * 4 and test.confusion.sum() == 100


def test_two_class_confusion_counts_sigmoid_outputs_above_one_half() -> None:
    trainer = Trainer(TrainConfig())
    trainer.step(2000)
    train, test = trainer.class_figures()
    assert test is None and train.classes == 2
    accuracy = np.trace(train.confusion) / train.confusion.sum()
    assert accuracy == pytest.approx(trainer.metrics().accuracy_train)


def test_custom_points_train_with_features_and_a_split() -> None:
    grid = [(x, y) for x in range(-3, 4) for y in (-2, -1, 1, 2)]
    points = tuple((float(x), float(y), float(x * y > 0)) for x, y in grid)
    cfg = config(
        dataset=DatasetConfig(name="custom", points=points, test_fraction=0.25),
        features=("x1", "x2", "x1_x2"),
        network=NetworkConfig(hidden=(), init="xavier"),
        optimizer=OptimizerConfig(name="adam", learning_rate=0.1),
    )
    trainer = Trainer(cfg)
    assert trainer.X_train.shape == (3, 21) and trainer.X_test.shape == (3, 7)
    np.testing.assert_array_equal(trainer.X_train[2], trainer.raw_train[0] * trainer.raw_train[1])
    assert trainer.step(500).metrics.accuracy_train == 1.0
