"""The network page pages its networks and costs the same whatever the relations
(issue 10: lens.coordination.views.network, lens.coordination.relation_network).

- Ten networks to a page (the shared list helper, ?pagina=N), numbered on across pages;
  the access log records the persons of the page shown, and only those.
- The queries of the page are the same at 10 and at 50 relations, in one network (a
  suspected recruiter with 10 or 50 young persons, all on one page) and in many (10 or
  50 pairs, paged); the log entries of a page are written in one INSERT.

Everything here is synthetic: made-up names, BSNs generated to pass the elfproef only.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lens.access.models import AccessLogEntry, Action
from lens.coordination import actions
from lens.coordination.views import network as views
from lens.data.coordination import RelationKind
from lens.data.registry import Person
from tests.coordination import linkworld
from tests.coordination.linkworld import last_log_id, log_since, url
from tests.coordination.test_query_counts import _same_at_10_and_50
from tests.registry import conftest as registry
from tests.registry import factories
from tests.registry import test_list_notices as notices

active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db

# Upper bound of the page's queries: a little room above today's count.
MAX_NETWORK = 20


def referred(world) -> Person:
    by = world.actor("school")
    person = factories.person(by)
    actions.refer(by, person, "Zorgen, graag meekijken.")
    return person


def related_pair(world, kind=RelationKind.FAMILY) -> tuple[Person, Person]:
    a, b = referred(world), referred(world)
    actions.record_relation(world.actor("school"), a, b, kind)
    return a, b


@pytest.fixture
def zc(links_world, login):
    return login(links_world.members["zc"])


def _log_inserts(queries) -> int:
    table = AccessLogEntry._meta.db_table
    return sum(1 for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


# --- pages ---------------------------------------------------------------------------------


def test_ten_networks_to_a_page_and_the_log_has_the_page_shown(zc, links_world):
    pairs = [related_pair(links_world) for _ in range(views.NETWORKS_PER_PAGE + 2)]
    since = last_log_id()
    first = zc.get(url("coordination:network"))
    assert first.status_code == 200
    assert len(first.context["networks"]) == views.NETWORKS_PER_PAGE
    assert first.context["network_count"] == len(pairs)
    assert first.context["page"].paginator.num_pages == 2
    assert 'rel="next"' in first.content.decode()
    shown_first = {
        p.pk for n in first.context["networks"] for node in n["nodes"] for p in node["members"]
    }
    assert len(shown_first) == 2 * views.NETWORKS_PER_PAGE
    assert {e.person_id for e in log_since(since)} == shown_first

    since = last_log_id()
    second = zc.get(url("coordination:network") + "?pagina=2")
    assert second.status_code == 200
    networks = second.context["networks"]
    assert [n["number"] for n in networks] == [11, 12]  # numbered on from the first page
    shown_second = {p.pk for n in networks for node in n["nodes"] for p in node["members"]}
    assert len(shown_second) == 4 and not shown_second & shown_first
    assert shown_first | shown_second == {p.pk for pair in pairs for p in pair}
    logged = log_since(since)
    assert {e.person_id for e in logged} == shown_second
    assert {(e.action, e.purpose) for e in logged} == {(Action.LIST, views.PURPOSE_NETWORK)}
    html = second.content.decode()
    for pk in shown_first:
        assert Person.objects.get(pk=pk).pseudonym not in html


def test_a_page_number_that_is_not_one_shows_the_first_or_the_last(zc, links_world):
    for _ in range(views.NETWORKS_PER_PAGE + 1):
        related_pair(links_world)
    first = zc.get(url("coordination:network") + "?pagina=x")
    last = zc.get(url("coordination:network") + "?pagina=99")
    assert first.context["page"].number == 1 and last.context["page"].number == 2
    # and each says so on the page (the outside probe: no notice on this list)
    assert notices.NOTICE in first.content.decode() and notices.NOTICE in last.content.decode()
    assert notices.NOTICE not in zc.get(url("coordination:network")).content.decode()


def test_the_persons_without_a_relation_are_counted_over_every_page(zc, links_world):
    for _ in range(views.NETWORKS_PER_PAGE + 1):
        related_pair(links_world)
    referred(links_world)
    referred(links_world)
    for page in ("1", "2"):
        response = zc.get(url("coordination:network") + f"?pagina={page}")
        assert response.context["isolated"] == 2
        assert response.context["relation_count"] == views.NETWORKS_PER_PAGE + 1


# --- cost ----------------------------------------------------------------------------------


def test_one_network_costs_the_same_at_10_and_50_relations(
    zc, links_world, django_assert_max_num_queries
):
    recruiter = referred(links_world)
    school = links_world.actor("school")

    def add(n):
        young = referred(links_world)
        actions.record_relation(school, recruiter, young, RelationKind.SUSPECTED_RECRUITER)
        return young

    def ask():
        response = zc.get(url("coordination:network"))
        (network,) = response.context["networks"]
        assert len(network["rows"]) in (10, 50)
        return response

    _same_at_10_and_50(add, ask, MAX_NETWORK, django_assert_max_num_queries)


def test_many_networks_cost_the_same_at_10_and_50_relations(
    zc, links_world, django_assert_max_num_queries
):
    def add(n):
        return related_pair(links_world)

    def ask():
        response = zc.get(url("coordination:network"))
        assert response.context["network_count"] in (10, 50)
        return response

    _same_at_10_and_50(add, ask, MAX_NETWORK, django_assert_max_num_queries)


def test_the_log_entries_of_a_page_are_one_insert(zc, links_world):
    recruiter = referred(links_world)
    for _ in range(12):
        young = referred(links_world)
        actions.record_relation(
            links_world.actor("school"), recruiter, young, RelationKind.SUSPECTED_RECRUITER
        )
    since = last_log_id()
    with CaptureQueriesContext(connection) as queries:
        assert zc.get(url("coordination:network")).status_code == 200
    assert log_since(since).count() == 13
    assert _log_inserts(queries) == 1
