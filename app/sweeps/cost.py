"""A sweep's work budget: what its trials will cost, estimated before anything is queued.

A trial costs seconds_for(config, iterations) (app/shared/budget.py). The space may make some
trials dearer than the base config (more hidden units, more samples, a larger batch), so a
trial is priced at the base cost times, for each path, the largest ratio one of its values
(every choice, or a range's two ends) gives alone: an upper bound for costs that grow with
each path separately, as a network's size and a batch do.
"""

from __future__ import annotations

from typing import Any

from app.settings import Settings
from app.shared.budget import seconds_for
from app.sweeps.space import Choices, Span, applied, candidates
from app.wire.config import TrainConfig, validate
from app.wire.errors import FieldError


def trial_seconds(config: TrainConfig, space: dict[str, Span | Choices], iterations: int) -> float:
    """The dearest trial's estimate: base x prod over paths of max_value cost(value) / base."""
    base = seconds_for(config, iterations)
    dump = config.model_dump()
    worst = base
    for path, dim in space.items():
        values = candidates(path, dim)
        costs = [seconds_for(valid(dump, path, value), iterations) for value in values]
        worst *= max(1.0, max(costs) / base)
    return worst


def valid(dump: dict[str, Any], path: str, value: Any) -> TrainConfig:
    """The base config with one path set (check_space has already accepted it)."""
    return validate(TrainConfig, applied(dump, {path: value}))


def check_cost(
    config: TrainConfig,
    space: dict[str, Span | Choices],
    trials: int,
    iterations: int,
    settings: Settings,
) -> float:
    """The sweep's estimated seconds, trials x trial_seconds; a 422 saying what fits when one
    trial is over DESCENT_MAX_TRIAL_SECONDS or the whole over DESCENT_MAX_SWEEP_SECONDS."""
    per_trial = trial_seconds(config, space, iterations)
    if per_trial > settings.max_trial_seconds:
        fits = max(1, int(iterations * settings.max_trial_seconds / per_trial))
        raise FieldError(
            "iterations",
            f"one trial would take about {per_trial:,.0f} s, over this server's limit of "
            f"{settings.max_trial_seconds:g} s a trial (DESCENT_MAX_TRIAL_SECONDS): ask for at "
            f"most {fits:,} iterations, or a smaller network or dataset",
            type="over_budget",
            limit=settings.max_trial_seconds,
            value=round(per_trial, 1),
        )
    total = per_trial * trials
    if total > settings.max_sweep_seconds:
        fits = max(1, int(settings.max_sweep_seconds / per_trial))
        raise FieldError(
            "trials",
            f"this sweep would take about {total:,.0f} s of work, over this server's limit of "
            f"{settings.max_sweep_seconds:g} s (DESCENT_MAX_SWEEP_SECONDS): ask for at most "
            f"{fits:,} trials of {iterations:,} iterations, or fewer iterations",
            type="over_budget",
            limit=settings.max_sweep_seconds,
            value=round(total, 1),
        )
    return total
