"""The zorgcoördinator's links list pages its decided and its automatic links as the
other lists page (?besloten=N, ?automatisch=N beside the candidates' ?pagina=N), so
that older links of the period can be reached, each link shown logged; and a page
costs the same number of queries at 10 and at 50 automatic links."""

from __future__ import annotations

import pytest

from lens.coordination import actions as coordination
from lens.coordination.views import links as links_views
from lens.data.coordination import PersonLink
from tests.coordination import linkworld
from tests.coordination.test_query_counts import _same_at_10_and_50
from tests.registry import factories

pytestmark = pytest.mark.django_db

links_world = linkworld.links_world


def automatic_link(world, n: int) -> PersonLink:
    """A link made at registration: the same BSN at the school and the youth care."""
    bsn = factories.valid_bsn(n + 900)
    a = factories.person(world.actor("school"), bsn=bsn)
    factories.person(world.actor("youth_care"), bsn=bsn)
    # Referred to the zorgcoördinator: a linked pair is theirs to see once it is referred.
    coordination.refer(world.actor("school"), a, "Zorgen over nieuwe contacten.")
    return PersonLink.objects.get(person_a=a)  # the lower key: the first made


def test_older_automatic_links_are_a_page_away(links_world, login, client, monkeypatch):
    monkeypatch.setattr(links_views, "DECIDED_PAGE_SIZE", 4)
    made = [automatic_link(links_world, n) for n in range(6)]
    login(links_world.members["zc"])
    first = client.get(linkworld.url("coordination:links"))
    assert first.status_code == 200
    assert [r["link"].pk for r in first.context["automatic"]] == [
        link.pk for link in made[::-1][:4]
    ]
    assert "?automatisch=2#automatic-title" in first.content.decode()
    since = linkworld.last_log_id()
    second = client.get(linkworld.url("coordination:links"), {"automatisch": 2})
    assert second.status_code == 200
    assert [r["link"].pk for r in second.context["automatic"]] == [made[1].pk, made[0].pk]
    # Each record shown on the page is logged for the list.
    logged = {e.person_id for e in linkworld.log_since(since)}
    assert {made[0].person_a_id, made[1].person_a_id} <= logged
    assert "Alleen de" not in second.content.decode()


def test_a_page_the_list_does_not_have_says_so(links_world, login, client, monkeypatch):
    monkeypatch.setattr(links_views, "DECIDED_PAGE_SIZE", 4)
    for n in range(5):
        automatic_link(links_world, n)
    login(links_world.members["zc"])
    response = client.get(linkworld.url("coordination:links"), {"automatisch": "9"})
    assert response.status_code == 400
    assert len(response.context["automatic"]) == 1  # the last page, with a notice
    assert response.context["list_notices"]


def test_the_automatic_links_cost_the_same_at_10_and_50(
    links_world, login, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(links_views, "DECIDED_PAGE_SIZE", 5)
    login(links_world.members["zc"])

    def ask():
        response = client.get(linkworld.url("coordination:links"), {"automatisch": 2})
        assert len(response.context["automatic"]) == 5
        return response

    _same_at_10_and_50(
        lambda n: automatic_link(links_world, n), ask, 17, django_assert_max_num_queries
    )
