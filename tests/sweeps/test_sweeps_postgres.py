"""Many machines' mode: two `descent worker` processes share one sweep through a real PostgreSQL
(a throwaway cluster made with initdb and pg_ctl; skipped without Debian's postgresql package,
except under CI=true, where it fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, free_port, served


def postgres_bin() -> Path:
    """$POSTGRES_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    if "POSTGRES_BIN" in os.environ:
        return Path(os.environ["POSTGRES_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = postgres_bin()


def as_postgres(command: list[str]) -> list[str]:
    """The command run as the `postgres` user when we are root (postgres refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free port; yields its URL and stops it afterwards."""
    if not (BIN / "initdb").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not installed ({BIN}): .ci/run must apt-get install it")
        pytest.skip("PostgreSQL is not installed (Debian package postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="descent-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    run = {"check": True, "capture_output": True}
    subprocess.run(as_postgres([str(BIN / "initdb"), "-D", str(data), "-A", "trust",
                                "-U", "postgres"]), **run)  # fmt: skip
    options = f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off"
    pg_ctl = [str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"]
    subprocess.run(as_postgres([*pg_ctl, "-o", options, "start"]), **run)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_postgres([*pg_ctl, "-m", "fast", "stop"]), **run)
        shutil.rmtree(folder, ignore_errors=True)


def worker(url: str, log: Path) -> subprocess.Popen:
    """`descent worker --storage URL`, as on another machine, logging to a file."""
    with log.open("w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "app.server.cli", "worker", "--storage", url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def wait_started(logs: list[Path], timeout: float = 60.0) -> None:
    """Wait until every worker has logged that it started looking for trials."""
    deadline = time.monotonic() + timeout
    while not all("started" in log.read_text() for log in logs):
        assert time.monotonic() < deadline, [log.read_text()[-500:] for log in logs]
        time.sleep(0.1)


def test_two_workers_share_one_sweep_and_run_exactly_its_trials_once_each(
    postgres: str, tmp_path: Path
):
    logs = [tmp_path / "worker-0.log", tmp_path / "worker-1.log"]
    workers = [worker(postgres, log) for log in logs]
    settings = {"DESCENT_SWEEP_STORAGE": postgres, "DESCENT_SWEEP_WORKERS": "0"}
    try:
        with (
            served(settings=settings) as (base, _),
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            wait_started(logs)
            body = {"space": {"optimizer.learning_rate": {"low": 0.01, "high": 3, "log": True}},
                    "trials": 8, "iterations": 8000}  # fmt: skip
            created = client.post("/api/sweeps", json=body).json()
            deadline = time.monotonic() + 180
            while (view := client.get(created["url"]).json())["status"] != "done":
                assert time.monotonic() < deadline and view["status"] != "failed", view["progress"]
                time.sleep(0.2)
            owner = {"X-Sweep-Key": created["key"]}  # the listing's queries on PostgreSQL
            (listed,) = client.get("/api/sweeps", headers=owner).json()
            assert listed["id"] == created["id"] and listed["progress"] == view["progress"]
            assert client.delete(created["url"], headers=owner).status_code == 200
    finally:
        for process in workers:
            process.terminate()
            process.wait(30)
    assert view["progress"]["complete"] == 8 and view["progress"]["finished"] == 8
    assert sorted(t["number"] for t in view["trials"]) == list(range(8))
    assert sorted(t["optuna_number"] for t in view["trials"]) == list(range(8))  # none twice
    ran_by = {process.pid: 0 for process in workers}
    for trial in view["trials"]:
        ran_by[int(trial["worker"].rsplit(":", 1)[1])] += 1
    assert all(count >= 1 for count in ran_by.values()), ran_by
