"""core/ imports NumPy and the standard library only."""

import json
import subprocess
import sys

WEB_MODULES = ["fastapi", "starlette", "pydantic", "jinja2", "uvicorn", "httpx"]


def test_importing_core_loads_no_web_framework() -> None:
    code = (
        "import sys, json, core, core.training, core.gradcheck; "
        f"print(json.dumps([m for m in {WEB_MODULES!r} if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
