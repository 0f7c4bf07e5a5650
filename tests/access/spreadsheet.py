"""How a spreadsheet may cut a CSV file into cells, for the export tests.

A spreadsheet in the Netherlands splits on ';' by default, others on ','; some honour the
quotes, some programs split naively. Each way must leave no cell that a spreadsheet runs
as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from lens.access.log import FORMULA_START

SEPARATORS = (",", ";")


def cells(text: str) -> list[tuple[str, str]]:
    """Every cell of `text` by every way of reading it: (how, cell)."""
    found = []
    for separator in SEPARATORS:
        for line in re.split(r"\r\n|\n|\r", text):
            found += [(f"naive split on {separator!r}", cell) for cell in line.split(separator)]
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        found += [(f"csv module on {separator!r}", cell) for row in reader for cell in row]
    return found


def formulas(text: str) -> list[tuple[str, str]]:
    """The cells that would start with a formula character, also once a spreadsheet has
    taken off the quotes and spaces around them."""
    return [
        (how, cell)
        for how, cell in cells(text)
        if cell.startswith(FORMULA_START) or cell.lstrip(' "').startswith(FORMULA_START)
    ]
