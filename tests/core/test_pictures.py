"""Pictures of a trainer: the boundary grid, the neurons' maps and the live snapshot."""

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
from core.pictures import Pictures
from tests.core.test_training import config


def test_boundary_grid_spans_the_data_with_row_zero_at_the_top() -> None:
    trainer = Trainer(TrainConfig())
    pictures = Pictures(trainer)
    grid = pictures.boundary(50)
    assert grid.shape == (50, 50)
    x_min, x_max, y_min, y_max = trainer.extent
    assert x_min < trainer.raw_train[0].min() and x_max > trainer.raw_train[0].max()
    inputs = pictures.grid_inputs(50)
    assert inputs[1, 0] == pytest.approx(y_max) and inputs[1, -1] == pytest.approx(y_min)
    assert np.all((grid >= 0) & (grid <= 1))


def test_neuron_grids_cover_inputs_and_every_layer() -> None:
    trainer = Trainer(config(network=NetworkConfig(hidden=(4, 3))))
    grids = Pictures(trainer).neuron_grids(20)
    assert [g.shape for g in grids] == [(2, 20, 20), (4, 20, 20), (3, 20, 20), (1, 20, 20)]


@pytest.mark.parametrize(
    "sections",
    [
        {},  # the flower lesson: tanh, classification
        {
            "network": NetworkConfig(hidden=(10, 5), activation="relu", init="he"),
            "dataset": DatasetConfig(name="circles", test_fraction=0.3),
            "regularization": RegularizationConfig(l2=0.5),
        },
        {
            "network": NetworkConfig(hidden=(8,), output="regression"),
            "dataset": DatasetConfig(name="plane", test_fraction=0.5),
        },
        {
            "network": NetworkConfig(hidden=(6,), init="xavier"),
            "dataset": DatasetConfig(name="blobs", classes=4, test_fraction=0.25),
            "optimizer": OptimizerConfig(name="adam", learning_rate=0.01),
        },
    ],
)
def test_live_snapshot_agrees_with_the_exact_metrics_and_boundary(sections: dict) -> None:
    trainer = Trainer(config(**sections))
    trainer.step(200, metrics=False)
    pictures = Pictures(trainer)
    live, boundary = pictures.snapshot(30)
    exact = trainer.metrics()
    assert (live.iteration, live.epoch) == (exact.iteration, exact.epoch)
    for name in ("cost_train", "cost_test", "rmse_train", "rmse_test"):
        a, b = getattr(live, name), getattr(exact, name)
        assert (a is None) == (b is None), name
        if a is not None:
            assert a == pytest.approx(b, rel=1e-5), name
    for name in ("accuracy_train", "accuracy_test"):  # a point may sit on the boundary
        a, b = getattr(live, name), getattr(exact, name)
        assert (a is None and b is None) or abs(a - b) <= 0.01, name
    K = trainer.Y_train.shape[0]
    assert boundary.dtype == np.float32
    assert boundary.shape == ((30, 30) if K == 1 else (K, 30, 30))
    np.testing.assert_allclose(boundary, pictures.boundary(30), rtol=1e-5, atol=1e-6)


def test_k_classes_give_k_probability_grids_and_k_output_neurons() -> None:
    trainer = Trainer(config(dataset=DatasetConfig(name="blobs", classes=4),
                             network=NetworkConfig(hidden=(6,), init="xavier")))  # fmt: skip
    trainer.step(50)
    pictures = Pictures(trainer)
    grid = pictures.boundary(12)
    assert grid.shape == (4, 12, 12) and grid.dtype == np.float32
    np.testing.assert_allclose(grid.sum(axis=0), 1.0, rtol=1e-5)
    assert [g.shape[0] for g in pictures.neuron_grids(5)] == [2, 6, 4]


def test_one_live_pass_gives_the_neuron_maps_and_class_figures_of_separate_passes() -> None:
    trainer = Trainer(config(dataset=DatasetConfig(name="blobs", classes=3),
                             network=NetworkConfig(hidden=(5, 3), init="xavier")))  # fmt: skip
    trainer.step(80)
    pictures = Pictures(trainer)
    view = pictures.live(16, 7)
    separate = pictures.neuron_grids(7)
    assert [m.shape for m in view.neurons] == [m.shape for m in separate]
    for joint, alone in zip(view.neurons, separate, strict=True):
        np.testing.assert_allclose(joint, alone, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.boundary, pictures.boundary(16), rtol=1e-5, atol=1e-6)
    train, test = trainer.class_figures()
    assert view.figures is not None
    live_train, live_test = view.figures
    assert abs(live_train.confusion - train.confusion).sum() <= 2  # a point on the boundary
    assert (live_test is None) == (test is None) == (trainer.Y_test.shape[1] == 0)
    assert pictures.live(16).neurons is None
