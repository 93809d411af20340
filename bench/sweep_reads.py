"""What reading sweeps costs with hundreds of finished trials: one sweep's full view (cold,
then from the kept study) and one GET /api/sweeps entry read without histories.

    python -m bench.sweep_reads --trials 500
"""

from __future__ import annotations

import argparse
import tempfile
import time

import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial

from app.sweeps.request import SweepRequest
from app.sweeps.store import PREFIX, create_sweep, find, light_trials, open_storage, read
from app.sweeps.views import listing_entry, summary, sweep_view

PATH = "optimizer.learning_rate"


def timed(call: object) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    """Store a sweep of `--trials` finished trials (11 history points each), then time reads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=500)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = open_storage(f"sqlite:///{tempfile.mkdtemp()}/sweeps.db")
    request = SweepRequest.model_validate(
        {"space": {PATH: {"low": 1e-3, "high": 1, "log": True}}, "trials": 1, "iterations": 1000}
    )
    sweep_id = create_sweep(storage, request)
    study = optuna.load_study(study_name=PREFIX + sweep_id, storage=storage)
    history = [{"iteration": i * 100, "cost_train": 0.5, "accuracy_train": 0.9} for i in range(11)]
    distributions = {PATH: FloatDistribution(1e-3, 1, log=True)}
    for slot in range(1, args.trials + 1):
        study.add_trial(create_trial(
            state=TrialState.COMPLETE, value=0.5, params={PATH: 0.01},
            distributions=distributions,
            user_attrs={"slot": slot, "history": history, "iterations": 1000},
        ))  # fmt: skip
    study_id = find(storage, sweep_id)
    assert study_id is not None

    def full() -> dict:
        return summary(sweep_view(sweep_id, *read(storage, study_id)))

    def light() -> dict:
        trials = light_trials(storage, [study_id])[study_id]
        return listing_entry(sweep_id, storage.get_study_user_attrs(study_id), trials)

    cold, warm, entry = timed(full), timed(full), min(timed(light) for _ in range(3))
    assert light() == full()
    print(f"sweep of {args.trials + 1} finished trials: full view cold {cold * 1000:.1f} ms, "
          f"kept {warm * 1000:.1f} ms; listing entry without histories {entry * 1000:.1f} ms "
          f"({cold / entry:.0f}x less than cold)")  # fmt: skip


if __name__ == "__main__":
    main()
