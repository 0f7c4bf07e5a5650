"""An outside tester's differencing attacks on the local picture (Dongen: 23 persons in
one wijk, 1 in the other): (a) a view whose total is "<10" showed exact zeros in its other
tables; (b) the big wijk's view beside the municipality's isolated the one person of the
small wijk; (c) cells with the same persons publish the same noisy value, so the cells that
differ between two nested downloads are the small complement's; (d) the big wijk's signal
count, hidden on Dongen's page, stood on its own view. Asserted on the rules ("<10", "x",
withheld), never on noisy numbers (lens.picture.published.guarded)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lens.data.registry import Role
from lens.picture import selectors

from . import factories

DONGEN, BIG, SMALL = "GM0766", "WK076601", "WK076602"
WITHHELD = "De cijfers van dit beeld worden niet getoond."


def url(name: str = "picture:overview", **query) -> str:
    with translation.override("nl"):
        base = reverse(name, **({"kwargs": {"format": "csv"}} if "download" in name else {}))
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def dongen(world):
    """23 persons in the big wijk (school, two_phones), 1 in the small one (youth care,
    lots_of_cash: finances), all this month."""
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(23):
        factories.registration(
            actor,
            factories.person(actor),
            signals=["two_phones"],
            municipality_code=DONGEN,
            wijk_code=BIG,
        )
    other = factories.actor(world.other_professional)
    factories.registration(
        other,
        factories.person(other),
        signals=["lots_of_cash"],
        municipality_code=DONGEN,
        wijk_code=SMALL,
    )
    return world


@pytest.fixture
def municipal(dongen):
    return factories.membership(Role.ANALIST, municipality=DONGEN)


def numbers(html: str) -> set[str]:
    return set(re.findall(r'numeric-column">([^<]*)</td>', html))


def csv_values(text: str) -> set[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return {value for row in rows for value in row[1:]}


NOTHING = {"&lt;10", "x", "", "\u2013"}  # \u2013: no share


def test_a_small_view_shows_no_zero_in_any_table(municipal, login):
    """(a) A total of "<10" (one person, or none) and every table of the view says "<10"."""
    client = login(municipal)
    today = timezone.localdate()
    month = today.strftime("%Y-%m")
    before = f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"
    for period in (month, before):
        query = {"periode": period, "indicator": "finances", "type": "youth_care"}
        html = client.get(url(**query)).content.decode()
        assert numbers(html) <= NOTHING, query
        assert "0" not in csv_values(client.get(url("picture:download", **query)).content.decode())


def test_the_big_wijk_beside_its_municipality_is_withheld(municipal, login):
    """(b) The same filters on Dongen and on the big wijk: the wijk is all but one person."""
    client = login(municipal)
    query = {"indicator": "finances", "type": "youth_care"}
    assert numbers(client.get(url(**query)).content.decode()) <= NOTHING
    narrow = client.get(url(gebied=BIG, **query))
    assert narrow.status_code == 200 and numbers(narrow.content.decode()) <= NOTHING
    whole = client.get(url(gebied=BIG))
    html = whole.content.decode()
    assert whole.status_code == 200 and WITHHELD in html
    assert numbers(html) <= NOTHING
    download = client.get(url("picture:download", gebied=BIG)).content.decode()
    assert '"Waarom dit beeld is weggelaten"' in download  # the withheld section
    assert not any(v.isdigit() for v in csv_values(download) if len(v) != 4)  # 4: a year


def test_nested_downloads_do_not_point_at_the_small_complement(dongen, login):
    """(c) The region analist's downloads of Dongen and of the big wijk: the wijk's is
    withheld, so no cell pair of the two differs by the one person."""
    client = login(dongen.members[Role.ANALIST])
    municipality = client.get(url("picture:download", gebied=DONGEN)).content.decode()
    wijk = client.get(url("picture:download", gebied=BIG)).content.decode()
    assert any(v.isdigit() and int(v) >= 10 for v in csv_values(municipality))
    assert not any(v.isdigit() and len(v) != 4 for v in csv_values(wijk))  # 4: a year
    assert '"Waarom dit beeld is weggelaten"' in wijk  # the withheld section


def test_the_big_wijks_signals_do_not_stand_alone(dongen, municipal, catalogue):
    """(d) Hidden on Dongen's page, and not on the wijk's own view either."""
    scope = selectors.scope_of(municipal)
    page = selectors.picture(scope, selectors.Filters(), catalogue)
    own = selectors.picture(scope, selectors.Filters(area=BIG), catalogue)
    assert page.signals_by_area[BIG] == "x" and own.signals_by_area[BIG] == "x"
    assert own.withheld == "area"
    month = timezone.localdate().strftime("%Y-%m")
    region = selectors.Scope("midden_brabant")
    found = selectors.picture(
        region, selectors.Filters(area=BIG, period=selectors.Period(month)), catalogue
    )
    assert found.signals_by_area[BIG] == "x"


published_only = {"<10", "x"}


def _values(found: selectors.Picture) -> list:
    tables = (found.by_area, found.by_indicator, found.by_organisation_type, found.by_level)
    values = []
    for table in tables:
        values += [table.total, *table.cells.values(), *table.row_totals.values()]
    return values + list(found.signals_by_area.values())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=30))
def test_no_wijk_and_municipality_pair_reveals_a_small_complement(world, catalogue, people):
    """Over random persons (big or small wijk; school or youth care; finances or not), for
    the big wijk and Dongen with the same filters: when the two differ by 1-9 persons, the
    wijk's view (or the municipality's) shows no number at all."""
    school, youth = world.actor(Role.PROFESSIONAL), factories.actor(world.other_professional)
    region = selectors.Scope("midden_brabant")
    with transaction.atomic():
        for big, by_youth, money in people:
            by = youth if by_youth else school
            factories.registration(
                by,
                factories.person(by),
                signals=["lots_of_cash" if money else "two_phones"],
                municipality_code=DONGEN,
                wijk_code=BIG if big else SMALL,
            )
        for chosen, admits in (
            ({}, lambda p: True),
            ({"organisation_type": "youth_care"}, lambda p: p[1]),
            ({"indicator": "finances"}, lambda p: p[2]),
        ):
            inside = [p for p in people if admits(p)]
            complement = sum(1 for p in inside if not p[0])
            wijk = selectors.picture(region, selectors.Filters(area=BIG, **chosen), catalogue)
            whole = selectors.picture(region, selectors.Filters(area=DONGEN, **chosen), catalogue)
            for found in (wijk, whole):
                assert all(v in published_only or isinstance(v, int) for v in _values(found))
            if 0 < complement < 10:
                assert not any(isinstance(v, int) and v for v in _values(wijk)) or not any(
                    isinstance(v, int) and v for v in _values(whole)
                ), (chosen, complement)
        transaction.set_rollback(True)
