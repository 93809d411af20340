"""CSV text <-> custom points: `x1,x2,label` (classification) or `x1,x2,y` (regression).

A header line is optional (a first line whose x1 and x2 are not numbers); blank lines and lines
starting with # are skipped. Labels are integers 0..K-1, or any K <= 8 distinct strings
numbered in order of appearance (the legend). Every rejection says the line and column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.losses import MAX_CLASSES

COLUMNS = 3
REGRESSION_NAMES = {"y", "target", "value"}
CLASS_NAMES = {"label", "class", "labels", "classes"}


class CsvError(ValueError):
    """A malformed file: "line 17, column 3: 'abc' is not a number"."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = ", ".join(f"{k} {v}" for k, v in (("line", line), ("column", column)) if v)
        super().__init__(f"{where}: {message}" if where else message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class ParsedCsv:
    """The points [[x1, x2, label or y], ...], the legend of class names, and what was read."""

    points: list[list[float]]
    problem: str
    classes: int | None
    legend: list[str] | None
    header: list[str] | None


def number(cell: str, line: int, column: int) -> float:
    """The cell as a finite float, or a CsvError naming where it is."""
    try:
        value = float(cell)
    except ValueError:
        raise CsvError(f"{cell!r} is not a number", line, column) from None
    if not math.isfinite(value):
        raise CsvError(f"{cell!r} is not a finite number", line, column)
    return value


def is_number(cell: str) -> bool:
    """Whether float(cell) works."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) of every line that is not blank or a # comment."""
    found = []
    for number_, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([line]))
        found.append((number_, [cell.strip() for cell in cells]))
    return found


def parse_csv(text: str, max_points: int, problem: str | None = None) -> ParsedCsv:
    """Points from CSV text; problem None decides from the header or the third column."""
    lines = rows(text)
    header = None
    if lines and not any(is_number(cell) for cell in lines[0][1][:2]):
        header = lines.pop(0)[1]
    if not lines:
        raise CsvError("no data: expected lines of x1,x2,label or x1,x2,y")
    xs, thirds = [], []
    for count, (line, cells) in enumerate(lines, start=1):
        if count > max_points:
            raise CsvError(f"more than {max_points} points", line)
        if len(cells) != COLUMNS:
            raise CsvError(f"expected 3 columns x1,x2,label or x1,x2,y (got {len(cells)})", line)
        xs.append([number(cells[0], line, 1), number(cells[1], line, 2)])
        thirds.append((line, cells[2]))
    problem = problem or guess_problem(header, [cell for _, cell in thirds])
    if problem == "regression":
        ys = [number(cell, line, 3) for line, cell in thirds]
        points = [[*x, y] for x, y in zip(xs, ys, strict=True)]
        return ParsedCsv(points, "regression", None, None, header)
    labels, legend = class_numbers(thirds)
    points = [[*x, float(k)] for x, k in zip(xs, labels, strict=True)]
    return ParsedCsv(points, "classification", len(legend), legend, header)


def guess_problem(header: Sequence[str] | None, thirds: list[str]) -> str:
    """The header's word for column 3 if it has one, else classification unless some third
    value is not one of 0..K-1 (K <= 8) while all are numbers."""
    if header and len(header) == COLUMNS:
        name = header[2].lower()
        if name in REGRESSION_NAMES:
            return "regression"
        if name in CLASS_NAMES:
            return "classification"
    if not all(is_number(cell) for cell in thirds):
        return "classification"
    return "classification" if counted_labels(thirds) is not None else "regression"


def counted_labels(cells: list[str]) -> list[int] | None:
    """The cells as class numbers when they are exactly the integers 0..K-1, 2 <= K <= 8."""
    try:
        values = [float(cell) for cell in cells]
    except ValueError:
        return None
    if not all(math.isfinite(v) and v == int(v) for v in values):
        return None
    labels = [int(v) for v in values]
    distinct = set(labels)
    fits = 2 <= len(distinct) <= MAX_CLASSES and distinct == set(range(len(distinct)))
    return labels if fits else None


def mixed_labels(thirds: list[tuple[int, str]]) -> None:
    """A CsvError at the first label of the rarer kind when numbers and names are mixed (a
    letter O among zeros would otherwise load silently as a class of its own)."""
    numeric = [is_number(cell) for _, cell in thirds]
    if all(numeric) or not any(numeric):
        return
    odd = sum(numeric) * 2 < len(numeric)  # the rarer kind: numbers among names, or names
    line, cell = next(t for t, n in zip(thirds, numeric, strict=True) if n == odd)
    usual = sorted({c for (_, c), n in zip(thirds, numeric, strict=True) if n != odd})[:3]
    kind = "a number" if odd else "not a number"
    others = ", ".join(repr(c) for c in usual)
    raise CsvError(
        f"label {cell!r} is {kind}, unlike the other labels ({others}, ...): a typo? "
        "Labels are class numbers 0, 1, ... or class names, not both",
        line,
        3,
    )


def class_numbers(thirds: list[tuple[int, str]]) -> tuple[list[int], list[str]]:
    """Labels 0..K-1 as given, or distinct strings numbered in order of appearance; legend."""
    cells = [cell for _, cell in thirds]
    counted = counted_labels(cells)
    if counted is not None:
        return counted, [str(k) for k in range(max(counted) + 1)]
    mixed_labels(thirds)
    legend: dict[str, int] = {}
    for line, cell in thirds:
        if cell not in legend:
            if len(legend) == MAX_CLASSES:
                raise CsvError(
                    f"label {cell!r} would be class {MAX_CLASSES + 1}; at most {MAX_CLASSES}",
                    line,
                    3,
                )
            legend[cell] = len(legend)
    if len(legend) < 2:
        raise CsvError(f"only one class ({cells[0]!r}): a classifier needs at least 2")
    return [legend[cell] for cell in cells], list(legend)


def write_csv(points: list[list[float]], problem: str, legend: Sequence[str] | None) -> str:
    """CSV text with a header: x1,x2,label (names from the legend if given) or x1,x2,y."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["x1", "x2", "y" if problem == "regression" else "label"])
    for x1, x2, third in points:
        xs = [repr(float(x1)), repr(float(x2))]
        if problem == "regression":
            writer.writerow([*xs, repr(float(third))])
        else:
            writer.writerow([*xs, legend[int(third)] if legend else int(third)])
    return out.getvalue()
