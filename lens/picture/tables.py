"""The local picture's published tables as plain rows, for the exports (issue 11, section 4):
`lens picture export` and the page's downloads. Made from the same Picture the page shows
(lens.picture.selectors), never counted again, so an export holds exactly the page's
published values: 0, an integer of 10 or more, "<10" or "x".

In JSON, table and column names are stable identifiers (English) for a municipality's own
tools. The CSV and XLSX, read by people, name their sections (sheets) and columns as the
page's tables do, in the language asked for (`title`, `header`); labels (areas,
indicators, ...) are in that language everywhere.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lens.access import log
from lens.rules.model import Catalogue
from lens.web.places import place_label

from . import cooccurrence, published, selectors

# The method in plain words: the one text of the page, the PDF report and the exports (CSV,
# XLSX, JSON), so they cannot say different things (docs/design/insight.md, "Across pages").
SUPPRESSION = gettext_lazy(
    'Numbers of 1 to 9 persons are shown as "<10" (a 0 beside a small group too). Numbers '
    "of 10 and more are rounded to tens, up or down, the same way everywhere: a number can "
    "differ by up to 9 from the count, and totals need not add up. Numbers of signals are "
    'rounded the same way. An "x" means a number is hidden, so that a small group cannot '
    "be worked out from the other numbers. The full method is in the documentation of "
    "Uitbuitingslens: docs/design/insight.md."
)


def about_share(percent: int | None) -> str:
    """A level's share as shown: to the nearest 5 percent ("ongeveer"), since it is a share
    of numbers rounded to tens ("22%" suggested a precision it does not have); "<5%" when
    it is near 0; an en dash when it is not shown. lens.picture.published.level_shares
    hands out the steps so that the shares shown never add up to more than 100%."""
    if percent is None:
        return "\u2013"
    rounded = 5 * round(percent / 5)
    return f"{rounded}%" if rounded else "<5%"


def withheld(found: selectors.Picture) -> str:
    """Why the view is withheld (lens.picture.published.guarded), in the active language;
    "" when it is shown."""
    reasons = {
        published.WITHHELD_AREA: _(
            "This area differs by 1 to 9 persons from the larger area it lies in, with the "
            "same filters."
        ),
        published.WITHHELD_PERIOD: _(
            "This period differs by 1 to 9 persons from the longer period it lies in, with "
            "the same filters."
        ),
        published.WITHHELD_TYPE: _(
            "This organisation type differs by 1 to 9 persons from all organisation types "
            "together, with the same filters."
        ),
        published.WITHHELD_FILTER: _(
            "This filter leaves out only 1 to 9 persons of the same view without it."
        ),
    }
    if not found.withheld:
        return ""
    return _(
        "The figures of this view are withheld. %(reason)s Set side by side, the two views "
        "would tell something about those few persons. Choose a larger area, a longer "
        "period or fewer filters."
    ) % {"reason": reasons[found.withheld]}


# The page's own captions and column heads for the tables' identifiers (CSV and XLSX).
TITLES = {
    "persons_by_area_and_period": gettext_lazy("Persons by area and period"),
    "signals_by_area": gettext_lazy("Signals by area"),
    "persons_by_indicator": gettext_lazy("Persons by indicator"),
    "persons_by_leefgebied": gettext_lazy("Persons by leefgebied"),
    "persons_by_organisation_type": gettext_lazy("Persons by organisation type"),
    "persons_by_level": gettext_lazy("Persons by advice level (their latest level)"),
    "indicator_pairs": gettext_lazy("Persons with signals of both indicators"),
    "phenomena_with_indicators": gettext_lazy(
        "Linked phenomena and the indicators signalled with them (persons)"
    ),
    "withheld": gettext_lazy("Why this view is withheld"),
    "suppression": gettext_lazy("Method"),
}
HEADERS = {
    "area": gettext_lazy("Area"),
    "total": gettext_lazy("Persons"),
    "persons": gettext_lazy("Persons"),
    "signals": gettext_lazy("Signals"),
    "indicator": gettext_lazy("Indicator"),
    "together_with": gettext_lazy("Together with"),
    "leefgebied": gettext_lazy("Leefgebied"),
    "organisation_type": gettext_lazy("Organisation type"),
    "level": gettext_lazy("Level"),
    "phenomenon": gettext_lazy("Phenomenon"),
    "reason": gettext_lazy("Reason"),
}


def title(name: str) -> str:
    """A table's name as the page captions it, in the active language."""
    return str(TITLES[name]) if name in TITLES else name


def header(column: str) -> str:
    """A column as the page heads it, in the active language (a period stays as it is)."""
    return str(HEADERS[column]) if column in HEADERS else column


