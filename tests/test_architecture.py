"""The shape of the code: core imports no web framework, and app/'s import contracts hold."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB_MODULES = ["fastapi", "starlette", "pydantic", "jinja2", "uvicorn", "httpx"]


def test_importing_core_loads_no_web_framework() -> None:
    code = (
        "import sys, json, core, core.training, core.gradcheck; "
        f"print(json.dumps([m for m in {WEB_MODULES!r} if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_import_contracts_of_pyproject_hold() -> None:
    # in a process of its own: import-linter reconfigures logging (uvicorn's filters go)
    code = (
        "from importlinter.cli import lint_imports; "
        f"raise SystemExit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_playground_session_module_imports_nothing_of_rooms() -> None:
    source = (ROOT / "app" / "playground" / "session.py").read_text()
    assert "rooms" not in source and "RoomMember" not in source
