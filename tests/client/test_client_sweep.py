"""Client.sweep against a real server with a trial worker: wait, best, cancel, progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import descent
import pytest

from tests.servers import served

FLOWER = {"dataset": {"name": "flower", "samples": 200}, "network": {"hidden": [4]}, "seed": 3}
RATES = {"optimizer.learning_rate": {"low": 0.01, "high": 5, "log": True}}


@pytest.fixture(scope="module")
def sweeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[descent.Client]:
    """A client of a server with one trial worker and a sweep storage of its own."""
    settings = {
        "DESCENT_DATA_DIR": str(tmp_path_factory.mktemp("client-sweeps")),
        "DESCENT_SWEEP_WORKERS": "1",
    }
    with served(settings=settings) as (base, _), descent.Client(base, timeout=60) as client:
        yield client


def test_wait_follows_the_sweep_to_done_and_its_best_reproduces_by_train(
    sweeper: descent.Client, capsys: pytest.CaptureFixture[str]
):
    sweep = sweeper.sweep(FLOWER, RATES, trials=4, iterations=300, seed=1)
    assert sweep.status == "queued" and sweep.id
    assert sweep.wait(progress=True, timeout=120) is sweep
    assert sweep.status == "done" and sweep.finished
    assert len(sweep.trials) == 4 and {t["state"] for t in sweep.trials} == {"complete"}
    assert sweep.progress is not None and sweep.progress["finished"] == 4
    best = sweep.best
    assert best is not None
    assert best["value"] == min(t["value"] for t in sweep.trials)
    rerun = sweeper.train(best["config"], iterations=300)
    assert rerun.final["cost_train"] == best["value"]
    shown = capsys.readouterr().err
    assert f"sweep {sweep.id}" in shown and "4/4" in shown


def test_without_tqdm_progress_is_one_line_on_stderr(
    sweeper: descent.Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    sweep = sweeper.sweep(FLOWER, RATES, trials=2, iterations=100, seed=2).wait(timeout=120)
    assert sweep.status == "done"
    shown = capsys.readouterr().err
    assert "2/2 trials, done best" in shown and shown.endswith("\n")


def test_wait_without_progress_prints_nothing(
    sweeper: descent.Client, capsys: pytest.CaptureFixture[str]
):
    sweep = sweeper.sweep(FLOWER, {}, trials=1, iterations=50).wait(progress=False, timeout=120)
    assert sweep.status == "done" and sweep.best is not None
    assert capsys.readouterr().err == ""


def test_cancel_stops_a_sweep_and_refresh_reads_it_again(sweeper: descent.Client):
    sweep = sweeper.sweep(FLOWER, RATES, trials=30, iterations=50_000, seed=3)
    sweep.cancel()
    assert sweep.status == "cancelled"
    again = sweeper.get_sweep(sweep.id)
    assert again.refresh().status == "cancelled"
    assert sweep.wait(progress=False, timeout=30).status == "cancelled"
    assert any(s["id"] == sweep.id for s in sweeper.sweeps())


def test_a_sweep_that_keeps_running_times_out(sweeper: descent.Client):
    sweep = sweeper.sweep(FLOWER, RATES, trials=30, iterations=50_000, seed=4)
    try:
        with pytest.raises(TimeoutError):
            sweep.wait(progress=False, timeout=0.5)
    finally:
        sweep.cancel()


def test_a_bad_space_is_a_validation_error_naming_its_path(sweeper: descent.Client):
    with pytest.raises(descent.ValidationError) as caught:
        sweeper.sweep(FLOWER, {"optimizer.learning_rat": {"low": 0.1, "high": 1}}, trials=2)
    assert caught.value.field is not None
    assert caught.value.field.startswith("space")


def test_a_seed_list_sweep_from_given_weights_counts_epochs_as_train_does(
    sweeper: descent.Client,
):
    config = {**FLOWER, "optimizer": {"batch_size": 50}}  # 200 points: 4 batches an epoch
    start = sweeper.train(config, iterations=10)
    sweep = sweeper.sweep(config, {"seed": {"choices": [0, 1]}}, trials=2, sampler="grid",
                          epochs=3, initial_weights=start)  # fmt: skip
    sweep.wait(timeout=120)
    assert sweep.status == "done" and len(sweep.trials) == 2
    for trial in sweep.trials:
        run = sweeper.train({**config, "seed": trial["params"]["seed"]}, epochs=3,
                            initial_weights=start, record_every=1)  # fmt: skip
        assert trial["iterations"] == 12 and trial["value"] == run.final["cost_train"]
        assert trial["history"][0]["cost_train"] == run.history[0]["cost_train"]
