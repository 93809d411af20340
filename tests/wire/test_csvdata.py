"""CSV text to custom points and back: headers, labels, legends and every malformed file."""

from __future__ import annotations

import pytest

from app.wire.csvfile import CsvError, parse_csv, write_csv


def test_a_header_and_integer_labels_give_points_and_a_numbered_legend() -> None:
    parsed = parse_csv("x1,x2,label\n1,2,0\n3.5,-4,2\n0,0,1\n", 100)
    assert parsed.points == [[1.0, 2.0, 0.0], [3.5, -4.0, 2.0], [0.0, 0.0, 1.0]]
    assert (parsed.problem, parsed.classes, parsed.legend) == ("classification", 3, ["0", "1", "2"])
    assert parsed.header == ["x1", "x2", "label"]


def test_string_labels_are_numbered_in_order_of_appearance_without_a_header() -> None:
    parsed = parse_csv('1,1,dog\n2,2,cat\r\n\n# a comment\n3,3,dog\n4,4,"bird, small"\n', 100)
    assert [p[2] for p in parsed.points] == [0.0, 1.0, 0.0, 2.0]
    assert parsed.legend == ["dog", "cat", "bird, small"] and parsed.header is None


def test_numbers_that_are_not_0_to_k_minus_1_make_regression_unless_told_otherwise() -> None:
    assert parse_csv("1,1,0.5\n2,2,-3\n", 100).problem == "regression"
    assert parse_csv("x1,x2,y\n1,1,0\n2,2,1\n", 100).problem == "regression"
    told = parse_csv("1,1,5\n2,2,7\n3,3,5\n", 100, "classification")
    assert told.legend == ["5", "7"] and [p[2] for p in told.points] == [0.0, 1.0, 0.0]
    regression = parse_csv("1,1,0\n2,2,1\n", 100, "regression")
    assert regression.points[1] == [2.0, 2.0, 1.0] and regression.legend is None


BROKEN = [
    ("x1,x2,label\n1,2,0\n" + "3,abc,1\n", 3, 2, "line 3, column 2: 'abc' is not a number"),
    ("1,2,0\n1,2\n", 2, None, "line 2: expected 3 columns x1,x2,label or x1,x2,y (got 2)"),
    ("1,2,0\n1,2,1,4\n", 2, None, "(got 4)"),
    ("1,inf,0\n1,2,1\n", 1, 2, "line 1, column 2: 'inf' is not a finite number"),
    ("nan,1,0\n1,2,1\n", 1, 1, "'nan' is not a finite number"),
    ("x1,x2,y\n1,2,0.5\n1,2,abc\n", 3, 3, "line 3, column 3: 'abc' is not a number"),
    ("x1,x2,label\n", None, None, "no data"),
    ("", None, None, "no data"),
    ("1,1,a\n2,2,a\n", None, None, "only one class ('a')"),
    ("".join(f"{i},{i},c{i}\n" for i in range(9)), 9, 3, "label 'c8' would be class 9"),
    ("".join(f"{i},{i},{i % 2}\n" for i in range(6)), 6, None, "line 6: more than 5 points"),
    ("x1,x2,label\n0,0,0\n1,1,1\n2,2,O\n3,3,0\n", 4, 3, "label 'O' is not a number"),
    ("0,0,a\n1,1,b\n2,2,1\n3,3,a\n", 3, 3, "label '1' is a number"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), BROKEN)
def test_a_malformed_file_names_the_line_and_column_and_why(
    text: str, line: int | None, column: int | None, message: str
) -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv(text, 5 if "more than" in message else 100)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert message in str(caught.value)


def test_written_csv_reads_back_to_the_same_points_and_class_names() -> None:
    points = [[0.1, -2.5, 1.0], [1e-7, 3.0, 0.0], [2.0, 2.0, 2.0], [0.5, 0.5, 1.0]]
    assert parse_csv(write_csv(points, "classification", None), 100).points == points
    legend = ["red", "green, dark", "blue"]
    text = write_csv(points, "classification", legend)
    assert text.splitlines()[:2] == ["x1,x2,label", '0.1,-2.5,"green, dark"']
    parsed = parse_csv(text, 100)  # names are numbered again in order of appearance
    assert [p[:2] for p in parsed.points] == [p[:2] for p in points]
    names = [parsed.legend[int(p[2])] for p in parsed.points]
    assert names == [legend[int(p[2])] for p in points]
    regression = [[0.1, 0.2, 0.30000000000000004], [1.0, 2.0, -1.5]]
    assert parse_csv(write_csv(regression, "regression", None), 100).points == regression
