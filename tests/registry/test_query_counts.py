"""Pages whose cost does not grow with their rows: the own-persons list, the person page
and the access log answer in the same bounded number of queries with 10 rows as with 50
(django_assert_max_num_queries, the same bound for both sizes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.access import log, policy
from lens.catalogue import services
from lens.coordination import actions as coordination
from lens.data.registry import Role
from lens.registry import actions
from tests.login import seen_now as session_seen_now

from . import factories
from .test_views import url

pytestmark = pytest.mark.django_db

SIZES = [10, 50]
# On PostgreSQL (one query more than SQLite: the access-log chain lock).
# The bounds: what each page needs (session, membership, catalogue, the read and its log
# entry, the rows). A page that queries per row passes 10 rows and fails 50.
PERSONS_LIST = 12  # the count and the rows in one query (lists.page_of)
PERSON_PAGE = 19
ACCESS_LOG = 15


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def seen_now(client) -> None:
    """The state of a server in use: the active catalogue loaded in this process (once
    per process and version, not per page), and the session seen just now
    (tests.login.seen_now). Neither says anything about the page."""
    services.active()
    session_seen_now(client)


def persons(world, n: int) -> None:
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(n - 1):  # the world has one already
        factories.registration(actor, factories.person(actor))


def registrations(world, n: int) -> None:
    actor = world.actor(Role.PROFESSIONAL)
    for i in range(n - 1):
        registration = factories.registration(
            actor, world.own_person, observed_on=timezone.localdate() - timedelta(days=i + 1)
        )
        if i % 5 == 0:  # withdrawn registrations are on the page too
            actions.withdraw_registration(actor, registration, "test")


@pytest.mark.parametrize("n", SIZES)
def test_the_persons_list(professional, world, n, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 50)
    persons(world, n)
    seen_now(professional)
    with django_assert_max_num_queries(PERSONS_LIST):
        response = professional.get(url("registry:persons"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/registratie/P-') >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_person_page(professional, world, n, django_assert_max_num_queries):
    registrations(world, n)
    seen_now(professional)
    with django_assert_max_num_queries(PERSON_PAGE):
        response = professional.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_the_access_log(world, login, n, django_assert_max_num_queries):
    aandacht = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    actor = world.actor(Role.PROFESSIONAL)
    registrations(world, 3)
    while log.entries_for_person(world.own_person).count() < n:
        policy.get_person(actor, world.own_person.pseudonym, purpose="test")
    seen_now(aandacht)
    with django_assert_max_num_queries(ACCESS_LOG):
        response = aandacht.get(url("registry:access_log", pseudonym=world.own_person.pseudonym))
    assert response.status_code == 200
    assert response.content.decode().count("<tr") >= min(n, 50)


# The page of requests with their persons, its count, and the access-log entries of the
# rows shown in one bulk write.
REQUESTS = 12


@pytest.mark.parametrize("n", SIZES)
def test_the_information_requests(world, login, n, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 50)
    own = world.actor(Role.PROFESSIONAL)
    coordinator = world.actor(Role.ZORGCOORDINATOR)
    aandacht = world.actor(Role.AANDACHTSFUNCTIONARIS)
    for i in range(n):
        person = factories.person(own)
        coordination.refer(own, person, "Zorgen over nieuwe contacten.")
        asked = coordination.ask_information(coordinator, person, world.own, f"Vraag {i}")
        if i % 3 == 0:  # answered ones are on the list too
            coordination.answer_information(aandacht, asked, "Ja.")
    client = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    seen_now(client)
    with django_assert_max_num_queries(REQUESTS):
        response = client.get(url("registry:requests"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == n
