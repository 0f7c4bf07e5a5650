"""The local picture's published tables as plain rows, for the exports (issue 11, section 4):
`lens picture export` and the page's downloads. Made from the same Picture the page shows
(lens.picture.selectors), never counted again, so an export holds exactly the page's
published values: 0, an integer of 10 or more, "<10" or "x".

Table and column names are stable identifiers (English) for a municipality's own tools;
labels (areas, indicators, ...) are in the language asked for.
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

# One sentence: the method, as the page's own explanation says it (docs/design/insight.md).
SUPPRESSION = gettext_lazy(
    'A count of fewer than ten persons is shown as "<10" (a 0 too, in a row or column of '
    "fewer than ten persons); "
    '"x" hides a count that would give away a "<10" (secondary suppression, also over '
    "totals); counts of 10 and more carry a deterministic cell-key noise of at most 2 "
    "(ABS/CBS cell-key method); signals are shown only beside a shown number of persons, "
    "rounded to tens."
)


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
        [[place_label(code), found.signals_by_area[code]] for code in found.area_rows],
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
        writer.writerow([log.defused(table.name)])
        writer.writerow([log.defused(c) for c in table.columns])
        writer.writerows([log.defused(value) for value in row] for row in table.rows)
    writer.writerow([])
    # The method note is the application's own fixed text, not defused: every quote after a
    # space got an apostrophe ('"<10"), which the reader saw (outside probe). Nothing in it
    # can start a formula.
    writer.writerow([str(SUPPRESSION)])
    return buffer.getvalue()


def as_xlsx(found: list[Table]) -> bytes:
    """One sheet per table (its name, cut to Excel's 31 characters), header first; counts
    as numbers, "<10" and "x" as text. Text that a spreadsheet would run as a formula is
    defused as in the CSV."""
    from openpyxl import Workbook  # only the exports need it

    book = Workbook()
    book.remove(book.active)
    for table in found:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append([log.defused(c) for c in table.columns])
        for row in table.rows:
            sheet.append([log.defused(value) for value in row])
    notes = book.create_sheet(title="suppression")
    notes.append([str(SUPPRESSION)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
