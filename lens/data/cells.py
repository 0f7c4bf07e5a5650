"""Spreadsheet-safe text for every CSV and spreadsheet export of the project.

The text in an export comes from outside (a purpose, a user agent, a name) and the
reader's spreadsheet may split on ',' or ';' (Dutch Excel), on a tab or a space (an
import wizard), and may ignore the quotes. So not only the start of a value but every
place after such a break could start a cell. `defused` puts an apostrophe before every
such place that starts with a formula character or a quote (a quote can open a cell
whose text starts after it): the spreadsheet then shows that cell as text. Nothing else
changes, so the text read back without the added apostrophes is the original.

Plain Python, no Django: the access log (lens.access.log) and the beheerder's audit
export (lens.accounts) both use it, and each layer may import lens.data.
"""

from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell: either separator (Dutch Excel splits on ';')
# and a tab or line break. Every other whitespace character (str.isspace: a space, a
# non-breaking space, U+2003 ...) is a break too: an import may split on spaces, and a
# program that trims them would start the cell after them.
CELL_BREAKS = (",", ";", "\t", "\n", "\r")


def is_break(character: str) -> bool:
    """Whether a spreadsheet could start a new cell after `character`."""
    return character in CELL_BREAKS or character.isspace()


def defused(value: Any) -> Any:
    """A value with an apostrophe before every place where a spreadsheet could start a
    formula; anything but text as it is."""
    if not isinstance(value, str):
        return value
    out = []
    cell_start = True
    for character in value:
        if cell_start and (character in FORMULA_START or character == '"'):
            out.append("'")
        out.append(character)
        cell_start = is_break(character)
    if value and cell_start:
        # What follows is the closing quote and the line break or the next field: a cell
        # that would start with a quote, and after it a line break (CR).
        out.append("'")
    return "".join(out)
