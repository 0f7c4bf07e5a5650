"""Casework pages whose cost does not grow with their rows (issue "One house"): the work
list, the case page and the zorgcoördinator's referrals from cases answer in the same
bounded number of queries with 10 rows as with 50 (django_assert_max_num_queries, one
bound for both sizes: what the page needs at 10 rows on PostgreSQL, one query more than
SQLite for the access-log chain lock). A query per row passes 10 rows and fails 50."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.cases import actions, referrals
from lens.cases.views_referrals import PURPOSE_LIST
from lens.data.cases import CaseReferral
from lens.data.registry import Role
from tests.registry import factories
from tests.registry.test_query_counts import seen_now
from tests.registry.test_views import text, url

from .conftest import data, open_for, walk

pytestmark = pytest.mark.django_db

SIZES = [10, 50]
# Session, membership, the page of cases with their persons and openers, its count, the
# late-answer lines of closed cases, the log entries in one bulk write, and the steps
# (with their consultations) of the cases whose own outcome calls for 112 first.
WORK_LIST = 15
# The acute advice reads the own outcome's stored flag (PersonOutcome.acute_signal): no
# report drawn again (issue 14 had made it two queries more).
CASE_PAGE = 17
REFERRALS = 14


@pytest.fixture
def big_pages(monkeypatch):
    """One page holds 50 rows, so that every row made is on the page."""
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 50)


@pytest.mark.usefixtures("big_pages")
@pytest.mark.parametrize("n", SIZES)
def test_the_work_list(world, login, n, django_assert_max_num_queries):
    from lens.catalogue import services

    catalogue, _ruleset = services.active()
    acute_code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    actor = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    for i in range(n):
        on = today - timedelta(days=30 if i % 3 == 0 else 0)  # due long ago, or not yet
        person = factories.person(actor)
        case = actions.open_case(actor, person, data("open", on))
        if i % 3 == 0:  # cases further on
            walk(actor, case, "map_signals", on=on)
        if i % 5 == 0:  # an own outcome calling for 112 first: the list reads those steps
            factories.registration(actor, person, signals=[acute_code])
    professional = login(world.members[Role.PROFESSIONAL])
    seen_now(professional)
    with django_assert_max_num_queries(WORK_LIST):
        response = professional.get(url("cases:work_list"))
    assert response.status_code == 200
    body = text(response)
    assert body.count("Casus ") >= n
    assert body.count("uitkomst: acuut gevaar, bel 112") == len(range(0, n, 5))


def refer(actor, case, on):
    return referrals.take_step(
        actor, case, "refer", data("refer", on=on, done="Zorgen over uitbuiting")
    )


@pytest.mark.parametrize("n", SIZES)
def test_the_case_page(world, login, own_case, n, django_assert_max_num_queries):
    """Every kind of step the page shows: mapped signals, consultations, a referral and
    the zorgcoördinator's answer coming back into the case."""
    actor = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    walk(actor, own_case, "map_signals", on=today)
    step = refer(actor, own_case, today)
    link = CaseReferral.objects.get(step=step)
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", "Advies.")
    steps = 4  # open, map_signals, refer, referral_answered
    while steps < n:
        walk(actor, own_case, ("consult", "map_signals")[steps % 2], on=today)
        steps += 1
    assert own_case.steps.count() == n
    professional = login(world.members[Role.PROFESSIONAL])
    seen_now(professional)
    with django_assert_max_num_queries(CASE_PAGE):
        response = professional.get(url("cases:case", case_id=own_case.pk))
    assert response.status_code == 200


@pytest.mark.usefixtures("big_pages")
@pytest.mark.parametrize("n", SIZES)
def test_the_referrals_from_cases(world, login, n, django_assert_max_num_queries):
    actor = world.actor(Role.PROFESSIONAL)
    other = factories.actor(world.other_professional)
    today = timezone.localdate()
    for i in range(n):
        by = (actor, other)[i % 2]  # from both organisations
        on = today - timedelta(days=i)  # the list is in the order of the refer step's date
        case = open_for(by, factories.person(by), on=on)
        walk(by, case, "map_signals", on=on)
        refer(by, case, on)
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    seen_now(coordinator)
    with django_assert_max_num_queries(REFERRALS):
        response = coordinator.get(url("cases:referrals"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == n


def test_the_referrals_from_cases_come_in_pages(world, login, monkeypatch):
    """Paged as the other lists (?pagina=N, lens.web.lists), in the order of the refer
    step's date; only the rows shown are logged."""
    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 2)
    actor = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    made = []
    for days in (3, 1, 4, 2, 0):
        on = today - timedelta(days=days)
        case = open_for(actor, factories.person(actor), on=on)
        walk(actor, case, "map_signals", on=on)
        made.append((on, CaseReferral.objects.get(step=refer(actor, case, on))))
    in_order = [link.pk for _on, link in sorted(made, key=lambda pair: pair[0])]
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    shown = []
    for number in (1, 2, 3):
        since = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = coordinator.get(url("cases:referrals"), {"pagina": number})
        rows = [row.pk for row in response.context["rows"]]
        logged = AccessLogEntry.objects.filter(pk__gt=since, purpose=PURPOSE_LIST).order_by("pk")
        assert [e.person_id for e in logged] == [
            CaseReferral.objects.get(pk=pk).referral.person_id for pk in rows
        ]
        shown += rows
    assert shown == in_order
    body = text(response)
    assert "Pagina 3 van 3" in body and "Vorige pagina" in body
    past = coordinator.get(url("cases:referrals"), {"pagina": 9})
    assert [row.pk for row in past.context["rows"]] == in_order[4:]
    assert "laatste" in text(past)
