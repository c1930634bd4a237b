"""Plain-text tables and spreadsheet-safe CSV for the command's reports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Some spreadsheets start a new row at a line break even inside quotes, so every line of
# a cell is a possible formula start, not only the first.
_LINE_START = re.compile(r"(\r\n|\r|\n)(?=[=+\-@\t])")
# A negative number is a number, not a formula ("-12.5"; but "-2+3" is a formula).
_NUMBER = re.compile(r"-\d+(\.\d+)?([eE][-+]?\d+)?")


def neutralise_cell(value: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the text instead of running it.

    The cell's start and the start of every line in it are neutralised; a cell that is
    only a negative number stays a number a spreadsheet can chart.
    """
    if _NUMBER.fullmatch(value):
        return value
    value = _LINE_START.sub(r"\1'", value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """CSV with every cell neutralised; a cell with a line break is always quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def to_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, wrap_last: int = 60) -> str:
    """Columns padded to their widest cell; the last column is cut at ``wrap_last``."""

    def clip(cell: str, last: bool) -> str:
        cell = " ".join(cell.split())
        return cell if not last or len(cell) <= wrap_last else cell[: wrap_last - 1] + "…"

    cells = [[clip(c, i == len(header) - 1) for i, c in enumerate(row)] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"
