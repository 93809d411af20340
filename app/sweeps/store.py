"""Sweeps as Optuna studies in one shared storage: open it, create, find, cancel."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
import warnings
from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import optuna
import sqlalchemy
from optuna.exceptions import ExperimentalWarning
from optuna.samplers import RandomSampler
from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback
from optuna.trial import FrozenTrial, TrialState

from app.settings import Settings
from app.sweeps.request import SweepRequest
from app.sweeps.space import grid, suggest

PREFIX = "sweep-"
CREATE_ATTEMPTS = 3  # tries to open a database that other processes are creating
MAX_RETRIES = 3  # a trial whose worker died is run again at most this many times
OPENING = threading.Lock()
KEPT_STUDIES = 8  # sweeps whose finished trials this process keeps in memory (study_of)
KEEPING = threading.Lock()
kept: OrderedDict[tuple[int, int], optuna.Study] = OrderedDict()


def data_dir(settings: Settings) -> Path:
    """DESCENT_DATA_DIR, or ~/.local/share/descent."""
    return Path(settings.data_dir or Path.home() / ".local" / "share" / "descent")


def storage_url(settings: Settings) -> str:
    """DESCENT_SWEEP_STORAGE, or a SQLite file in the data directory (created if missing)."""
    if settings.sweep_storage:
        return settings.sweep_storage
    folder = data_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'sweeps.db'}"


def driver_url(url: str) -> str:
    """postgresql://... and postgres://... through psycopg 3 (SQLAlchemy's default is psycopg2)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def open_storage(url: str, heartbeat: int = 2, grace: int = 10, claims: bool = False) -> RDBStorage:
    """Optuna's RDB storage with heartbeats: a trial silent for `grace` s is failed and retried;
    opened once per process (a second thread asking meanwhile waits for the first).

    `claims`: for the workers' claiming of queued trials (on SQLite, every transaction then
    takes the write lock at BEGIN); a server, and a worker's polling, read without locking."""
    with OPENING:
        return opened(url, heartbeat, grace, claims)


@lru_cache
def opened(url: str, heartbeat: int, grace: int, claims: bool) -> RDBStorage:
    """open_storage's work, done once for each set of arguments."""
    url = driver_url(url)
    if not url.startswith("sqlite:///"):
        return rdb_storage(url, {"pool_pre_ping": True}, heartbeat, grace)
    path = url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(f"{path}-init", timeout=60, isolation_level=None)) as lock:
        lock.execute("BEGIN EXCLUSIVE")  # one process at a time creates the tables
        with closing(sqlite3.connect(path)) as connection:  # readers never wait for writers
            connection.execute("PRAGMA journal_mode=WAL")
        storage = rdb_storage(url, {"connect_args": {"timeout": 60}}, heartbeat, grace)
        lock.execute("COMMIT")
    sqlite_pragmas(storage.engine, claims)
    return storage


def rdb_storage(url: str, options: dict, heartbeat: int, grace: int) -> RDBStorage:
    """RDBStorage with heartbeats and retries; processes opening a new database at once race to
    create its tables, so the losers try again."""
    with warnings.catch_warnings():  # heartbeat and retry are Optuna "experimental" (since 2.8)
        warnings.simplefilter("ignore", ExperimentalWarning)
        retry = RetryHeartbeatStaleTrialCallback(max_retry=MAX_RETRIES)
        for attempt in range(CREATE_ATTEMPTS):
            try:
                return RDBStorage(
                    url,
                    engine_kwargs=options,
                    heartbeat_interval=heartbeat,
                    grace_period=grace,
                    heartbeat_stale_trial_callback=retry,
                )
            except sqlalchemy.exc.DBAPIError:
                if attempt == CREATE_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)
    raise AssertionError("unreachable")


