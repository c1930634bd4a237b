"""Plain-text tables and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io

import pytest

from rca_desk.interchange.tables import neutralise_cell, to_csv, to_table


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\rplain",
    ],
)
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert neutralise_cell(cell) == "'" + cell


def test_a_cell_starting_with_a_break_before_a_formula_is_neutralised_twice() -> None:
    assert neutralise_cell("\r=1+1") == "'\r'=1+1"


@pytest.mark.parametrize(
    "cell", ["", "Priya Nair", "2026-11-23", "a=b", "100%", "'quoted", " =1+1", "é=mc²"]
)
def test_ordinary_cells_are_kept(cell: str) -> None:
    assert neutralise_cell(cell) == cell


@pytest.mark.parametrize("cell", ["-5", "-12.5", "-1e5", "-0.25E-3"])
def test_a_negative_number_stays_a_number_a_spreadsheet_can_chart(cell: str) -> None:
    assert neutralise_cell(cell) == cell
    assert float(cell) < 0


@pytest.mark.parametrize("cell", ["-5+cmd|' /C calc'!A0", "-1e5)", "-5\n=1", "- 5", "-5%"])
def test_a_formula_behind_a_minus_sign_is_still_neutralised(cell: str) -> None:
    assert neutralise_cell(cell).startswith("'")


def test_csv_neutralises_every_row_cell_and_stays_parseable() -> None:
    rows = [["=1+1", "-5", "plain, with comma", 'with "quotes"', "two\nlines"]]
    text = to_csv(["a", "b", "c", "d", "e"], rows)
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["a", "b", "c", "d", "e"]
    assert parsed[1] == ["'=1+1", "-5", "plain, with comma", 'with "quotes"', "two\nlines"]
    assert len(parsed) == 2


def test_table_columns_line_up() -> None:
    text = to_table(["ID", "OWNER", "TITLE"], [["1", "Ann", "Short"], ["22", "Bartholomew", "X"]])
    lines = text.splitlines()
    assert lines == [
        "ID  OWNER        TITLE",
        "1   Ann          Short",
        "22  Bartholomew  X",
    ]
    assert text.endswith("\n")


def test_table_cells_are_one_line_and_the_last_column_is_clipped() -> None:
    long_title = "word " * 30
    text = to_table(["A", "TITLE"], [["multi\nline\tcell", long_title]], wrap_last=20)
    lines = text.splitlines()
    assert len(lines) == 2
    row = lines[1]
    assert row.startswith("multi line cell  ")
    title = row.removeprefix("multi line cell  ")
    assert len(title) == 20
    assert title.endswith("…")


def test_table_with_no_rows_is_the_header() -> None:
    assert to_table(["ID", "TITLE"], []) == "ID  TITLE\n"


def test_a_line_break_inside_a_cell_cannot_start_a_formula_row() -> None:
    """A bare CR (or LF) in an owner name: a spreadsheet may start a new row there, so the
    text after it is neutralised too, and the cell stays one quoted cell."""
    text = to_csv(["owner", "title"], [['Ann\r=HYPERLINK("http://x")', "Fix"]])
    assert text == 'owner,title\n"Ann\r\'=HYPERLINK(""http://x"")",Fix\n'
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["owner", "title"], ['Ann\r\'=HYPERLINK("http://x")', "Fix"]]
    assert neutralise_cell("one\n+two\r\n-three\nfour") == "one\n'+two\r\n'-three\nfour"
