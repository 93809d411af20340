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


def test_from_python_examples_run_as_written_against_a_server(tmp_path: Path) -> None:
    """Every python block of "From Python", in order, in one fresh interpreter, with only the
    server's address changed to a test server's (one that runs sweep trials)."""
    from tests.servers import served

    code = "\n".join(re.findall(r"```python\n(.*?)```", section("From Python"), re.S))
    settings = {"DESCENT_SWEEP_WORKERS": "1", "DESCENT_DATA_DIR": str(tmp_path)}
    with served(settings=settings) as (base, _):
        script = code.replace("http://127.0.0.1:8000", base)
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
            cwd=tmp_path,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    table = [line for line in lines if line.startswith("Accuracy for")]
    assert table[:5] == [
        "Accuracy for 1 hidden units: 67.50 %",  # the course's own numbers
        "Accuracy for 2 hidden units: 67.25 %",
        "Accuracy for 3 hidden units: 90.75 %",
        "Accuracy for 4 hidden units: 90.50 %",
        "Accuracy for 5 hidden units: 91.25 %",
    ]
    assert "200 40 " in result.stdout and lines.count("True") == 2
    assert "correct [('W1'" in result.stdout and "epochs - epochs: give" in result.stdout
