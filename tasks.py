"""Bootstrap and run Descent: `python3 tasks.py serve` or `python3 tasks.py test`.

Only the standard library is used here, so this works on a fresh machine with Python 3.11+.
It creates `.venv/` on first use, installs the project with its dev extra and the Python client
(client/, editable) into it (again whenever pyproject.toml or client/pyproject.toml changes),
then runs the command inside that environment.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".install-stamp"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_environment() -> Path:
    """Create .venv and install `.[dev]` and `./client` into it unless their pyproject.toml
    files are unchanged."""
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        print("tasks: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for project in (ROOT / "pyproject.toml", ROOT / "client" / "pyproject.toml"):
        digest.update(project.read_bytes())
    stamp = digest.hexdigest()
    if not STAMP.exists() or STAMP.read_text() != stamp:
        print("tasks: installing descent-playground[dev] and descent-client into .venv", flush=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
        subprocess.run([*pip, "-e", str(ROOT / "client")], check=True)
        STAMP.write_text(stamp)
    return python


def main(argv: list[str]) -> int:
    """Dispatch `serve [descent serve options]` or `test [pytest options]`."""
    if not argv or argv[0] not in {"serve", "test"}:
        print("usage: python3 tasks.py serve [--host H] [--port P] | test [pytest args]")
        return 2
    python = ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "serve":
        args = [str(python), "-m", "app.server.cli", "serve", *rest]
    else:
        args = [str(python), "-m", "pytest", *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
