"""The person page's timeline a page at a time (?registraties=N, newest first): the page's
size stays bounded however many registrations a person has, older ones are a link away
(no JavaScript), the outcome is still drawn from every current registration, and the
read is logged once, as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.catalogue import services
from lens.data import queries
from lens.data.registry import Role
from lens.registry import views
from lens.web import outcomes

from . import factories
from .test_query_counts import seen_now
from .test_views import url

pytestmark = pytest.mark.django_db

SIZE = 20  # lens.registry.views.TIMELINE_PAGE_SIZE


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def register(world, n: int, catalogue=None, oldest_signals=None) -> None:
    """`n - 1` registrations more for the world's own person (it has one already), a day
    apart, the oldest `oldest_signals` when given."""
    actor = world.actor(Role.PROFESSIONAL)
    for i in range(n - 1):
        last = i == n - 2
        factories.registration(
            actor,
            world.own_person,
            signals=oldest_signals if last and oldest_signals else None,
            observed_on=timezone.localdate() - timedelta(days=10 + i),
        )


def page(client, world, **query):
    return client.get(url("registry:person", pseudonym=world.own_person.pseudonym), query)


def shown(response) -> list[int]:
    return [item["entry"].registration.pk for item in response.context["timeline"]]


def test_the_newest_registrations_first_and_older_ones_a_link_away(professional, world):
    register(world, SIZE + 5)
    first = page(professional, world)
    assert first.status_code == 200
    assert len(shown(first)) == SIZE
    body = first.content.decode()
    assert "?registraties=2#timeline-title" in body
    assert f"Registraties 1 tot en met {SIZE} van {SIZE + 5}" in body
    before = AccessLogEntry.objects.count()
    second = page(professional, world, registraties=2)
    # One read of the person logged for the page, as for its first page.
    logged = AccessLogEntry.objects.order_by("id")[before:]
    assert [(e.object_type, e.purpose) for e in logged] == [("person", views.PURPOSE_PAGE)]
    assert second.status_code == 200
    assert len(shown(second)) == 5
    assert not set(shown(first)) & set(shown(second))
    # Newest first across the pages.
    observed = [
        item["entry"].registration.observed_on
        for response in (first, second)
        for item in response.context["timeline"]
    ]
    assert observed == sorted(observed, reverse=True)
    assert "?registraties=1#timeline-title" in second.content.decode()


def test_the_outcome_still_counts_the_registrations_on_other_pages(professional, world, catalogue):
    signals = list(catalogue.signals)
    register(world, SIZE + 3, oldest_signals=[signals[-1]])
    first, second = page(professional, world), page(professional, world, registraties=2)
    oldest = world.own_person.registrations.order_by("observed_on").first()
    assert oldest.signals == [signals[-1]]
    assert oldest.pk in shown(second) and oldest.pk not in shown(first)
    # The outcome section is drawn from every current registration, whatever page of the
    # timeline is shown: the same on both, and it counts the oldest one's signal.
    assert first.context["outcome_section"] == second.context["outcome_section"]
    person = world.own_person
    stored = queries.latest_outcome(person)
    _catalogue, ruleset = services.active()
    everything = outcomes.outcome_section(
        "registry/includes/outcome.html",
        person,
        queries.with_document(stored, person, catalogue, ruleset, queries.timeline(person)),
        catalogue,
        ruleset,
        "nl",
        queries.timeline(person),
    )
    assert first.context["outcome_section"] == everything


@pytest.mark.parametrize("asked", ["abc", "0", "-1", "99"])
def test_a_page_the_timeline_does_not_have_is_said_with_400(professional, world, asked):
    register(world, SIZE + 2)
    response = page(professional, world, registraties=asked)
    assert response.status_code == 400
    assert response.context["list_notices"]
    assert len(shown(response)) in (SIZE, 2)


def test_the_page_size_stays_bounded(professional, world):
    register(world, 10)
    seen_now(professional)
    small = len(page(professional, world).content)
    register(world, 191)  # 200 in all
    seen_now(professional)
    large = page(professional, world)
    assert large.status_code == 200
    assert len(shown(large)) == SIZE
    # Twenty registrations shown instead of ten, and the pages' links: a few KB, where
    # all 200 were some 220 KB more.
    assert len(large.content) - small < 12_000, (small, len(large.content))
