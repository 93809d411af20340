"""What GET /api/sweeps/{id} answers: status, progress, each trial and the best one."""

from __future__ import annotations

import datetime
from typing import Any

from optuna.trial import FrozenTrial, TrialState

from app.sweeps.objective import WORKER_STOPPED
from app.sweeps.request import SweepRequest
from app.sweeps.space import applied, decoded
from app.sweeps.store import MAX_RETRIES
from app.wire.config import TrainConfig, validate
from app.wire.encoding import finite

STATES = {
    TrialState.RUNNING: "running",
    TrialState.COMPLETE: "complete",
    TrialState.PRUNED: "pruned",
    TrialState.FAIL: "failed",
    TrialState.WAITING: "queued",
}
FINISHED = {"complete", "pruned", "failed"}
TERMINAL = {"done", "cancelled", "failed"}


def attempts(trials: list[FrozenTrial]) -> list[FrozenTrial]:
    """The latest attempt of each numbered trial (a retry replaces the attempt it retries),
    in trial order; a trial that lost the race for the last slot has no number and is left out."""
    latest: dict[int, FrozenTrial] = {}
    for trial in trials:
        slot = trial.user_attrs.get("slot")
        if slot is not None and (slot not in latest or trial.number > latest[slot].number):
            latest[slot] = trial
    return [latest[slot] for slot in sorted(latest)]


def seconds(trial: FrozenTrial) -> float | None:
    """How long the trial ran (so far, if it is running)."""
    if trial.datetime_start is None:
        return None
    end = trial.datetime_complete or datetime.datetime.now()
    return round((end - trial.datetime_start).total_seconds(), 3)


def state_of(trial: FrozenTrial, tries: int) -> str:
    """The trial's state as the API says it. A trial that failed because its worker died (no
    message: every failure of the objective itself leaves one) or stopped is "queued" while it
    has retries left: Optuna fails it and enqueues its retry in two steps, and a reader in
    between must not see it finished."""
    message = trial.user_attrs.get("message")
    interrupted = message is None or message == WORKER_STOPPED
    if trial.state == TrialState.FAIL and interrupted and tries <= MAX_RETRIES:
        return "queued"
    return STATES[trial.state]


def trial_view(request: SweepRequest, trial: FrozenTrial) -> dict[str, Any]:
    """number, params (by dotted path), state, value, iterations, duration, history, message;
    a running trial's iterations and objective so far come from its progress attribute."""
    live = trial.state in (TrialState.RUNNING, TrialState.WAITING)
    tries = len(trial.system_attrs.get("retry_history", [])) + 1
    history = trial.user_attrs.get("history") or []
    if live:
        progress = trial.user_attrs.get("progress") or {}
        iterations, so_far = progress.get("iterations", 0), progress.get("value")
    else:
        iterations = trial.user_attrs.get("iterations", 0)
        so_far = history[-1][request.objective] if history else None
    return {
        "number": trial.user_attrs["slot"],
        "params": decoded(request.space, trial.params),
        "state": state_of(trial, tries),
        "value": finite(trial.value) if trial.state == TrialState.COMPLETE else None,
        "iterations": iterations,
        "duration": seconds(trial),
        "last_report": finite(so_far),  # the objective so far
        "history": [] if live else history,
        "boundary": None if live else trial.user_attrs.get("boundary"),
        "message": None if live else trial.user_attrs.get("message"),
        "attempts": tries,
        "worker": trial.user_attrs.get("worker"),
        "optuna_number": trial.number,
    }


def config_of(request: SweepRequest, params: dict[str, Any]) -> dict[str, Any]:
    """The full TrainConfig of a trial: the base config with its params set."""
    data = applied(request.config.model_dump(), params)
    return validate(TrainConfig, data).model_dump()


def best_view(request: SweepRequest, views: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The complete trial with the best value, with its full TrainConfig."""
    done = [v for v in views if v["state"] == "complete" and v["value"] is not None]
    if not done:
        return None
    sign = 1 if request.direction == "minimize" else -1
    best = min(done, key=lambda v: (sign * v["value"], v["number"]))
    return {
        "number": best["number"],
        "params": best["params"],
        "value": best["value"],
        "config": config_of(request, best["params"]),
    }


def status_of(attrs: dict[str, Any], views: list[dict[str, Any]]) -> str:
    """queued, running, done (every trial finished), cancelled, or failed (none succeeded)."""
    if attrs.get("cancelled"):
        return "cancelled"
    states = [v["state"] for v in views]
    if all(s == "queued" for s in states):
        return "queued"
    if all(s in FINISHED for s in states):
        return "done" if any(s in {"complete", "pruned"} for s in states) else "failed"
    return "running"


def sweep_view(sweep_id: str, attrs: dict[str, Any], trials: list[FrozenTrial]) -> dict[str, Any]:
    """The whole answer of GET /api/sweeps/{id}."""
    request = SweepRequest.model_validate(attrs["request"])
    views = [trial_view(request, t) for t in attempts(trials)]
    counts = {state: sum(v["state"] == state for v in views) for state in STATES.values()}
    finished = sum(counts[s] for s in FINISHED)
    return {
        "id": sweep_id,
        "url": f"/api/sweeps/{sweep_id}",
        "status": status_of(attrs, views),
        "created": attrs.get("created"),
        "progress": {"trials": request.trials, "finished": finished, **counts},
        "request": attrs["request"],
        "trials": [v for v in views if v["state"] != "queued"],
        "best": best_view(request, views),
    }


def summary(view: dict[str, Any]) -> dict[str, Any]:
    """One entry of GET /api/sweeps: the view without its trials."""
    best = view["best"]
    return {
        **{k: view[k] for k in ("id", "url", "status", "created", "progress")},
        "objective": view["request"]["objective"],
        "best_value": best["value"] if best else None,
    }


def listing_entry(sweep_id: str, attrs: dict[str, Any], trials: list[Any]) -> dict[str, Any]:
    """One entry of GET /api/sweeps, as summary(sweep_view(...)) gives it, from trials without
    their histories (store.light_trials)."""
    request = attrs["request"]
    states, values = [], []
    for trial in attempts(trials):
        state = state_of(trial, len(trial.system_attrs.get("retry_history", [])) + 1)
        states.append({"state": state})
        if state == "complete" and finite(trial.value) is not None:
            values.append(trial.value)
    counts = {state: sum(v["state"] == state for v in states) for state in STATES.values()}
    finished = sum(counts[s] for s in FINISHED)
    best = None
    if values:
        best = min(values) if request["objective"].startswith("cost") else max(values)
    return {
        "id": sweep_id,
        "url": f"/api/sweeps/{sweep_id}",
        "status": status_of(attrs, states),
        "created": attrs.get("created"),
        "progress": {"trials": request["trials"], "finished": finished, **counts},
        "objective": request["objective"],
        "best_value": best,
    }
