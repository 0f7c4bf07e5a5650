"""A month on the year's page is shown the same way as on its own page (the period
counterpart of rule 5 of lens.picture.published.guarded, December 2026): Tilburg's July
view (last year) is withheld on its own page (its quarter holds 1 person more: rule 2), so
the year's page must not show Tilburg's July either, as the column total on Tilburg's page nor as
Tilburg's cell on the region's page, its download and `lens picture export`: beside the
quarter's page they would be the very pair that rule 2 withholds."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from lens.catalogue import services
from lens.data.registry import Role
from lens.picture.filters import Filters, Period, Scope
from lens.picture.recount import recounted

from . import factories
from .test_picture import DONGEN, TILBURG
from .test_picture_same_group import WITHHELD, page_row, url

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # every month of it in the past
JULY, AUGUST = 6, 7  # the months''s index among the year page's twelve columns


@pytest.fixture
def july(world):
    """Tilburg last year: 10 persons in July, 9 of them and 1 other in August (so the
    quarter holds 1 more than each month, and no month is a "<10" the within-table audit
    would cover), 10 in January; Dongen: 10 in January and 10 this year (so the region's
    year is no nested pair with the region over every period)."""
    actor = world.actor(Role.PROFESSIONAL)

    def register(person, code: str, day: date) -> None:
        factories.registration(actor, person, municipality_code=code, observed_on=day)

    for i in range(11):
        person = factories.person(actor)
        if i < 10:
            register(person, TILBURG, date(YEAR, 7, 10))
        if i > 0:
            register(person, TILBURG, date(YEAR, 8, 10))
    for code, day in ((TILBURG, date(YEAR, 1, 10)), (DONGEN, date(YEAR, 1, 10))):
        for _ in range(10):
            register(factories.person(actor), code, day)
    for _ in range(10):
        register(factories.person(actor), DONGEN, timezone.localdate())
    return world


def csv_months(text: str, label: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff").split("\r\n\r\n")[0])))
    return dict(zip(rows[1], next(row for row in rows if row and row[0] == label), strict=False))


def test_a_withheld_month_is_hidden_on_the_years_page(july, login):
    own = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    assert WITHHELD in own.get(url(periode=f"{YEAR}-07")).content.decode()  # its own page
    html = own.get(url(periode=YEAR)).content.decode()
    assert WITHHELD not in html
    totals = page_row(html, "Totaal")
    assert totals[JULY] == totals[AUGUST] == "x"  # failed before: numbers
    assert totals[0] != "x"  # January's view is no nested pair: shown
    download = own.get(url("picture:download", periode=YEAR)).content.decode()
    assert csv_months(download, "Totaal")[f"{YEAR}-07"] == "x"

    region = login(july.members[Role.ANALIST])
    html = region.get(url(periode=YEAR)).content.decode()
    assert WITHHELD not in html
    tilburg = page_row(html, "Tilburg")
    assert tilburg[JULY] == tilburg[AUGUST] == "x"  # failed before: numbers
    assert tilburg[0] != "x"
    download = region.get(url("picture:download", periode=YEAR)).content.decode()
    assert csv_months(download, "Tilburg")[f"{YEAR}-07"] == "x"
    out = io.StringIO()
    call_command(
        "picture", "export", "--region", "midden_brabant", "--period", str(YEAR), stdout=out
    )
    table = json.loads(out.getvalue())["tables"][0]
    row = dict(
        zip(table["columns"], next(r for r in table["rows"] if r[0] == "Tilburg"), strict=True)
    )
    assert row[f"{YEAR}-07"] == "x"


def test_a_withheld_month_is_hidden_on_the_years_page_when_recounted(july):
    """The same on the recount path (the indicator, leefgebied and phenomenon filters, the
    closed periods, the oracle of the cells)."""
    catalogue, _ruleset = services.active()
    months = (f"{YEAR}-07", f"{YEAR}-08")
    region = recounted(Scope("midden_brabant"), Filters(period=Period(str(YEAR))), catalogue)
    assert {region.by_area.cells[(TILBURG, m)] for m in months} == {"x"}  # failed before
    assert {region.by_area.column_totals[m] for m in months} == {"x"}
    assert region.by_area.cells[(TILBURG, f"{YEAR}-01")] != "x"
    own = recounted(Scope("midden_brabant", TILBURG), Filters(period=Period(str(YEAR))), catalogue)
    assert {own.by_area.column_totals[m] for m in months} == {"x"}  # failed before
    assert own.by_area.column_totals[f"{YEAR}-01"] != "x"