def sheet_titles(found: list[Table]) -> list[str]:
    """The XLSX sheet of each table: its title, cut to Excel's 31 characters, without the
    characters Excel refuses in a sheet name, and numbered where two would be equal."""
    seen: set[str] = set()
    names = []
    for table in [*found, Table("suppression", [], [])]:
        name = "".join(" " if c in "[]:*?/\\" else c for c in title(table.name))[:31].strip()
        base, number = name, 2
        while name.lower() in seen:
            name = f"{base[: 31 - len(str(number)) - 1]} {number}"
            number += 1
        seen.add(name.lower())
        names.append(name)
    return names


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list[Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "columns": self.columns, "rows": self.rows}


def tables(found: selectors.Picture, catalogue: Catalogue, language: str) -> list[Table]:
    """The page's tables, in the page's order of reading."""

    def label_of(items):
        return lambda code: items[code].label.get(language) if code in items else code

    by_area = found.by_area
    persons = Table(
        "persons_by_area_and_period",
        ["area", *found.columns, "total"],
        [
            [
                place_label(code),
                *(by_area.cells[(code, c)] for c in found.columns),
                by_area.row_totals[code],
            ]
            for code in found.area_rows
        ]
        + [[_("Total"), *(by_area.column_totals[c] for c in found.columns), by_area.total]],
    )
    signals = Table(
        "signals_by_area",
        ["area", "signals"],
        [[place_label(code), found.signals_by_area[code]] for code in found.area_rows]
        + [[_("Total"), found.signals_total]],
    )

    def one_way(name: str, column: str, published, items) -> Table:
        return Table(
            name,
            [column, "persons"],
            [[item.label.get(language), published.cells[("all", item.code)]] for item in items],
        )

    levels = Table(
        "persons_by_level",
        ["level", "persons"],
        [[str(level), found.by_level.cells[("all", level)]] for level in selectors.LEVELS],
    )
    pairs = Table("indicator_pairs", ["indicator", "together_with", "persons"], [])
    # Co-occurrence only where lens.picture.cooccurrence.answered covers the view.
    listed = not found.small_selection and found.together.shown
    if listed:
        indicator = label_of(catalogue.indicators)
        pairs.rows.extend(
            [row["first"], row["second"], row["value"]]
            for row in cooccurrence.pair_rows(found.together, indicator)
        )
        pairs.rows.append(
            [_("Persons with signals of at least two indicators"), "", found.together.by_pair.total]
        )
    # Per linked phenomenon: its persons (indicator empty), then those per indicator.
    phenomena = Table("phenomena_with_indicators", ["phenomenon", "indicator", "persons"], [])
    if listed:
        for row in cooccurrence.phenomenon_rows(
            found.together, label_of(catalogue.phenomena), label_of(catalogue.indicators)
        ):
            phenomena.rows.append([row["label"], "", row["total"]])
            phenomena.rows.extend([row["label"], c["label"], c["value"]] for c in row["indicators"])
    reason = withheld(found)
    return [
        persons,
        signals,
        one_way(
            "persons_by_indicator", "indicator", found.by_indicator, catalogue.indicators.values()
        ),
        one_way(
            "persons_by_leefgebied",
            "leefgebied",
            found.by_life_domain,
            catalogue.life_domains.values(),
        ),
        one_way(
            "persons_by_organisation_type",
            "organisation_type",
            found.by_organisation_type,
            catalogue.organisation_types.values(),
        ),
        levels,
        pairs,
        phenomena,
        *([Table("withheld", ["reason"], [[reason]])] if reason else []),
    ]


def as_json(found: list[Table]) -> dict[str, Any]:
    return {"tables": [t.as_dict() for t in found], "suppression": str(SUPPRESSION)}


def as_csv(found: list[Table]) -> str:
    """One section per table: a line with its name, its header, its rows; an empty line
    between sections. Every field quoted and no cell a formula (lens.access.log)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for number, table in enumerate(found):
        if number:
            writer.writerow([])
        writer.writerow([log.defused(title(table.name))])
        writer.writerow([log.defused(header(c)) for c in table.columns])
        writer.writerows([log.defused(value) for value in row] for row in table.rows)
    writer.writerow([])
    # The method note is the application's own fixed text, not defused: every quote after a
    # space got an apostrophe ('"<10"), which the reader saw (outside probe). Nothing in it
    # can start a formula.
    writer.writerow([str(SUPPRESSION)])
    return buffer.getvalue()


def as_xlsx(found: list[Table]) -> bytes:
    """One sheet per table (its title, `sheet_titles`), header first; counts as numbers,
    "<10" and "x" as text. Text that a spreadsheet would run as a formula is defused as in
    the CSV."""
    from openpyxl import Workbook  # only the exports need it

    book = Workbook()
    book.remove(book.active)
    *names, method = sheet_titles(found)
    for table, name in zip(found, names, strict=True):
        sheet = book.create_sheet(title=name)
        sheet.append([log.defused(header(c)) for c in table.columns])
        for row in table.rows:
            sheet.append([log.defused(value) for value in row])
    notes = book.create_sheet(title=method)
    notes.append([str(SUPPRESSION)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
