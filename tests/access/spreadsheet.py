"""How a spreadsheet may cut a CSV file into cells, for the export tests.

A spreadsheet in the Netherlands splits on ';' by default, others on ','; an import may
split on a tab or on spaces (any Unicode space); some honour the quotes, some programs
split naively. Each way must leave no cell that a spreadsheet runs as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from lens.data.cells import FORMULA_START

SEPARATORS = (",", ";", "\t", "space")


def cells(text: str) -> list[tuple[str, str]]:
    """Every cell of `text` by every way of reading it: (how, cell)."""
    found = []
    for separator in SEPARATORS:
        for line in re.split(r"\r\n|\n|\r", text):
            parts = re.split(r"\s", line) if separator == "space" else line.split(separator)
            found += [(f"naive split on {separator!r}", cell) for cell in parts]
        for delimiter in SPACES if separator == "space" else separator:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            found += [(f"csv module on {separator!r}", cell) for row in reader for cell in row]
    return found


# The spaces an import that splits on spaces might take for one.
SPACES = (" ", "\xa0", "\u2003", "\u3000")


def stripped(cell: str) -> str:
    """The cell once a spreadsheet has taken off the quotes and any Unicode spaces."""
    start = 0
    while start < len(cell) and (cell[start].isspace() or cell[start] == '"'):
        start += 1
    return cell[start:]


def formulas(text: str) -> list[tuple[str, str]]:
    """The cells that would start with a formula character, also once a spreadsheet has
    taken off the quotes and spaces (any Unicode whitespace) around them."""
    return [
        (how, cell)
        for how, cell in cells(text)
        if cell.startswith(FORMULA_START) or stripped(cell).startswith(FORMULA_START)
    ]
