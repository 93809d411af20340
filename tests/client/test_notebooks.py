"""Real notebooks run by nbclient on an ipykernel against a live server: descent.widget gets
frames over its comm and ends with train()'s numbers; the course-table example runs top to
bottom and reproduces the course's figures."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import descent
import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "client" / "examples" / "course_table.ipynb"
CONFIG = {"dataset": {"name": "moons", "samples": 120, "noise": 0.2},
          "network": {"hidden": [5], "activation": "relu", "init": "he"},
          "optimizer": {"name": "adam", "learning_rate": 0.02}}  # fmt: skip


@pytest.fixture
def kernel_env(live_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The kernel's environment: DESCENT_URL names the live server; Jupyter's own paths."""
    monkeypatch.setenv("DESCENT_URL", live_server)
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    yield live_server


def execute(notebook: Any, folder: Path) -> Any:
    """Run every cell in a fresh python3 kernel (ipykernel); the notebook with its outputs."""
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})  # fmt: skip
    client.execute()
    return notebook


def printed(cell: Any) -> str:
    """A cell's stdout."""
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def widget_states(notebook: Any) -> list[dict[str, Any]]:
    """The widget models' last states that the front end (here nbclient) received."""
    saved = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    return [model["state"] for model in (saved or {}).get("state", {}).values()]


def test_the_widget_gets_live_frames_and_ends_with_trains_numbers(kernel_env, tmp_path):
    notebook = new_notebook()
    notebook.cells = [
        new_code_cell(f"import json, os\nimport descent\nCONFIG = {CONFIG!r}"),
        new_code_cell("w = descent.widget(CONFIG, 400, url=os.environ['DESCENT_URL'], speed=20)"
                      "\nw"),
        new_code_cell(
            "w.wait(120)\n"
            "print(json.dumps({'frames': w.frames, 'iteration': w.iteration, "
            "'cost_train': w.cost_train, 'accuracy_train': w.accuracy_train, "
            "'costs': len(w.costs), 'state': w.state}))"
        ),
    ]  # fmt: skip
    executed = execute(notebook, tmp_path)
    shown = executed.cells[1].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in shown
    live = json.loads(printed(executed.cells[2]))
    with descent.Client(kernel_env) as client:
        run = client.train(CONFIG, iterations=400)
    assert live["iteration"] == 400 and live["state"] == "done"
    assert live["cost_train"] == run.final["cost_train"]
    assert live["accuracy_train"] == run.final["accuracy_train"]
    assert live["frames"] >= 400 // 20 and live["costs"] == 400
    (state,) = [s for s in widget_states(executed) if "frames" in s]
    assert state["frames"] == live["frames"] and state["iteration"] == 400
    assert state["cost_train"] == run.final["cost_train"] and state["boundary"]["data"]
    assert "DecompressionStream" in state["_esm"] and "import " not in state["_esm"]


def test_the_course_table_notebook_runs_top_to_bottom_and_matches_the_course(kernel_env, tmp_path):
    executed = execute(nbformat.read(EXAMPLE, as_version=4), tmp_path)
    table = printed(executed.cells[2]).splitlines()
    rows = {int(line.split()[0]): line.split()[1:] for line in table[1:-1]}
    assert list(rows) == [1, 2, 3, 4, 5, 20, 50]
    for hidden in (1, 2, 3, 4, 5, 50):
        assert rows[hidden][0] == rows[hidden][1], (hidden, rows[hidden])  # digit for digit
    assert abs(float(rows[20][0][:-1]) - float(rows[20][1][:-1])) <= 0.5
    assert table[-1] == "the same accuracy as the course for 6 of 7 sizes"
    live = printed(executed.cells[5]).splitlines()
    assert live[0].startswith("live 5000 0.905 frames") and live[1] == "same as train(): True"
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert os.environ["DESCENT_URL"] == kernel_env
