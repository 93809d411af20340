"""`descent worker`: take queued trials of every running sweep from the storage and run them."""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import optuna
from optuna.exceptions import ExperimentalWarning
from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback, fail_stale_trials
from optuna.trial import TrialState

from app.sweeps.doorbell import Doorbell, open_doorbell
from app.sweeps.objective import WORKER_STOPPED, objective, prune_every
from app.sweeps.request import SweepRequest
from app.sweeps.store import MAX_RETRIES, PREFIX

log = logging.getLogger("descent.worker")
IDLE_SECONDS = 0.2  # pause between two looks for work when there is none (a ring ends it)
ERROR_PAUSE_SECONDS = 2.0  # after a storage error
CANCEL_POLL_SECONDS = 0.1  # how often a running trial reads its sweep's cancelled flag
OPEN = (TrialState.WAITING, TrialState.RUNNING)


def quietly(call: Callable[[], object]) -> object:
    """call() with Optuna's ExperimentalWarning ignored (heartbeat and retry are experimental)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExperimentalWarning)
        return call()


class Worker:
    """Runs one trial at a time, from any sweep with queued trials, until told to stop."""

    def __init__(
        self,
        storage: RDBStorage,
        reader: RDBStorage | None = None,
        parent: int | None = None,
        doorbell: Doorbell | None = None,
    ) -> None:
        self.storage = storage  # claims trials and writes them (open_storage(claims=True))
        self.reader = reader or storage  # looks for work and for cancels without locking
        self.parent = parent  # exit when this process (the server that started us) is gone
        self.doorbell = doorbell  # the server rings it when it queues a sweep
        self.stopping = threading.Event()
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.studies: dict[str, tuple[optuna.Study, SweepRequest]] = {}
        self.finished: set[str] = set()  # sweeps with nothing left to run
        self.last: str | None = None  # the sweep this worker ran a trial of last

    def run(self) -> None:
        """Loop until stopped: run a trial when there is one, else wait a moment."""
        log.info("sweep worker %s started", self.name)
        while not self.stopping.is_set():
            if self.orphaned():
                break
            try:
                ran = self.turn()
            except Exception:  # the storage went away for a moment: log it, try again
                log.exception("sweep worker %s: looking for trials failed", self.name)
                self.stopping.wait(ERROR_PAUSE_SECONDS)
                continue
            if not ran:
                self.pause()
        log.info("sweep worker %s stopped", self.name)

    def pause(self) -> None:
        """Wait IDLE_SECONDS for work, or less when the doorbell rings or we are stopped."""
        if self.doorbell is None:
            self.stopping.wait(IDLE_SECONDS)
        else:
            self.doorbell.wait(IDLE_SECONDS)

    def stop(self) -> None:
        """Stop after the running trial has gone back to the queue (safe in a signal handler)."""
        self.stopping.set()
        if self.doorbell is not None:
            self.doorbell.wake()

    def orphaned(self) -> bool:
        """Whether the server that started this worker has died (then stop too)."""
        if self.parent is not None and os.getppid() != self.parent:
            self.stopping.set()
        return self.stopping.is_set()

    def turn(self) -> bool:
        """Look at every open sweep once, starting after the one served last (round-robin:
        a small sweep queued behind a huge one gets the next free worker); run one queued
        trial; True if one ran."""
        for name in rotated(optuna.get_all_study_names(self.reader), self.last):
            if not name.startswith(PREFIX) or name in self.finished:
                continue
            study_id = self.reader.get_study_id_from_name(name)
            attrs = self.reader.get_study_user_attrs(study_id)
            if "request" not in attrs:  # still being created
                continue
            if "cancelled" in attrs:
                self.finished.add(name)
                continue
            open_trials = self.reader.get_all_trials(study_id, deepcopy=False, states=OPEN)
            if not open_trials:
                self.finished.add(name)
                continue
            study, request = self.study(name, study_id)
            if not any(t.state == TrialState.WAITING for t in open_trials):
                quietly(partial(fail_stale_trials, study))  # a dead worker's trial: retry it
                continue
            self.last = name
            self.run_one(study, study_id, request)
            return True
        return False

    def study(self, name: str, study_id: int) -> tuple[optuna.Study, SweepRequest]:
        """The sweep's study with its sampler and pruner (kept, so TPE's draws go on)."""
        if name not in self.studies:
            attrs = self.reader.get_study_user_attrs(study_id)
            request = SweepRequest.model_validate(attrs["request"])
            seed = random.Random(f"{request.seed}:{self.name}").getrandbits(32)
            sampler: optuna.samplers.BaseSampler = optuna.samplers.RandomSampler(seed=seed)
            if request.sampler == "tpe":  # random and grid trials come with their params
                tpe = partial(optuna.samplers.TPESampler, seed=seed, constant_liar=True)
                sampler = quietly(tpe)  # type: ignore[assignment]  (constant_liar: experimental)
            pruner: optuna.pruners.BasePruner = optuna.pruners.NopPruner()
            if request.pruner == "median":
                warmup = prune_every(request.iterations)  # prune from the first report
                pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=warmup)
            study = optuna.load_study(
                study_name=name, storage=self.storage, sampler=sampler, pruner=pruner
            )
            self.studies[name] = (study, request)
        return self.studies[name]

    def stop_check(self, study_id: int) -> Callable[[], str | None]:
        """A callable a trial asks between slices: why to stop now, or None. It reads the
        sweep's cancelled flag every CANCEL_POLL_SECONDS, and at once when the doorbell rings."""
        last = [0.0]

        def reason() -> str | None:
            if self.orphaned():
                return WORKER_STOPPED
            now = time.monotonic()
            rung = self.doorbell is not None and self.doorbell.rung()
            if rung or now - last[0] >= CANCEL_POLL_SECONDS:
                last[0] = now
                if "cancelled" in self.reader.get_study_user_attrs(study_id):
                    return "cancelled"
            return None

        return reason

    def run_one(self, study: optuna.Study, study_id: int, request: SweepRequest) -> None:
        """Run one queued trial (Optuna pops it, with a heartbeat); requeue it if we stop."""
        started: list[int] = []

        def run(trial: optuna.Trial) -> float:
            started.append(trial.number)
            slot = f"{study.study_name} trial {trial.user_attrs.get('slot')}"
            try:
                value = objective(trial, request, self.stop_check(study_id))
            except BaseException as error:
                log.info("%s ended: %s", slot, error or type(error).__name__)
                raise
            log.info("%s: %s %.6g", slot, request.objective, value)
            return value

        quietly(partial(study.optimize, run, n_trials=1, catch=(Exception,)))
        if self.stopping.is_set() and started:
            trial = study.get_trials(deepcopy=False)[started[0]]
            if trial.state == TrialState.FAIL:  # interrupted, not finished: run it again
                retry = quietly(partial(RetryHeartbeatStaleTrialCallback, MAX_RETRIES))
                quietly(partial(retry, study, trial))  # type: ignore[operator]


def rotated(names: list[str], last: str | None) -> list[str]:
    """The names starting after `last` and wrapping round (all of them, in order, if it is
    not among them)."""
    if last not in names:
        return names
    cut = names.index(last) + 1
    return names[cut:] + names[:cut]


def serve_forever(
    storage: RDBStorage, reader: RDBStorage, parent: int | None, nice: int, doorbells: Path
) -> None:
    """The worker process's main: lower priority, a doorbell, stop on SIGTERM/SIGINT, run.
    Optuna's own per-trial log line asks the storage for the best trial: ours does not."""
    if nice:
        os.nice(nice)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    doorbell = open_doorbell(doorbells)
    worker = Worker(storage, reader, parent, doorbell)
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_: worker.stop())
    try:
        worker.run()
    finally:
        if doorbell is not None:
            doorbell.close()
