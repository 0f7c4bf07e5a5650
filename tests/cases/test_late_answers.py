"""A late answer: the zorgcoördinator answers a referral after the referring case moved
on (closed, the answer recorded by hand, a newer referral waiting). The answer is kept
on the referral, shown in the case's history as a late answer, and changes nothing in
the case: no step, no state, never the answer to a newer referral."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.cases import referrals
from lens.data.cases import Case, CaseReferral
from lens.data.registry import Role
from tests.registry.test_views import text, url

from .conftest import data, walk
from .test_referrals import post

pytestmark = pytest.mark.django_db

NOTE = "Synthetisch: wij hebben contact gelegd met de wijkagent"


def refer(world, case: Case) -> CaseReferral:
    step = referrals.take_step(
        world.actor(Role.PROFESSIONAL), case, "refer", data("refer", on=timezone.localdate())
    )
    return CaseReferral.objects.get(step=step)


def state_of(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.state, case.next_action, case.next_due, case.close_reason, case.steps.count())


def test_an_answer_in_time_is_a_step_and_not_late(world, own_case):
    link = refer(world, own_case)
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", NOTE)
    link.refresh_from_db()
    assert link.answer_step is not None and link.answer_step.transition == "referral_answered"
    assert not link.is_late


def test_an_answer_after_the_case_was_closed_is_shown_as_late(world, own_case, login):
    link = refer(world, own_case)
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    before = state_of(own_case)
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator,
        url("cases:referral_answer", link_id=link.pk),
        answer="taken_up",
        note=NOTE,
    )
    assert response.status_code == 302
    followed = text(coordinator.get(response["Location"]))
    assert "als laat antwoord" in followed  # the zorgcoördinator is told it came late
    link.refresh_from_db()
    assert link.is_late and link.answer == "taken_up"
    assert state_of(own_case) == before  # the closed case is unchanged
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=own_case.pk)))
    assert "Late antwoorden van de zorgcoördinator" in page
    assert NOTE in page and "Opgepakt door de zorgcoördinator" in page
    assert "Heropen de casus als het antwoord daarom vraagt." in page


def test_a_case_without_late_answers_shows_no_such_section(world, own_case, login):
    link = refer(world, own_case)
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", NOTE)
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=own_case.pk)))
    assert NOTE in page  # as the step's "what was done"
    assert "Late antwoorden" not in page


def test_the_work_list_marks_an_open_case_with_a_late_answer(world, own_case, login):
    link = refer(world, own_case)
    client = login(world.members[Role.PROFESSIONAL])
    badge = "laat antwoord van de zorgcoördinator"
    assert badge not in text(client.get(url("cases:work_list")))
    # Only the zorgcoördinator records an answer: it is late when it comes to a closed case
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", NOTE)
    assert badge not in text(client.get(url("cases:work_list")))  # closed: not on the list
    walk(world.actor(Role.PROFESSIONAL), own_case, "reopen", on=timezone.localdate())
    assert badge in text(client.get(url("cases:work_list")))
