"""The filters of the local picture: the fixed dimensions (area, period, organisation type,
indicator, leefgebied, phenomenon) and the analist's scope. Every view is one combination
of these values, so that it can be answered from maintained aggregates
(docs/design/insight.md, "Dimensions").

Indicator, leefgebied and phenomenon filter the registrations: a registration is in the
view when one of its signals belongs to the indicator (or leefgebied), or when the
professional linked the phenomenon to it. A person is still counted once per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lens.insight.areas import area_region, areas
from lens.rules.model import Catalogue


@dataclass(frozen=True)
class Scope:
    region: str  # catalogue region code
    municipality: str = ""  # CBS code; empty: the whole region


def scope_of(membership) -> Scope:
    return Scope(region=membership.region, municipality=membership.municipality or "")


@dataclass(frozen=True)
class Period:
    """ "" (all), "2026", "2026-Q3" or "2026-09"."""

    code: str

    @property
    def bounds(self) -> tuple[date, date] | None:
        if not self.code:
            return None
        year = int(self.code[:4])
        if len(self.code) == 4:
            return date(year, 1, 1), date(year + 1, 1, 1)
        if "Q" in self.code:
            first = (int(self.code[-1]) - 1) * 3 + 1
            return date(year, first, 1), month_after(date(year, first + 2, 1))
        month = date(year, int(self.code[5:]), 1)
        return month, month_after(month)

    def column(self, month: date) -> str:
        """The trend's column of a month: years over everything, else months."""
        return str(month.year) if not self.code else f"{month.year}-{month.month:02d}"

    def columns(self, years: list[int]) -> list[str]:
        if not self.code:
            return [str(y) for y in years]
        start, end = self.bounds
        found, month = [], start
        while month < end:
            found.append(f"{month.year}-{month.month:02d}")
            month = month_after(month)
        return found


def month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


# The years the picture offers at least: this year and the two before.
YEARS_SHOWN = 3


def shown_years(today: date, first: int | None) -> list[int]:
    """The year columns of a view over all periods, oldest first: from the first year with
    persons in the analist's whole scope (`first`, unfiltered; None: none yet) through
    this year, so that every year with data has its column (an outside probe found a
    registration of 2019 in no column and no period on offer). The same for every area,
    period type, organisation type, indicator, leefgebied and phenomenon within the
    scope: columns that followed the filtered data told, through every "<10", in which
    years a small group appears."""
    start = first or today.year
    return list(range(min(start, today.year), today.year + 1))


def period_options(today: date, first: int | None = None) -> list[str]:
    """The periods on offer, newest first: every year (with its quarters and months) from
    the first year with data (`first`, lens.picture.years.first_year) through this year,
    and at least the last YEARS_SHOWN years."""
    oldest = min(first or today.year, today.year - YEARS_SHOWN + 1)
    codes = [""]
    for year in range(today.year, oldest - 1, -1):
        codes.append(str(year))
        codes += [f"{year}-Q{q}" for q in range(1, 5)]
        codes += [f"{year}-{m:02d}" for m in range(1, 13)]
    return codes


def area_options(scope: Scope) -> list[str]:
    """The area codes the analist may choose: their municipality's wijken, or the
    region's municipalities and their wijken."""
    table = areas()
    if scope.municipality:
        return [""] + [d.code for d in table.districts_of(scope.municipality)]
    codes = [""]
    for municipality in table.municipalities_in(area_region(scope.region)):
        codes.append(municipality.code)
        codes += [d.code for d in table.districts_of(municipality.code)]
    return codes


@dataclass(frozen=True)
class Filters:
    area: str = ""  # a municipality or wijk code within the scope
    period: Period = Period("")
    organisation_type: str = ""
    indicator: str = ""  # catalogue indicator code
    life_domain: str = ""  # catalogue leefgebied code
    phenomenon: str = ""  # catalogue phenomenon code
    outside: str = ""  # leave out this municipality (the rest of the region)

    def admits(self, signals, phenomena, catalogue: Catalogue) -> bool:
        """Whether a registration with these signal and phenomenon codes is in the view
        (the indicator, leefgebied and phenomenon filters; the others are in the query)."""
        if self.phenomenon and self.phenomenon not in (phenomena or ()):
            return False
        if self.indicator or self.life_domain:
            # Retired codes as what replaced them (lens.rules.model.Catalogue.current_codes).
            current = catalogue.current_codes(signals or ()).signals
            known = [catalogue.signals[c] for c in current]
            if self.indicator and not any(self.indicator in s.indicators for s in known):
                return False
            if self.life_domain and not any(self.life_domain in s.life_domains for s in known):
                return False
        return True
