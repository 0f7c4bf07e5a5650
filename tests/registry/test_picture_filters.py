"""The filters of the local picture through the real URLconf: a value the picture does not
know is named on the page (in Dutch), that filter shows everything, and the status is 400,
never a 500; the indicator, leefgebied and phenomenon filters narrow the counts and still
count a person once per cell."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lens.data.registry import Role
from lens.insight import disclosure
from lens.picture import selectors
from tests.login import seen_now

from . import factories
from .test_picture import DONGEN, GOIRLE, TILBURG, place, url

NOTICE = "Deze filterwaarde kennen we niet"


@pytest.fixture
def analist(world):
    return world.members[Role.ANALIST]


def persons(world, count, municipality=DONGEN, **fields):
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(count):
        place(actor, factories.person(actor), municipality, **fields)


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("gebied", "GM0363", "Gebied"),  # Amsterdam: not in the analist's region
        ("gebied", "<b>nergens</b>", "Gebied"),
        ("periode", "nonsense", "Periode"),
        ("periode", "1999", "Periode"),  # well formed, but not a period on offer
        ("periode", "2026-13", "Periode"),
        ("type", "bakery", "Soort organisatie"),
        ("indicator", "luck", "Indicator"),
        ("leefgebied", "sport", "Leefgebied"),
        ("fenomeen", "piracy", "Fenomeen"),
    ],
)
def test_an_unknown_filter_value_is_named_and_that_filter_shows_everything(
    world, login, analist, name, value, label
):
    persons(world, 12)
    client = login(analist)
    plain = client.get(url()).content.decode()
    page = client.get(url(**{name: value}))
    assert page.status_code == 400
    html = page.content.decode()
    assert NOTICE in html
    assert f"{label}: “{value}”" in html.replace("&lt;", "<").replace("&gt;", ">")
    assert "<b>nergens</b>" not in html  # escaped, never markup
    # Below the filters the page is the unfiltered view: the same chart and tables.
    start = '<figure class="lens-chart">'
    assert html.index(start) > html.index(NOTICE)
    assert html[html.index(start) :] == plain[plain.index(start) :]


def test_a_municipality_analist_asking_for_another_municipality(world, login):
    persons(world, 12, DONGEN)
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    page = login(member).get(url(gebied=DONGEN))
    assert page.status_code == 400
    html = page.content.decode()
    assert NOTICE in html and f"Gebied: “{DONGEN}”" in html
    assert "Dongen" not in html  # the code they typed, never the other municipality's data
    assert '<option value="" selected>Alles binnen uw gebied</option>' in html


def test_a_known_filter_value_gives_no_notice(world, login, analist, catalogue):
    client = login(analist)
    year = str(timezone.localdate().year)
    indicator = next(iter(catalogue.indicators))
    for query in (
        {"gebied": DONGEN},
        {"periode": year},
        {"type": "school"},
        {"indicator": indicator},
        {"leefgebied": "gezondheid"},
        {"fenomeen": "fraud"},
        {"gebied": "", "onbekend": "iets"},  # an empty filter, and a parameter not ours
    ):
        page = client.get(url(**query))
        assert page.status_code == 200, query
        assert NOTICE not in page.content.decode(), query


def test_an_unknown_value_keeps_the_other_filters(world, login, analist):
    persons(world, 12)
    html = login(analist).get(url(gebied=DONGEN, type="bakery")).content.decode()
    assert f'value="{DONGEN}" selected' in html
    assert '<option value="" selected>Alle soorten organisaties</option>' in html
    assert NOTICE in html


def no_number(published: disclosure.Published) -> bool:
    values = [published.total, *published.row_totals.values(), *published.cells.values()]
    return all(v in (0, disclosure.LESS_THAN_TEN) for v in values)


def test_the_indicator_filter_counts_persons_with_a_signal_of_it(world, catalogue):
    scope = selectors.Scope("midden_brabant")
    persons(world, 12, signals=["lots_of_cash"])  # finances
    persons(world, 11, signals=["anxious"])  # health
    # Goirle: Dongen is not all but 1-9 (the world's own) of the region's finances (withheld)
    persons(world, 10, GOIRLE, signals=["lots_of_cash"])
    # A second small row beside the world's own (no area): else that "<10" would be the
    # region's total minus the shown rows, and the largest row its cover.
    persons(world, 3, TILBURG, signals=["lots_of_cash"])
    finances = selectors.picture(scope, selectors.Filters(indicator="finances"), catalogue)
    health = selectors.picture(scope, selectors.Filters(indicator="health"), catalogue)
    crime = selectors.picture(scope, selectors.Filters(indicator="crime"), catalogue)
    assert abs(finances.by_area.row_totals[DONGEN] - 12) <= disclosure.NOISE_BOUND
    assert abs(health.by_area.row_totals[DONGEN] - 11) <= disclosure.NOISE_BOUND
    # Nobody: no count of ten or more anywhere. (The zeros show as "<10": the world's own
    # persons make a small "unknown municipality" row, and a 0 beside it would tell.)
    assert no_number(crime.by_area)
    assert health.by_indicator.cells[("all", "finances")] == 0


def test_the_leefgebied_filter(world, catalogue):
    scope = selectors.Scope("midden_brabant")
    persons(world, 12, signals=["lots_of_cash"])  # wonen_financien
    persons(world, 11, signals=["two_phones"])  # werk_sociaal
    persons(world, 10, GOIRLE, signals=["lots_of_cash"])  # see the indicator filter's test
    persons(world, 3, TILBURG, signals=["lots_of_cash"])  # idem
    money = selectors.picture(scope, selectors.Filters(life_domain="wonen_financien"), catalogue)
    health = selectors.picture(scope, selectors.Filters(life_domain="gezondheid"), catalogue)
    assert abs(money.by_area.row_totals[DONGEN] - 12) <= disclosure.NOISE_BOUND
    assert money.by_life_domain.cells[("all", "werk_sociaal")] == 0
    assert no_number(health.by_area)


def test_the_phenomenon_filter(world, catalogue):
    scope = selectors.Scope("midden_brabant")
    persons(world, 12, phenomena=["fraud"])
    persons(world, 11, phenomena=["youth_groups", "fraud"])
    persons(world, 13, TILBURG)
    fraud = selectors.picture(scope, selectors.Filters(phenomenon="fraud"), catalogue)
    groups = selectors.picture(scope, selectors.Filters(phenomenon="youth_groups"), catalogue)
    assert abs(fraud.by_area.row_totals[DONGEN] - 23) <= disclosure.NOISE_BOUND
    assert fraud.by_area.row_totals[TILBURG] == 0
    assert abs(groups.by_area.row_totals[DONGEN] - 11) <= disclosure.NOISE_BOUND


def test_a_filtered_person_counts_once_across_linked_records(world, catalogue):
    own, other = world.actor(Role.PROFESSIONAL), factories.actor(world.other_professional)
    for _ in range(11):
        a, b = factories.person(own), factories.person(other)
        place(own, a, DONGEN, phenomena=["fraud"], signals=["lots_of_cash"])
        place(other, b, DONGEN, phenomena=["fraud"], signals=["money_mule"])
        factories.link(world.actor(Role.ZORGCOORDINATOR), a, b)
    # Goirle: Dongen is not all but 1-9 (the world's own) of the region's view (withheld)
    persons(world, 10, GOIRLE, signals=["lots_of_cash"])
    persons(world, 3, TILBURG, signals=["lots_of_cash"])  # see the indicator filter's test
    scope = selectors.Scope("midden_brabant")
    # With finances: the 11 (and Goirle's 10 and Tilburg's 3 when not filtered by fraud),
    # and under the indicator and leefgebied filters also the world's two persons (no area;
    # the first signal, unexplained_debts: finances).
    for filters, finances in (
        (selectors.Filters(phenomenon="fraud"), 11),
        (selectors.Filters(indicator="finances"), 26),
        (selectors.Filters(life_domain="wonen_financien"), 26),
    ):
        found = selectors.picture(scope, filters, catalogue)
        assert abs(found.by_area.row_totals[DONGEN] - 11) <= disclosure.NOISE_BOUND, filters
        shown = found.by_indicator.cells[("all", "finances")]
        assert abs(shown - finances) <= disclosure.NOISE_BOUND, filters


def test_the_new_filters_from_the_url(world, login, analist):
    persons(world, 12, phenomena=["fraud"], signals=["lots_of_cash"])
    client = login(analist)
    html = client.get(url(fenomeen="fraud", indicator="finances")).content.decode()
    assert 'value="fraud" selected' in html and 'value="finances" selected' in html
    empty = client.get(url(fenomeen="pgb_fraud")).content.decode()
    # nobody with pgb-fraude: no count above 0 (its total is "<10", a zero beside a small
    # group, so every count of the view is "<10": lens.picture.published.guarded)
    assert set(re.findall(r'numeric-column">(\d+)</td>', empty)) <= {"0"}
    assert 'numeric-column">&lt;10</td>' in empty


def test_the_queries_do_not_grow_with_rows_filters_or_co_occurrence(world, login):
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    client = login(member)
    query = {"indicator": "finances", "fenomeen": "fraud", "leefgebied": "wonen_financien"}
    client.get(url(**query))
    seen_now(client)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(**query)).status_code == 200
    for municipality in (TILBURG, DONGEN, GOIRLE):
        persons(world, 12, municipality, signals=["money_mule", "injuries"], phenomena=["fraud"])
    client.get(url(**query))
    # Each measured request right after the session was seen: a slow warm-up on a busy
    # machine would otherwise make it rewrite the session (1-3 queries, no row's cost).
    seen_now(client)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url(**query))
    assert page.status_code == 200
    assert "Welke signalen komen samen voor?" in page.content.decode()
    assert len(many) == len(few)
    # 26: the rest of the region ("Wat zie ik nog niet?") goes through the nested-view
    # rules since December 2026, one query for its wider views (recount_wider.wider_views).
    assert len(many) <= 26
