"""The rest of the region ("Wat zie ik nog niet?": "compared with the rest of the region")
is never shown as a view, but each comparison tells whether a theme is 0, "<10" or a number
there: "Nergens in de regio gesignaleerd" (0 here and 0 in the rest) or "Zelden of nooit
gesignaleerd, hier en in de rest van de regio" ("<10" in the rest). Its zeros were exact:
month by month, the statuses told when the rest's few persons of a theme were signalled.
The rest's zeros now follow its context like every view's (lens.picture.published.in_context)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.registry import Role

from . import factories

pytestmark = pytest.mark.django_db

TILBURG, DONGEN, GOIRLE = "GM0855", "GM0766", "GM0785"
COMMON = "two_phones"


@pytest.fixture
def region(world, catalogue):
    """Tilburg, Dongen and Goirle 12 persons each, signalled in two months (the same
    persons, so no month's view differs from its year by a few); and 3 persons in Dongen
    in the later month only with a signal of a theme no one else has."""
    school = world.actor(Role.PROFESSIONAL)
    # not this month: the world's two registrations (no municipality) are in it
    now = timezone.localdate() - timedelta(days=45)
    earlier = now - timedelta(days=45)
    # The world's two persons (no municipality: in the rest) have the first signal; with
    # it beside everyone's, no other small group sits in the rest's table.
    usual = sorted({COMMON, next(iter(catalogue.signals))})
    taken = {i for code in usual for i in catalogue.signals[code].indicators}
    rare = next(
        c
        for c, s in catalogue.signals.items()
        if not s.acute and not s.check_only and s.indicators and not set(s.indicators) & taken
    )
    for municipality in (TILBURG, DONGEN, GOIRLE):
        for _ in range(12):
            person = factories.person(school)
            for day in (now, earlier):
                factories.registration(
                    school,
                    person,
                    signals=[COMMON],
                    observed_on=day,
                    municipality_code=municipality,
                )
    for _ in range(3):
        factories.registration(
            school,
            factories.person(school),
            signals=[rare],
            observed_on=now,
            municipality_code=DONGEN,
        )
    # 12 more in the rest this month (with the world's two): the rest's months are no
    # nested pair with their quarter and year (lens.picture.published.guarded, 2.).
    for _ in range(12):
        factories.registration(
            school,
            factories.person(school),
            signals=[COMMON],
            observed_on=timezone.localdate(),
            municipality_code=GOIRLE,
        )
    indicator = catalogue.indicators[catalogue.signals[rare].indicators[0]]
    return {"label": indicator.label.nl, "months": (now, earlier)}


def status(client, label: str, **query) -> str:
    """The status of one indicator in "Wat zie ik nog niet?" ("" when not listed)."""
    with translation.override("nl"):
        base = reverse("picture:overview")
    response = client.get(base + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert response.status_code == 200
    text = response.content.decode()
    spots = text[text.index("Wat zie ik nog niet?") :]
    assert 'id="blind-withheld"' not in spots, query  # compared
    found = re.search(
        rf"Indicator: {re.escape(label)}</strong>\. ([^<]*?)(?: Praat met|</li>)", spots
    )
    return found.group(1).strip() if found else ""


def test_the_rests_statuses_do_not_tell_when_its_few_were_signalled(region, login):
    client = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    label = region["label"]
    statuses = {
        month: status(client, label, periode=month.strftime("%Y-%m")) for month in region["months"]
    }
    # The month without them said "Nergens in de regio gesignaleerd.": an exact 0.
    assert len(set(statuses.values())) == 1, statuses


def test_the_rest_is_withheld_when_the_region_minus_it_is_a_few(region, login, world):
    """The rest of the region goes through the nested-view rules like every view: in a
    month where the municipality itself holds 1-9 persons, the region minus the rest is
    that small group, so the rest's statuses are not given (before: compared)."""
    school = world.actor(Role.PROFESSIONAL)
    alone = timezone.localdate() - timedelta(days=130)  # before the fixture's two months
    for _ in range(3):
        factories.registration(
            school, factories.person(school), observed_on=alone, municipality_code=TILBURG
        )
    for municipality in (DONGEN, GOIRLE):
        for _ in range(12):
            factories.registration(
                school,
                factories.person(school),
                signals=[COMMON],
                observed_on=alone,
                municipality_code=municipality,
            )
    client = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    with translation.override("nl"):
        base = reverse("picture:overview")
    text = client.get(f"{base}?periode={alone:%Y-%m}").content.decode()
    spots = text[text.index("Wat zie ik nog niet?") :]
    assert 'id="blind-withheld"' in spots  # failed before: compared
    assert "verschilt maar een paar personen van de hele regio" in spots


def test_the_rest_of_the_region_is_counted_without_its_co_occurrence(region, catalogue):
    """The rest's co-occurrence is never shown ("Wat zie ik nog niet?" compares one-way
    tables only), so it is not counted: withheld; the region's own still is."""
    from lens.picture import cooccurrence, selectors

    scope = selectors.Scope("midden_brabant")
    rest = selectors.picture(scope, selectors.Filters(outside=TILBURG), catalogue)
    assert rest.together == cooccurrence.not_answered(catalogue.indicators, catalogue.phenomena)
    assert not rest.together.shown
    assert rest.by_indicator.total not in (0, None)  # the rest itself is counted
    assert selectors.picture(scope, selectors.Filters(), catalogue).together.shown
