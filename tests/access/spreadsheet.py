"""How a spreadsheet may cut a CSV file into cells, for the export tests.

The exports write ',' as separator with every field quoted. A spreadsheet in the
Netherlands splits on ';' and may do so inside the quotes, an import may split on a tab,
and a line break inside a field may start a new row. Each of those ways must leave no
cell that a spreadsheet runs as a formula (lens.data.cells). A reader that splits on ','
honours the quotes (the file's own separator).
"""

from __future__ import annotations

import csv
import io
import re

from lens.data.cells import FORMULA_START

SEPARATORS = (";", "\t")


def cells(text: str) -> list[tuple[str, str]]:
    """Every cell of `text` by every way of reading it: (how, cell)."""
    found = []
    for separator in SEPARATORS:
        for line in re.split(r"\r\n|\n|\r", text):
            found += [(f"naive split on {separator!r}", cell) for cell in line.split(separator)]
    for delimiter in (",", *SEPARATORS):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row in reader:
            for cell in row:
                for part in re.split(r"\r\n|\n|\r", cell):
                    found.append((f"csv module on {delimiter!r}", part))
    return found


def stripped(how: str, cell: str) -> str:
    """The cell once a spreadsheet that split naively has taken off the file's quote that
    opened it (the csv module has taken it off already)."""
    return cell[1:] if how.startswith("naive") and cell.startswith('"') else cell


def formulas(text: str) -> list[tuple[str, str]]:
    """The cells that would start with a formula character."""
    return [
        (how, cell) for how, cell in cells(text) if stripped(how, cell).startswith(FORMULA_START)
    ]
