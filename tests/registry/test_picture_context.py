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
        if not s.acute
        and not s.check_only
        and s.indicators
        and not set(s.indicators) & first
        and not set(s.indicators) & set(catalogue.signals[acute].indicators)
    )
    police = factories.actor(
        factories.membership(
            Role.PROFESSIONAL,
            factories.organisation("Politie Synthetisch", organisation_type="police"),
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


@pytest.fixture
def region(tilburg, world, catalogue):
    """Tilburg's persons, 2 more in Tilburg over a year ago (so its view of this year is
    withheld: the year differs from everything by 2), and 12 each in Dongen and Goirle
    this month with the acute signal (a rest of the region to compare with)."""
    acute = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    school = world.actor(Role.PROFESSIONAL)
    long_ago = timezone.localdate() - timedelta(days=400)
    for _ in range(2):
        factories.registration(
            school,
            factories.person(school),
            signals=["two_phones"],
            observed_on=long_ago,
            municipality_code=TILBURG,
        )
    for municipality in ("GM0766", "GM0785"):
        for _ in range(12):
            factories.registration(
                school,
                factories.person(school),
                signals=["two_phones", acute],
                municipality_code=municipality,
            )
    return {**tilburg, "acute": catalogue.signals[acute].indicators[0]}


def blind_spots(client, **query) -> str:
    with translation.override("nl"):
        base = reverse("picture:overview")
    html = client.get(base + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert html.status_code == 200
    text = html.content.decode()
    return text[text.index("Wat zie ik nog niet?") :]


def test_a_withheld_view_withholds_its_comparison_too(region, login):
    """The probe: `?periode=2026` withheld, yet "no leefgebied, indicator or type lags
    behind" where the unfiltered view lists some: the difference is the few seen before."""
    client = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    spots = blind_spots(client, periode=str(timezone.localdate().year))
    assert 'id="blind-withheld"' in spots
    assert "de cijfers van dit beeld worden niet getoond, en een vergelijking" in spots
    assert "blijft achter" not in spots and "Praat met:" not in spots


def test_a_view_filtered_on_an_indicator_does_not_compare_that_indicator(
    region, login, catalogue, world
):
    """The probe: with `?indicator=abuse`, "Mishandeling: hier weinig gesignaleerd",
    though every person in the view has that signal. Here with an indicator Tilburg never
    has and the rest of the region has 24 persons of: a view with a few persons in Tilburg
    (the acute indicator) gets no comparison at all since the rest goes through the
    nested-view rules (the region minus the rest is Tilburg's few)."""
    taken = {
        i
        for code in ("two_phones", next(iter(catalogue.signals)))
        for i in catalogue.signals[code].indicators
    } | {region["acute"], region["indicator"]}
    new = next(
        c
        for c, s in catalogue.signals.items()
        if not s.acute and not s.check_only and s.indicators and not set(s.indicators) & taken
    )
    school = world.actor(Role.PROFESSIONAL)
    for municipality in ("GM0766", "GM0785"):
        for _ in range(12):
            factories.registration(
                school, factories.person(school), signals=[new], municipality_code=municipality
            )
    indicator = catalogue.signals[new].indicators[0]
    client = login(factories.membership(Role.ANALIST, municipality=TILBURG))
    label = catalogue.indicators[indicator].label.nl
    assert f"Indicator: {label}</strong>" in blind_spots(client)  # compared unfiltered
    spots = blind_spots(client, indicator=indicator)
    assert "Praat met:" in spots or "blijft achter" in spots  # compared
    assert f"Indicator: {label}</strong>" not in spots
