"""The outside probe's attack on the local picture: one person alone in a small wijk, and
narrow views (by indicator, by month, by organisation type) that together sketched that
person's profile through the zeros beside "<10". Now no view of that wijk shows a zero or
a number, the hidden signal count of a wijk cannot be found back by subtraction, and every
query the analist makes leaves an access-log entry."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lens.access.models import AccessLogEntry
from lens.data.registry import Role
from lens.insight import disclosure
from lens.picture import selectors

from . import factories

DONGEN, BIG, SMALL = "GM0766", "WK076601", "WK076602"


def url(**query) -> str:
    with translation.override("nl"):
        base = reverse("picture:overview")
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def dongen(world):
    """Twelve persons in the big wijk, one with money signals in the small one."""
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(12):
        factories.registration(
            actor,
            factories.person(actor),
            signals=["two_phones"],
            municipality_code=DONGEN,
            wijk_code=BIG,
        )
    factories.registration(
        actor,
        factories.person(actor),
        signals=["lots_of_cash"],
        municipality_code=DONGEN,
        wijk_code=SMALL,
    )
    return actor


def numbers(html: str) -> list[str]:
    return re.findall(r'numeric-column">([^<]*)</td>', html)


def test_a_view_of_the_small_wijk_shows_no_zero_and_no_number(dongen, world, login, catalogue):
    client = login(world.members[Role.ANALIST])
    month = timezone.localdate().strftime("%Y-%m")
    for query in ({"gebied": SMALL}, {"gebied": SMALL, "periode": month}):
        html = client.get(url(**query)).content.decode()
        assert set(numbers(html)) <= {"&lt;10", "x", "", "\u2013"}, query  # \u2013: no share
        assert "Welke signalen komen samen voor?" in html
    # and filtered to what the person does not have: the same "<10", not a telling 0
    scope = selectors.Scope("midden_brabant")
    for filters in (
        selectors.Filters(area=SMALL, indicator="health"),
        selectors.Filters(area=SMALL, indicator="finances"),
    ):
        found = selectors.picture(scope, filters, catalogue)
        assert found.small_selection
        assert found.by_area.total == disclosure.LESS_THAN_TEN
        assert set(found.by_indicator.cells.values()) == {disclosure.LESS_THAN_TEN}
        assert set(found.by_organisation_type.cells.values()) == {disclosure.LESS_THAN_TEN}
        assert set(found.by_level.cells.values()) == {disclosure.LESS_THAN_TEN}


def test_the_big_wijk_is_withheld_beside_the_one_person_of_the_small_one(dongen, catalogue):
    """The big wijk is all of Dongen but one person: its own view set beside Dongen's
    would tell that person's profile (differencing), so it is withheld."""
    found = selectors.picture(
        selectors.Scope("midden_brabant"), selectors.Filters(area=BIG), catalogue
    )
    assert found.withheld == "area" and found.small_selection
    assert found.by_indicator.cells[("all", "health")] == disclosure.SECONDARY


def test_a_hidden_signal_count_does_not_stand_alone(dongen, catalogue):
    found = selectors.picture(
        selectors.Scope("midden_brabant"), selectors.Filters(area=DONGEN), catalogue
    )
    assert found.signals_by_area[SMALL] == disclosure.SECONDARY
    # with the small wijk's alone hidden, the big one's would give it away against
    # Dongen's count on the region's page
    assert found.signals_by_area[BIG] == disclosure.SECONDARY
    region = selectors.picture(selectors.Scope("midden_brabant"), selectors.Filters(), catalogue)
    hidden = [a for a, v in region.signals_by_area.items() if v == disclosure.SECONDARY]
    assert len(hidden) != 1


def test_every_query_of_the_picture_is_in_the_access_log(dongen, world, login):
    analist = world.members[Role.ANALIST]
    before = AccessLogEntry.objects.count()
    login(analist).get(url(gebied=SMALL, indicator="finances"))
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.object_type == "local_picture"
    assert entry.person_id is None
    assert entry.user_id == analist.user_id
    assert f"gebied={SMALL}" in entry.purpose and "indicator=finances" in entry.purpose


def test_a_refused_filter_value_is_what_the_log_records(dongen, world, login):
    login(world.members[Role.ANALIST]).get(url(gebied="GM0363"))  # Amsterdam: not in scope
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.object_type == "local_picture" and "gebied=GM0363" in entry.purpose


def test_the_municipality_analist_may_name_their_own_municipality(dongen, login):
    member = factories.membership(Role.ANALIST, municipality=DONGEN)
    client = login(member)
    shared = client.get(url(gebied=DONGEN))  # a link the region's analist shared
    assert shared.status_code == 200
    assert numbers(shared.content.decode()) == numbers(client.get(url()).content.decode())
    assert client.get(url(gebied="GM0855")).status_code == 400  # Tilburg stays refused


def test_a_control_character_in_a_refused_value_is_not_named_back(dongen, world, login):
    page = login(world.members[Role.ANALIST]).get(url(indicator="%00x%01"))
    assert page.status_code == 400
    html = page.content.decode()
    assert "\x00" not in html and "\x01" not in html and "x" in html


def test_a_context_note_of_invisible_characters_is_no_note(dongen, world):
    registration = factories.registration(
        dongen, factories.person(dongen), context_note="\u200b\u2060 "
    )
    assert registration.context_note == ""
