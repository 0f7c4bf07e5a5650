"""Pages whose cost does not grow with their rows (issue 10, item 6).

Each list and person page is asked at 10 and at 50 rows: the number of queries must be
the same for both, and below a fixed bound. A query per shown row (an access-log write,
an outcome, a cluster walk) makes the second count larger and fails the test.

The rows are synthetic: made-up names, BSNs that pass the elfproef only.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lens.access.models import AccessLogEntry, Action
from lens.access.verify import verify as verify_log
from lens.coordination import actions as coordination_actions
from lens.coordination import notify
from lens.coordination.views import links as links_views
from lens.data.coordination import (
    LinkBasis,
    LinkDecision,
    LinkDecisionKind,
    LinkState,
    PersonLink,
    WorkItem,
)
from lens.data.registry import Role
from tests.api import factories as api_factories
from tests.api.conftest import Api
from tests.coordination import linkworld
from tests.registry import factories

from .conftest import STRONG

# Upper bounds per page: a little room above today's counts, far below one per row.
MAX_PERSONS = 20
MAX_PERSON_PAGE = 30
MAX_API_PERSONS = 16
MAX_API_PERSON = 25
MAX_REGION_PERSONS = 24


@pytest.fixture
def big_pages(monkeypatch):
    """One page holds 50 rows, so that every row counted is on the page."""
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 50)


def _count(do) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = do()
    assert response.status_code == 200, response.content[:500]
    return len(queries), response


def _grow(add, to: int, have: list) -> None:
    while len(have) < to:
        have.append(add(len(have)))


def _same_at_10_and_50(add, ask, bound: int, django_assert_max_num_queries) -> list[int]:
    """The query counts of `ask()` with 10 and with 50 rows made by `add(n)`."""
    rows: list = []
    counts = []
    for size in (10, 50):
        _grow(add, size, rows)
        ask()  # warm: sessions, catalogue cache
        found = []
        for _attempt in range(2):
            with django_assert_max_num_queries(bound):
                found.append(_count(ask)[0])
        # The fewer of two: the session's last-seen time is written (three queries) when
        # 10 s passed since the last write (lens.accounts.middleware), whatever the rows.
        counts.append(min(found))
    assert counts[0] == counts[1], f"queries at 10 and 50 rows: {counts}"
    return counts


@pytest.mark.usefixtures("big_pages")
def test_the_person_list_costs_the_same_at_10_and_50_rows(
    active, login, client, django_assert_max_num_queries
):
    school = factories.organisation()
    member = factories.membership(Role.PROFESSIONAL, school)
    actor = factories.actor(member)
    login(member)
    url = reverse("registry:persons")

    def add(n):
        person = factories.person(actor)
        factories.registration(actor, person)
        return person

    _same_at_10_and_50(add, lambda: client.get(url), MAX_PERSONS, django_assert_max_num_queries)
    # Every row shown is still logged, one entry each, in one chain.
    listed = AccessLogEntry.objects.filter(action=Action.LIST, user_id=member.user_id)
    assert listed.count() == 3 * 10 + 3 * 50
    assert verify_log() == []


def test_the_person_page_costs_the_same_at_10_and_50_registrations(
    active, login, client, django_assert_max_num_queries
):
    school = factories.organisation()
    other = factories.organisation(organisation_type="youth_care")
    member = factories.membership(Role.PROFESSIONAL, school)
    actor = factories.actor(member)
    other_actor = factories.actor(factories.membership(Role.PROFESSIONAL, other))
    bsn = factories.valid_bsn(7)
    person = factories.person(actor, bsn=bsn)
    factories.person(other_actor, bsn=bsn)  # linked: "ook betrokken"
    login(member)
    url = reverse("registry:person", kwargs={"pseudonym": person.pseudonym})

    def add(n):
        return factories.registration(actor, person, context_note=f"Notitie {n}")

    _same_at_10_and_50(add, lambda: client.get(url), MAX_PERSON_PAGE, django_assert_max_num_queries)


def test_the_api_person_list_costs_the_same_at_10_and_50_rows(
    active, django_assert_max_num_queries
):
    organisation = api_factories.make_organisation("Synthetisch Lyceum Oost")
    api_client, token = api_factories.make_client(organisation)
    api = Api(token)

    def add(n):
        who = api_factories.identity(
            factories.letters(n, "g"), factories.letters(n, "f"), bsn=factories.valid_bsn(n + 50)
        )
        return api_factories.make_person(api_client, who)[0]

    def ask():
        response = api.get("/persons", {"page_size": 50})
        assert len(response.json()["results"]) in (10, 50)
        return response

    _same_at_10_and_50(add, ask, MAX_API_PERSONS, django_assert_max_num_queries)


def test_the_api_person_costs_the_same_at_10_and_50_registrations(
    active, django_assert_max_num_queries
):
    organisation = api_factories.make_organisation("Synthetisch Lyceum West")
    api_client, token = api_factories.make_client(organisation)
    who = api_factories.identity("Zwaantje", "Ploegmakers", bsn=factories.valid_bsn(3))
    person, _registration = api_factories.make_person(api_client, who)
    actor = api_factories.actor_of(api_client)
    api = Api(token)

    def add(n):
        return factories.registration(actor, person)

    _same_at_10_and_50(
        add,
        lambda: api.get(f"/persons/{person.pseudonym}"),
        MAX_API_PERSON,
        django_assert_max_num_queries,
    )


@pytest.mark.usefixtures("big_pages")
def test_the_region_persons_cost_the_same_at_10_and_50_persons(
    active, login, client, django_assert_max_num_queries
):
    school = factories.organisation(organisation_type="school")
    youth_care = factories.organisation(organisation_type="youth_care")
    at_school = factories.actor(factories.membership(Role.PROFESSIONAL, school))
    at_youth_care = factories.actor(factories.membership(Role.PROFESSIONAL, youth_care))
    coordinator = factories.membership(Role.ZORGCOORDINATOR)
    login(coordinator)
    url = reverse("coordination:persons")

    def add(n):
        bsn = factories.valid_bsn(n + 100)
        person = factories.person(at_school, bsn=bsn)
        if n % 3 == 0:  # referred only: in scope through the referral
            coordination_actions.refer(at_school, person, "Zorgen over nieuwe contacten.")
            return person
        factories.registration(at_school, person, signals=[STRONG])
        if n % 3 == 1:  # known at two organisations: one row of two records
            other = factories.person(at_youth_care, bsn=bsn)
            factories.registration(at_youth_care, other, signals=[STRONG])
        return person

    def ask():
        response = client.get(url)
        assert len(response.context["rows"]) in (10, 50)
        return response

    _same_at_10_and_50(add, ask, MAX_REGION_PERSONS, django_assert_max_num_queries)


MAX_PICTURE = 30


def test_the_picture_costs_the_same_at_10_and_50_persons_in_the_region(
    active, login, client, django_assert_max_num_queries
):
    """The region scope is one query on the stored cluster ids, whatever its size."""
    school = factories.organisation(organisation_type="school")
    youth_care = factories.organisation(organisation_type="youth_care")
    at_school = factories.actor(factories.membership(Role.PROFESSIONAL, school))
    at_youth_care = factories.actor(factories.membership(Role.PROFESSIONAL, youth_care))
    login(factories.membership(Role.ZORGCOORDINATOR))
    shown = []

    def add(n):
        bsn = factories.valid_bsn(n + 300)
        person = factories.person(at_school, bsn=bsn)
        factories.registration(at_school, person, signals=[STRONG])
        if n % 2 == 0:
            other = factories.person(at_youth_care, bsn=bsn)
            factories.registration(at_youth_care, other, signals=[STRONG])
        shown.append(person)
        return person

    def ask():
        address = reverse("coordination:picture", kwargs={"pseudonym": shown[0].pseudonym})
        response = client.get(address)
        assert len(response.context["members"]) == 2
        return response

    _same_at_10_and_50(add, ask, MAX_PICTURE, django_assert_max_num_queries)


def test_the_picture_costs_the_same_for_a_person_at_10_and_50_organisations(
    active, login, client, django_assert_max_num_queries
):
    """Every record of the cluster is on the picture: still the same queries."""
    login(factories.membership(Role.ZORGCOORDINATOR))
    bsn = factories.valid_bsn(42)
    records = []

    def add(n):
        kind = ("school", "youth_care")[n % 2]
        organisation = factories.organisation(organisation_type=kind)
        by = factories.actor(factories.membership(Role.PROFESSIONAL, organisation))
        person = factories.person(by, bsn=bsn)
        factories.registration(by, person, signals=[STRONG])
        records.append(person)
        return person

    def ask():
        address = reverse("coordination:picture", kwargs={"pseudonym": records[0].pseudonym})
        response = client.get(address)
        assert len(response.context["members"]) == len(records)
        return response

    _same_at_10_and_50(add, ask, MAX_PICTURE, django_assert_max_num_queries)


MAX_WORKLIST = 24


@pytest.mark.usefixtures("big_pages")
def test_the_work_list_costs_the_same_at_10_and_50_lines(
    active, login, client, django_assert_max_num_queries
):
    """Every kind of line the page shows differently, grouped per person: a referral (a
    named person without an outcome), a new link (a named person at two organisations), a
    possible match (its pair, logged) and a line handled already."""
    school = factories.organisation(organisation_type="school")
    youth_care = factories.organisation(organisation_type="youth_care")
    at_school = factories.actor(factories.membership(Role.PROFESSIONAL, school))
    at_youth_care = factories.actor(factories.membership(Role.PROFESSIONAL, youth_care))
    member = factories.membership(Role.ZORGCOORDINATOR)
    coordinator = factories.actor(member)
    login(member)
    url = reverse("coordination:worklist")
    made = {"open": 0, "done": 0}  # one line per row added

    def add(n):
        kind = n % 4
        made["done" if kind == 3 else "open"] += 1
        if kind in (0, 3):  # a referral; every other one handled already
            person = factories.person(at_school)
            coordination_actions.refer(at_school, person, "Zorgen over nieuwe contacten.")
            if kind == 3:
                item = WorkItem.objects.get(person=person)
                coordination_actions.mark_done(coordinator, [item.pk])
            return person
        bsn = factories.valid_bsn(n + 500)
        person = factories.person(at_school, bsn=bsn)
        if kind == 1:  # the same person at the youth care: a new link
            factories.registration(at_school, person, signals=[STRONG])
            other = factories.person(at_youth_care, bsn=bsn)
            factories.registration(at_youth_care, other, signals=[STRONG])
            return person
        other = factories.person(at_youth_care, bsn=factories.valid_bsn(n + 900))
        link = PersonLink.objects.create(
            person_a=person, person_b=other, basis=LinkBasis.FUZZY, state=LinkState.CANDIDATE
        )
        notify.candidate(link)
        return person

    def ask():
        response = client.get(url)
        shown = sum(len(group["lines"]) for group in response.context["groups"])
        assert (shown, len(response.context["done_lines"])) == (made["open"], made["done"])
        return response

    _same_at_10_and_50(add, ask, MAX_WORKLIST, django_assert_max_num_queries)


# The links of the region: the page of candidates with both records each, the decided
# and automatic links, and their access-log entries in one bulk write.
MAX_LINKS = 17
# One link: both records, its score and reasons, and every decision so far.
MAX_LINK = 14
links_world = linkworld.links_world


def test_the_links_cost_the_same_at_10_and_50_links(
    links_world, login, client, monkeypatch, django_assert_max_num_queries
):
    """Candidates within the region and across its border, and automatic links (the same
    BSN), all on one page."""
    monkeypatch.setattr("lens.coordination.views.links.PAGE_SIZE", 50)
    login(links_world.members["zc"])
    url = reverse("coordination:links")
    made = {"candidates": 0}

    def add(n):
        if n % 5 == 4:  # an automatic link: the same BSN at the youth care
            bsn = factories.valid_bsn(n + 700)
            person = factories.person(links_world.actor("school"), bsn=bsn)
            factories.person(links_world.actor("youth_care"), bsn=bsn)
            return person
        family = factories.letters(n, "f")
        a, _b, link = linkworld.pair(
            links_world,
            given=factories.letters(n, "g"),
            family_a=family,
            family_b=family[:-1],  # a letter less: alike, not the same
            second=("youth_care", "elsewhere")[n % 2],
        )
        assert link.state == LinkState.CANDIDATE
        made["candidates"] += 1
        return a

    asked = []

    def ask():
        response = client.get(url)
        assert len(response.context["candidates"]) == made["candidates"]
        asked.append(made["candidates"])
        return response

    _same_at_10_and_50(add, ask, MAX_LINKS, django_assert_max_num_queries)
    # Every record shown is still logged (one entry or more per candidate, one bulk write).
    listed = AccessLogEntry.objects.filter(purpose=links_views.PURPOSE_LIST)
    assert listed.count() >= sum(asked)
    assert verify_log() == []


def test_a_link_costs_the_same_at_10_and_50_decisions(
    links_world, login, client, django_assert_max_num_queries
):
    member = links_world.members["zc"]
    login(member)
    _a, _b, link = linkworld.pair(links_world)
    url = reverse("coordination:link", kwargs={"link_id": link.pk})
    kinds = (LinkDecisionKind.REJECT, LinkDecisionKind.REOPEN)

    def add(n):  # rejected and reopened again, with a note each time: still a candidate
        return LinkDecision.objects.create(
            link=link, decision=kinds[n % 2], note=f"Notitie {n}", decided_by=member.user
        )

    def ask():
        response = client.get(url)
        assert len(response.context["decisions"]) in (10, 50)
        return response

    _same_at_10_and_50(add, ask, MAX_LINK, django_assert_max_num_queries)
