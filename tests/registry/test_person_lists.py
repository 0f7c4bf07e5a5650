"""The own-persons list: sorted (?sorteer=), filtered on a recent signal (?recent=) and on
level (?niveau=), through lens.registry.selectors; the access log filtered by action
(?handeling=) and paged."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from lens.access import policy
from lens.access.models import Action
from lens.data.registry import Role
from lens.registry import selectors

from . import factories
from .test_views import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def shown(response) -> list[str]:
    return re.findall(r'href="/registratie/(P-[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def three(world):
    """Besides the world's own person (observed 3 days ago): one observed 200 days ago,
    one observed 500 days ago."""
    actor = world.actor(Role.PROFESSIONAL)
    old = factories.person(actor)
    factories.registration(actor, old, observed_on=timezone.localdate() - timedelta(days=200))
    older = factories.person(actor)
    factories.registration(actor, older, observed_on=timezone.localdate() - timedelta(days=500))
    return world.own_person, old, older


def test_newest_signal_first_by_default(professional, three):
    assert shown(professional.get(url("registry:persons"))) == [p.pseudonym for p in three]


def test_sorted_by_pseudonym(professional, three):
    found = shown(professional.get(url("registry:persons"), {"sorteer": "pseudoniem"}))
    assert found == sorted(p.pseudonym for p in three)


def test_highest_level_first(professional, three, world):
    found = shown(professional.get(url("registry:persons"), {"sorteer": "niveau"}))
    levels = [
        policy.visible_persons(world.actor(Role.PROFESSIONAL)).get(pseudonym=p) for p in found
    ]
    numbers = [p.outcomes.latest().level for p in levels]
    assert numbers == sorted(numbers, reverse=True)


@pytest.mark.parametrize(("months", "count"), [("3", 1), ("12", 2), ("", 3), ("7", 3)])
def test_recent_signal_filter(professional, three, months, count):
    """An unknown value ("7") shows the whole list, with a notice and status 400."""
    response = professional.get(url("registry:persons"), {"recent": months})
    assert response.status_code == (400 if months == "7" else 200)
    assert len(shown(response)) == count


def test_no_match_says_so(professional, world):
    response = professional.get(url("registry:persons"), {"recent": "3", "niveau": "0"})
    if not shown(response):
        assert "Geen personen bij deze keuzes." in response.content.decode()


def test_months_before():
    assert selectors.months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert selectors.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_the_access_log_filters_by_action(world, login):
    aandacht = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    actor = world.actor(Role.PROFESSIONAL)
    policy.get_person(actor, world.own_person.pseudonym, purpose="test")
    page = url("registry:access_log", pseudonym=world.own_person.pseudonym)
    everything = aandacht.get(page).content.decode()
    reads = aandacht.get(page, {"handeling": Action.READ}).content.decode()
    assert 'name="handeling"' in everything
    assert "geregistreerd" in everything and "geregistreerd" not in reads.split("<tbody")[1]
    assert "bekeken" in reads.split("<tbody")[1]
