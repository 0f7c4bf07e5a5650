"""An outside probe's profile of a small group through the zeros of filtered views (Tilburg,
December 2026): the municipality's page shows advice level 4 as "<10"; the downloads of
views filtered by an indicator, by an organisation type and by a period, each of ten
persons or more, showed level 4 as 0 where the acute few were not, so together they told
which themes the few never had, that the police never registered them and when they were
signalled. A 0 of a category that counts 1 to 9 persons in the view's context (the same
area over every period and filter) is now "<10" (lens.picture.published.in_context)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.registry import PersonOutcome, Role

from . import factories

TILBURG = "GM0855"
LEVEL_TABLE = "Personen per adviesniveau (hun laatste niveau)"


def download(client, **query) -> dict[str, dict[str, str]]:
    """The CSV download of a view, as {section title: {row label: last value}}."""
    with translation.override("nl"):
        base = reverse("picture:download", kwargs={"format": "csv"})
    text = client.get(base + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    sections: dict[str, dict[str, str]] = {}
    title = ""
    for row in csv.reader(io.StringIO(text.content.decode().lstrip("\ufeff"))):
        if len(row) == 1:
            title = row[0]
            sections[title] = {}
        elif len(row) > 1:
            sections[title][row[0]] = row[-1]
    return sections


@pytest.fixture
def tilburg(world, catalogue):
    """20 persons at a school with one signal this month, 3 more with an acute signal
    beside it (level 4), and 12 registered by the police with a signal of another
    indicator six weeks earlier."""
    acute = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    school = world.actor(Role.PROFESSIONAL)
    common = "two_phones"
    # not the indicators of the world's two registrations elsewhere in the region
    first = set(catalogue.signals[common].indicators)
    first |= set(catalogue.signals[next(iter(catalogue.signals))].indicators)
    other = next(
        c
        for c, s in catalogue.signals.items()
        if not s.acute and not s.check_only and s.indicators and not set(s.indicators) & first
        and not set(s.indicators) & set(catalogue.signals[acute].indicators)
    )
    police = factories.actor(
        factories.membership(
            Role.PROFESSIONAL, factories.organisation("Politie Synthetisch", organisation_type="police")
        )
    )
    today = timezone.localdate()
    earlier = today - timedelta(days=45)
    place = {"municipality_code": TILBURG}
    for _ in range(20):
        factories.registration(school, factories.person(school), signals=[common], **place)
    few = [factories.person(school) for _ in range(3)]
    for person in few:
        factories.registration(school, person, signals=[common, acute], **place)
        assert PersonOutcome.objects.latest_for(person).level == 4
    for _ in range(12):
        factories.registration(
            police, factories.person(police), signals=[other], observed_on=earlier, **place
        )
    return {
        "indicator": catalogue.signals[other].indicators[0],
        "earlier": earlier,
    }


def test_filtered_views_do_not_tell_where_the_acute_few_are_not(tilburg, login):
    client = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    assert download(client)[LEVEL_TABLE]["4"] in ("<10", "x")  # the few, hidden
    earlier = tilburg["earlier"]
    views = [
        {"indicator": tilburg["indicator"]},
        {"type": "police"},
        {"periode": earlier.strftime("%Y-%m")},
    ]
    for query in views:
        found = download(client, **query)
        assert "Waarom dit beeld is weggelaten" not in found, query  # shown, 10+ persons
        assert found["Personen per gebied en periode"]["Totaal"].isdigit(), query
        assert int(found["Personen per gebied en periode"]["Totaal"]) >= 10, query
        assert found[LEVEL_TABLE]["4"] in ("<10", "x"), query  # not 0