def sqlite_pragmas(engine: sqlalchemy.engine.Engine, claims: bool) -> None:
    """synchronous=NORMAL (WAL survives a killed process; only a power cut may lose the last
    commits) and, for claiming, BEGIN IMMEDIATE: every transaction takes the write lock at once.

    Python's sqlite3 begins a transaction only at the first write, so Optuna's "claim a queued
    trial if it is still waiting" would read and write in two steps, and two workers could
    claim the same trial; PostgreSQL locks the row instead (SELECT ... FOR UPDATE)."""

    def connect(connection: sqlite3.Connection, record: object) -> None:
        connection.execute("PRAGMA synchronous=NORMAL")
        if claims:
            connection.isolation_level = None  # no implicit BEGIN: the begin event below

    def begin(connection: sqlalchemy.engine.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    sqlalchemy.event.listen(engine, "connect", connect)
    if claims:
        sqlalchemy.event.listen(engine, "begin", begin)
    engine.dispose()  # pooled connections were made before the listeners


def settings_storage(settings: Settings) -> RDBStorage:
    """The storage these settings name."""
    url = storage_url(settings)
    return open_storage(url, settings.sweep_heartbeat_seconds, settings.sweep_grace_seconds)


def planned(request: SweepRequest) -> list[dict]:
    """Each trial's params, drawn now for random and grid search (so `seed` reproduces them and
    no two workers draw alike); empty for TPE, which samples when a trial starts."""
    if request.sampler == "tpe":
        return [{} for _ in range(request.trials)]
    if request.sampler == "grid":
        sampler: optuna.samplers.BaseSampler = optuna.samplers.GridSampler(
            grid(request.space), seed=request.seed
        )
    else:
        sampler = optuna.samplers.RandomSampler(seed=request.seed)
    study = optuna.create_study(sampler=sampler)  # in memory: only a source of draws
    params = []
    for _ in range(request.trials):
        trial = study.ask()
        suggest(trial, request.space)
        params.append(trial.params)
    return params


def create_sweep(
    storage: RDBStorage, request: SweepRequest, owner: str | None = None, client: str = ""
) -> str:
    """A new study holding the request, with exactly `trials` trials queued (numbered 0...);
    `owner` is the hash of the owner's key, `client` the address that asked."""
    sweep_id = uuid.uuid4().hex[:12]
    study = optuna.create_study(
        storage=storage, study_name=PREFIX + sweep_id, direction=request.direction
    )
    study.set_user_attr("created", time.time())
    study.set_user_attr("client", client)
    if owner is not None:
        study.set_user_attr("owner", owner)
    for slot, params in enumerate(planned(request)):
        study.enqueue_trial(params, user_attrs={"slot": slot})
    study.set_user_attr("request", request.model_dump(mode="json"))  # last: the sweep is ready
    return sweep_id


OPEN_SWEEPS = sqlalchemy.text(
    "SELECT s.study_name, c.value_json FROM studies s "
    "LEFT JOIN study_user_attributes c ON c.study_id = s.study_id AND c.key = 'client' "
    "WHERE s.study_name LIKE 'sweep-%' "
    "AND EXISTS (SELECT 1 FROM trials t WHERE t.study_id = s.study_id "
    "AND t.state IN ('WAITING', 'RUNNING')) "
    "AND NOT EXISTS (SELECT 1 FROM study_user_attributes x WHERE x.study_id = s.study_id "
    "AND x.key = 'cancelled')"
)
OWNED = (
    "FROM studies s JOIN study_user_attributes r ON r.study_id = s.study_id AND r.key = 'request' "
    "{owner} WHERE s.study_name LIKE 'sweep-%'"
)
OWNER_JOIN = (
    "JOIN study_user_attributes o ON o.study_id = s.study_id AND o.key = 'owner' "
    "AND o.value_json = :owner"
)


def open_clients(storage: RDBStorage) -> list[str]:
    """The client address of each open sweep (trials queued or running, not cancelled), in
    one query however many sweeps and trials the storage holds."""
    with storage.engine.connect() as connection:
        rows = connection.execute(OPEN_SWEEPS).all()
    return [json.loads(client) if client else "" for _, client in rows]


def owned_ids(
    storage: RDBStorage, owner: str | None, limit: int, offset: int
) -> tuple[list[str], int]:
    """A page of sweep ids, newest first, of one owner (a key hash), or of all for None; and
    how many there are in all (two queries, whatever the number of trials)."""
    sql = OWNED.format(owner=OWNER_JOIN if owner is not None else "")
    params = {"owner": json.dumps(owner), "limit": limit, "offset": offset}
    with storage.engine.connect() as connection:
        total = connection.execute(sqlalchemy.text(f"SELECT COUNT(*) {sql}"), params).scalar()
        page = connection.execute(
            sqlalchemy.text(
                f"SELECT s.study_name {sql} ORDER BY s.study_id DESC LIMIT :limit OFFSET :offset"
            ),
            params,
        ).all()
    return [name.removeprefix(PREFIX) for (name,) in page], int(total or 0)


LIGHT_TRIALS = (
    "SELECT t.study_id, t.trial_id, t.number, t.state, v.value, a.key, a.value_json "
    "FROM trials t "
    "LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0 "
    "LEFT JOIN trial_user_attributes a ON a.trial_id = t.trial_id "
    "AND a.key IN ('slot', 'message') "
    "WHERE t.study_id IN ({ids})"
)
RETRIES = (
    "SELECT s.trial_id, s.value_json FROM trial_system_attributes s "
    "JOIN trials t ON t.trial_id = s.trial_id "
    "WHERE s.key = 'retry_history' AND t.study_id IN ({ids})"
)


@dataclass
class LightTrial:
    """What a listing needs of a trial (no history): number, state, value, slot and message
    (as user_attrs) and its retries (as system_attrs), shaped like Optuna's FrozenTrial."""

    number: int
    state: TrialState
    value: float | None
    user_attrs: dict[str, Any] = field(default_factory=dict)
    system_attrs: dict[str, Any] = field(default_factory=dict)


def light_trials(storage: RDBStorage, study_ids: list[int]) -> dict[int, list[LightTrial]]:
    """Every trial of these studies without its history, in two queries: what GET /api/sweeps
    shows of hundreds of trials in a few milliseconds."""
    found: dict[int, list[LightTrial]] = {study_id: [] for study_id in study_ids}
    if not study_ids:
        return found
    ids = ", ".join(str(int(study_id)) for study_id in study_ids)
    trials: dict[int, LightTrial] = {}
    with storage.engine.connect() as connection:
        for study_id, trial_id, number, state, value, key, raw in connection.execute(
            sqlalchemy.text(LIGHT_TRIALS.format(ids=ids))
        ):
            trial = trials.get(trial_id)
            if trial is None:
                trial = trials[trial_id] = LightTrial(number, TrialState[state], value)
                found[study_id].append(trial)
            if key is not None:
                trial.user_attrs[key] = json.loads(raw)
        for trial_id, raw in connection.execute(sqlalchemy.text(RETRIES.format(ids=ids))):
            if trial_id in trials:
                trials[trial_id].system_attrs["retry_history"] = json.loads(raw)
    return found


def sweep_ids(storage: RDBStorage) -> list[str]:
    """Every sweep in the storage, oldest first."""
    names = optuna.get_all_study_names(storage)
    return [name.removeprefix(PREFIX) for name in names if name.startswith(PREFIX)]


def find(storage: RDBStorage, sweep_id: str) -> int | None:
    """The study id of a sweep, or None (also while it is still being created)."""
    try:
        study_id = storage.get_study_id_from_name(PREFIX + sweep_id)
    except KeyError:
        return None
    return study_id if "request" in storage.get_study_user_attrs(study_id) else None


def read(storage: RDBStorage, study_id: int) -> tuple[dict, list[FrozenTrial]]:
    """A sweep's study attributes and all its trials."""
    attrs = storage.get_study_user_attrs(study_id)
    return attrs, study_of(storage, study_id).get_trials(deepcopy=False)


def study_of(storage: RDBStorage, study_id: int) -> optuna.Study:
    """The sweep's Study, kept for the KEPT_STUDIES sweeps read last: Optuna caches a study's
    finished trials (they never change) and reads again only those not finished."""
    key = (id(storage), study_id)
    with KEEPING:
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    name = storage.get_study_name_from_id(study_id)
    study = optuna.load_study(study_name=name, storage=storage, sampler=RandomSampler())
    with KEEPING:
        kept[key] = study
        while len(kept) > KEPT_STUDIES:
            kept.popitem(last=False)
    return study


def cancel(storage: RDBStorage, study_id: int) -> None:
    """Mark a sweep cancelled: workers stop its running trials and start no more."""
    storage.set_study_user_attr(study_id, "cancelled", time.time())
