"""The container's install and start steps, run without Docker: wheel -> fresh venv -> serve."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "container.sh"

pytestmark = pytest.mark.slow


def test_dockerfile_uses_the_tested_steps_and_runs_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY deploy/container.sh /usr/local/bin/descent-container" in dockerfile
    assert "descent-container install" in dockerfile
    assert 'CMD ["descent-container", "start"]' in dockerfile
    assert '"descent-container", "health"' in dockerfile
    assert "\nUSER descent\n" in dockerfile and "EXPOSE 8000" in dockerfile
    assert "FROM python:3.11-slim" in dockerfile


def test_wheel_installs_into_a_fresh_venv_and_serves_page_static_and_health(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/_assets/templates/index.html" in names
    assert "app/_assets/static/js/playground/playground.js" in names

    port = free_port()
    env = {
        **os.environ,
        "DESCENT_VENV": str(tmp_path / "venv"),
        "DESCENT_HOST": "127.0.0.1",
        "DESCENT_PORT": str(port),
    }
    subprocess.run(["sh", str(SCRIPT), "install", str(wheel)], check=True, env=env)
    server = subprocess.Popen(["sh", str(SCRIPT), "start"], env=env, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_until_healthy(base, server)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        page = httpx.get(f"{base}/", timeout=5)
        assert page.status_code == 200 and "<html" in page.text.lower()
        script = httpx.get(f"{base}/static/js/playground/playground.js", timeout=5)
        assert script.status_code == 200 and "import" in script.text
        check = subprocess.run(["sh", str(SCRIPT), "health"], env=env)
        assert check.returncode == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
