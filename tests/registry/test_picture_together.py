"""Co-occurrence and the blind-spot comparison on the local picture, through the real
URLconf: indicators signalled together for the same persons (linked records count as one
person), and "Wat zie ik nog niet?" withheld when the rest of the region is too small to
compare with (it would give away one municipality's small numbers)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lens.data.registry import Role
from lens.insight import disclosure
from lens.picture import cooccurrence, selectors
from lens.picture.filters import Period, shown_years
from lens.picture.models import PictureCell

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


def test_co_occurrence_is_answered_for_a_year_and_all_types_only(world, login, catalogue):
    """Pairs are kept for all organisation types over all periods or a year
    (cooccurrence.answered); a quarter, a month or one type says where to look instead,
    on the page, in the cells and in the count over the registrations alike."""
    persons(world, 12, signals=["money_mule"])  # finances and crime
    when = timezone.localdate() - timedelta(days=3)
    year, month = str(when.year), f"{when.year}-{when.month:02d}"
    quarter = f"{when.year}-Q{(when.month - 1) // 3 + 1}"
    scope = selectors.Scope("midden_brabant")
    for period in ("", year):
        found = selectors.picture(scope, selectors.Filters(period=Period(period)), catalogue)
        assert found.together.shown and abs(pair(found) - 12) <= disclosure.NOISE_BOUND
    narrow = [selectors.Filters(period=Period(p)) for p in (quarter, month)]
    narrow.append(selectors.Filters(organisation_type="school"))
    for filters in narrow:
        found = selectors.picture(scope, filters, catalogue)
        assert not found.together.shown and pair(found) == disclosure.SECONDARY, filters
        assert cooccurrence.pair_rows(found.together, str) == []
    # the slices a month or a type lies in hold no pair cells at all
    kinds = set(PictureCell.objects.filter(period=month).values_list("kind", flat=True)) | set(
        PictureCell.objects.exclude(organisation_type="").values_list("kind", flat=True)
    )
    assert kinds and not {k for k in kinds if k.startswith(("pp", "f"))}
    assert PictureCell.objects.filter(period=year, organisation_type="", kind="pp*").exists()
    client = login(world.members[Role.ANALIST])
    for query in ({"periode": month}, {"type": "school"}):
        html = client.get(url(**query)).content.decode()
        assert "Kies een jaar (of alle jaren) en alle organisatietypen" in html, query
    assert "Kies een jaar (of alle jaren)" not in client.get(url(periode=year)).content.decode()


def test_the_year_columns_are_the_same_whatever_the_filters_and_the_data(world, login, catalogue):
    """Columns that followed the data told, through every "<10", in which years a small
    group appears (per indicator, per type, per wijk): the columns are the scope's years
    (from its first year with persons), in every view, on the cells and on
    the count alike."""
    actor = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=1)
    for _ in range(3):
        place(actor, factories.person(actor), DONGEN, signals=["money_mule"], observed_on=last_year)
    expected = tuple(str(y) for y in shown_years(today, today.year - 1))
    assert expected == (str(today.year - 1), str(today.year))  # the scope's first year on
    scope = selectors.Scope("midden_brabant")
    views = [
        selectors.Filters(),
        selectors.Filters(area=DONGEN),
        selectors.Filters(indicator="crime"),
        selectors.Filters(indicator="health"),
        selectors.Filters(organisation_type="school"),
        selectors.Filters(organisation_type="youth_care"),
    ]
    for filters in views:
        found = selectors.picture(scope, filters, catalogue)
        assert found.columns == expected, filters
        assert found.by_area.total == disclosure.LESS_THAN_TEN or found.by_area.total == 0
    html = login(world.members[Role.ANALIST]).get(url(indicator="health")).content.decode()
    for year in expected:
        assert f">{year}<" in html


def test_the_year_columns_go_back_to_the_first_year_with_data(world, catalogue):
    today = timezone.localdate()
    assert shown_years(today, None) == [today.year]
    assert shown_years(today, today.year) == [today.year]
    assert shown_years(today, today.year - 1) == [today.year - 1, today.year]
    assert shown_years(today, 1990) == list(range(1990, today.year + 1))
    assert shown_years(today, today.year + 1) == [today.year]  # a date in the future


def test_a_cell_the_areas_own_view_hides_is_hidden_on_the_wider_page_too(world, catalogue):
    """The region's page showed Tilburg's total and its 2026 cell while Tilburg's own page
    hid 2026 (1 to 9 persons differ from the total): their difference gave the group back
    (outside probe). A cell whose complement within its row is 1 to 9 is "x", on the cells
    and on the count alike."""
    actor = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=1)
    persons(world, 15, DONGEN, signals=["money_mule"])
    for _ in range(5):  # seen in Dongen last year only
        place(actor, factories.person(actor), DONGEN, signals=["money_mule"], observed_on=last_year)
    persons(world, 20, TILBURG, signals=["money_mule"])
    for _ in range(12):
        place(
            actor, factories.person(actor), TILBURG, signals=["money_mule"], observed_on=last_year
        )
    scope, this = selectors.Scope("midden_brabant"), str(today.year)
    region = selectors.picture(scope, selectors.Filters(), catalogue)
    assert region.by_area.cells[(DONGEN, this)] == disclosure.SECONDARY
    assert isinstance(region.by_area.row_totals[DONGEN], int)  # the row total stays
    # (Tilburg's cell of this year, 12 persons from its total, is not hidden by this rule;
    # it is hidden here as the complement of Dongen's "<10" of last year, in the rectangle
    # of complementary suppression.)
    own = selectors.picture(scope, selectors.Filters(area=DONGEN), catalogue)
    assert own.by_area.column_totals[this] == disclosure.SECONDARY  # rule 3 there
    again = selectors.recounted(scope, selectors.Filters(), catalogue).by_area
    assert again == region.by_area
