"""Spreadsheet-safe text for every CSV and spreadsheet export of the project.

The text in an export comes from outside (a purpose, a user agent, a name). A
spreadsheet runs a cell that starts with '=', '+', '-', '@', a tab or a carriage return
as a formula. Dutch Excel splits a line on ';' and an import may split on a tab or take
a line break inside a field as a new row, so a formula can also hide after one of those
inside a field ("controle;=1+2": a defect of an earlier export). `defused` puts an
apostrophe before such a character at the start of the field and directly after a ';',
a tab or a line break inside it (a quote between them may be read as a new cell's
opening quote, so it does not count), and nowhere else: ordinary text ("Jan - Piet", "a, b")
stays as it is, and the text read back without the added apostrophes is the original.

Every writer of a CSV or spreadsheet for people uses it: the access log's export
(lens.access.log.write_csv: the page "wie heeft dit ingezien" and `lens accesslog
export`), `lens audit export`, and the local picture's CSV and XLSX (lens.picture.tables).
Plain Python, no Django, so that each layer may import it.
"""

from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Inside a field, where a reader may start a new cell: Dutch Excel's ';', a tab, a line
# break.
CELL_BREAKS = (";", "\t", "\n", "\r")


def defused(value: Any) -> Any:
    """`value` with an apostrophe before a formula character at its start or right after
    a ';', a tab or a line break; anything but text as it is."""
    if not isinstance(value, str):
        return value
    out = []
    cell_start = True
    for character in value:
        if cell_start and character in FORMULA_START:
            out.append("'")
        out.append(character)
        # A quote after a break may be read as the opening quote of a new cell.
        cell_start = character in CELL_BREAKS or (cell_start and character == '"')
    return "".join(out)
