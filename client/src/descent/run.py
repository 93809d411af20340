"""Run: the answer of POST /api/train, read as attributes."""

from __future__ import annotations

import importlib
from typing import Any

from descent.arrays import array, arrays


class Run:
    """A finished scripted run: `status` ("done" or "diverged"), `message`, `history` (one dict
    per recorded iteration), `final` figures, `weights` and `boundary`; `raw` is the JSON."""

    def __init__(self, answer: dict[str, Any], config: dict[str, Any] | None = None) -> None:
        self.raw = answer
        self.config = config

    @property
    def status(self) -> str:
        """ "done", or "diverged" when the cost blew up (then `message` says what to try)."""
        return str(self.raw["status"])

    @property
    def message(self) -> str:
        """The server's one-line summary of the run."""
        return str(self.raw.get("message", ""))

    @property
    def history(self) -> list[dict[str, Any]]:
        """{iteration, epoch, cost_train, cost_test, accuracy_train, accuracy_test, ...} at
        iteration 0, every record_every-th iteration and the last one."""
        return list(self.raw["history"])

    @property
    def final(self) -> dict[str, Any]:
        """The last figures: costs, accuracies, rmse, learning rate and confusion matrices."""
        return dict(self.raw["final"])

    @property
    def iterations(self) -> int:
        """The iteration the run stopped at."""
        return int(self.raw["final"]["iteration"])

    @property
    def weights(self) -> dict[str, Any]:
        """{"W1": ..., "b1": ..., ...}: NumPy arrays of shapes (n_l, n_{l-1}) and (n_l, 1), or
        nested lists without NumPy. Pass them back as `initial_weights` to go on."""
        return arrays(self.raw["weights"])

    @property
    def boundary(self) -> dict[str, Any] | None:
        """The output over the r x r grid asked for with `boundary_resolution` (None when not
        asked): `values` (row 0 is y max, column 0 is x min), `probabilities` for K >= 3
        classes (K grids), `extent`, `resolution`, as arrays when NumPy is installed."""
        boundary = self.raw.get("boundary")
        if boundary is None:
            return None
        grids = {k: array(boundary[k]) for k in ("values", "probabilities") if boundary.get(k)}
        return {**boundary, **grids}

    def to_pandas(self) -> Any:
        """The history as a pandas DataFrame indexed by iteration (needs pandas)."""
        try:
            pandas = importlib.import_module("pandas")
        except ImportError:
            raise ImportError(
                "Run.to_pandas() needs pandas: pip install pandas (run.history is the same "
                "table as a list of dicts)"
            ) from None
        return pandas.DataFrame(self.history).set_index("iteration")

    def __repr__(self) -> str:
        cost = self.raw["final"].get("cost_train")
        return f"<Run {self.status} at iteration {self.iterations}, cost_train {cost}>"
