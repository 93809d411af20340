"""The one CSV writer of downloads: text a spreadsheet would run as a formula is defused,
numbers are not; POST /api/datasets/csv and the room CSV both go through it."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.shared.csv_cells import csv_text, safe_cell

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_becomes_text(text: str):
    assert safe_cell(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert [safe_cell(v) for v in (-0.5, 3, None, "ada", "a=b")] == [-0.5, 3, None, "ada", "a=b"]
    rows = list(csv.reader(io.StringIO(csv_text([["name", "x"], ["=1+1", -0.5]]))))
    assert rows == [["name", "x"], ["'=1+1", "-0.5"]]


def test_a_dataset_legend_cannot_smuggle_a_formula():
    with TestClient(create_app(Settings())) as client:
        body = {"dataset": {"name": "xor", "samples": 8}, "legend": ['=HYPERLINK("x")', "b"]}
        response = client.post("/api/datasets/csv", json=body)
    assert response.status_code == 200, response.text
    labels = {row[2] for row in csv.reader(io.StringIO(response.text))}
    assert '\'=HYPERLINK("x")' in labels and '=HYPERLINK("x")' not in labels
    assert any(row[0].startswith("-") for row in csv.reader(io.StringIO(response.text)))
