"""Co-occurrence and the blind-spot comparison on the local picture, through the real
URLconf: indicators signalled together for the same persons (linked records count as one
person), and "Wat zie ik nog niet?" withheld when the rest of the region is too small to
compare with (it would give away one municipality's small numbers)."""

from __future__ import annotations

import re

import pytest

from lens.data.registry import Role
from lens.insight import disclosure
from lens.picture import selectors

from . import factories
from .test_picture import DONGEN, GOIRLE, TILBURG, place, url

WITHHELD = "Voor deze weergave is er geen vergelijking met de rest van de regio"
NOTHING_HERE = "Registreert hier niets, elders in de regio wel."


def persons(world, count, municipality=DONGEN, **fields):
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(count):
        place(actor, factories.person(actor), municipality, **fields)


def pair(found, a="finances", b="crime"):
    cells = found.together.by_pair.cells  # pairs in catalogue order
    return cells.get(("all", (a, b)), cells.get(("all", (b, a))))


def test_indicators_signalled_for_the_same_person_in_two_registrations(world, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(12):
        someone = factories.person(actor)
        place(actor, someone, DONGEN, signals=["lots_of_cash"])  # finances
        place(actor, someone, DONGEN, signals=["drugs_or_stolen_goods_without_record"])  # crime
    found = selectors.picture(selectors.Scope("midden_brabant"), selectors.Filters(), catalogue)
    assert abs(pair(found) - 12) <= disclosure.NOISE_BOUND
    assert pair(found, "finances", "health") == 0


def test_linked_records_make_one_person_in_a_pair(world, catalogue):
    own, other = world.actor(Role.PROFESSIONAL), factories.actor(world.other_professional)
    records = []
    for _ in range(11):
        a, b = factories.person(own), factories.person(other)
        place(own, a, DONGEN, signals=["lots_of_cash"], phenomena=["fraud"])
        place(other, b, DONGEN, signals=["drugs_or_stolen_goods_without_record"])
        records.append((a, b))
    scope = selectors.Scope("midden_brabant")
    assert pair(selectors.picture(scope, selectors.Filters(), catalogue)) == 0
    for a, b in records:
        factories.link(world.actor(Role.ZORGCOORDINATOR), a, b)
    found = selectors.picture(scope, selectors.Filters(), catalogue)
    assert abs(pair(found) - 11) <= disclosure.NOISE_BOUND
    # The phenomenon the school saw, with the indicator the other organisation signalled.
    crime = found.together.by_phenomenon.cells[("fraud", "crime")]
    assert abs(crime - 11) <= disclosure.NOISE_BOUND


def test_the_page_shows_the_pairs_in_plain_language_and_hides_small_ones(world, login, catalogue):
    persons(world, 12, signals=["money_mule"])  # finances and crime
    persons(world, 3, signals=["injuries"])  # abuse and health: a small pair
    html = login(world.members[Role.ANALIST]).get(url()).content.decode()
    assert "Welke signalen komen samen voor?" in html
    assert "geen oordeel over een persoon" in html
    section = html[html.index('id="together-title"') : html.index('id="level-caption"')]
    pairs = (
        section[: section.index('id="phenomena-caption"')]
        if "phenomena-caption" in section
        else section
    )
    for code in ("finances", "crime"):
        assert catalogue.indicators[code].label.nl in pairs, code
    # the small pair is not listed at all (a "<10" beside the absent zeros told which pairs
    # a small group has), and the page says that what is not listed has fewer than ten
    for code in ("abuse", "health"):
        assert catalogue.indicators[code].label.nl not in pairs, code
    assert "minder dan tien personen of geen" in section
    cells = re.findall(r'numeric-column">([^<]*)</td>', section)
    assert cells
    for value in cells:
        if value.strip().isdigit():
            assert int(value) == 0 or int(value) >= 10, value


@pytest.mark.parametrize(
    "rest",
    [
        {DONGEN: 30},  # one other municipality, however many persons
        # Two, but fewer than ten persons together (the world's two persons without a
        # municipality do not make it ten: they live in no other municipality we know).
        {DONGEN: 4, GOIRLE: 4},
    ],
)
def test_no_comparison_with_a_rest_of_the_region_that_is_too_small(world, login, rest):
    for municipality, count in rest.items():
        persons(world, count, municipality)
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    html = login(member).get(url()).content.decode()
    assert WITHHELD in html
    assert NOTHING_HERE not in html and "Nooit gesignaleerd" not in html
    # The region's analist choosing Tilburg gets the same answer.
    region = login(world.members[Role.ANALIST]).get(url(gebied=TILBURG)).content.decode()
    assert WITHHELD in region and NOTHING_HERE not in region


def test_a_rest_of_the_region_large_enough_is_compared(world, login):
    persons(world, 6, DONGEN)
    persons(world, 6, GOIRLE)
    # Youth care (the world's other organisation) ten or more too: a "<10" of it could make
    # the audit hide the school's count as "x", which is no "elsewhere".
    youth_care = factories.actor(world.other_professional)
    for _ in range(10):
        place(youth_care, factories.person(youth_care), DONGEN)
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    html = login(member).get(url()).content.decode()
    assert WITHHELD not in html and NOTHING_HERE in html


def test_the_rest_counts_persons_not_registrations(world, login):
    actor = world.actor(Role.PROFESSIONAL)
    for municipality in (DONGEN, GOIRLE):
        for _ in range(4):
            someone = factories.person(actor)
            for _ in range(3):  # 12 registrations, 4 persons per municipality
                place(actor, someone, municipality)
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    assert WITHHELD in login(member).get(url()).content.decode()
