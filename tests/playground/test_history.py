"""Replay: any past iteration of a run, recomputed exactly from bounded checkpoints."""

from __future__ import annotations

import dataclasses

import numpy as np

from app.playground.replay import History
from core import OptimizerConfig, RegularizationConfig, TrainConfig, Trainer
from tests.playground.test_ws import configure, receive_until, step

CONFIG = dataclasses.replace(
    TrainConfig(),
    optimizer=OptimizerConfig(name="adam", learning_rate=0.01, batch_size=64),
    regularization=RegularizationConfig(keep_prob=0.9),
)


def test_a_past_iteration_is_recomputed_exactly():
    trainer, reference = Trainer(CONFIG), Trainer(CONFIG)
    history = History(trainer, capacity=8)
    for _ in range(40):
        trainer.step(25, metrics=False)
        if history.due(trainer):
            history.record(trainer)
    reference.step(733, metrics=False)
    past = history.trainer_at(trainer, 733)
    np.testing.assert_array_equal(past.network.theta, reference.network.theta)
    assert past.iteration == 733 and trainer.iteration == 1000, "the live run is untouched"


def test_the_history_stays_within_its_capacity_by_thinning():
    trainer = Trainer(CONFIG)
    history = History(trainer, capacity=6)
    for _ in range(200):
        trainer.step(50, metrics=False)
        if history.due(trainer):
            history.record(trainer)
    assert len(history.checkpoints) <= 7 and history.every > 50
    assert history.iterations[0] == 0


def test_replay_over_the_websocket_shows_the_past_and_leaves_the_run_alone(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        at_120 = [m for m in step(ws, 120) if m["type"] == "frame"][-1]
        step(ws, 120)
        step(ws, 120)  # at 360 now
        ws.send_json({"type": "replay", "iteration": 120})
        replay = receive_until(ws, lambda m: m["type"] == "replay")[-1]
        ws.send_json({"type": "replay", "iteration": 10_000})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
        after = [m for m in step(ws, 1) if m["type"] == "frame"][-1]
    assert replay["iteration"] == 120 and replay["weights"] == at_120["weights"]
    assert replay["cost_train"] == at_120["cost_train"]
    assert error["field"] == "iteration" and after["iteration"] == 361
