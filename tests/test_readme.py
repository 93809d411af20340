"""README's promises: a two-command quick start and a Python example that runs as written."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    """The README text under a '## title' heading, up to the next one."""
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_quick_start_is_exactly_two_commands_one_serving_one_testing() -> None:
    block = re.search(r"```bash\n(.*?)```", section("Quick start"), re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["python3 tasks.py serve", "python3 tasks.py test"]


def test_ci_runs_the_readme_test_command_as_written() -> None:
    assert "\npython3 tasks.py test\n" in (ROOT / ".ci" / "run").read_text()


def test_public_python_surface_example_runs_as_written() -> None:
    code = re.search(r"```python\n(.*?)```", section("Architecture"), re.S).group(1)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "accuracy_train=0.9" in result.stdout
