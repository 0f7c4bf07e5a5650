"""A late answer: the zorgcoördinator answers a referral after the referring case moved
on (closed, the answer recorded by hand, a newer referral waiting). The answer is kept
on the referral, shown in the case's history as a late answer, and changes nothing in
the case: no step, no state, never the answer to a newer referral."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry, Action
from lens.cases import referrals
from lens.data.cases import Case, CaseReferral
from lens.data.registry import Role
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import data, walk
from .test_referrals import post

pytestmark = pytest.mark.django_db

NOTE = "Synthetisch: wij hebben contact gelegd met de wijkagent"
LINES_TITLE = "Late antwoorden op afgesloten casussen"


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
    listed = text(client.get(url("cases:work_list")))
    assert badge + " " not in listed  # closed: no row with the badge, ...
    assert LINES_TITLE in listed  # ... but a line for the late answer
    walk(world.actor(Role.PROFESSIONAL), own_case, "reopen", on=timezone.localdate())
    listed = text(client.get(url("cases:work_list")))
    assert badge + " " in listed and LINES_TITLE not in listed  # open: the row, marked


# --- the late answer on a closed case as a line of Mijn werkvoorraad -------------------------


@pytest.fixture
def answered_late(world, own_case):
    """The own case referred, closed, and then answered by the zorgcoördinator."""
    link = refer(world, own_case)
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "taken_up", NOTE)
    link.refresh_from_db()
    return link


def work_list(client) -> str:
    response = client.get(url("cases:work_list"))
    assert response.status_code == 200
    return text(response)


def test_the_handler_is_told_on_the_work_list_without_the_answer_itself(
    world, own_case, answered_late, login
):
    listed = work_list(login(world.members[Role.PROFESSIONAL]))
    assert LINES_TITLE in listed
    assert f"Casus {own_case.pk}" in listed and own_case.person.pseudonym in listed
    assert "laat antwoord van de zorgcoördinator, " in listed
    # Need to know: the line says that there is an answer, not what it says.
    assert NOTE not in listed and "Opgepakt door de zorgcoördinator" not in listed
    body = login(world.members[Role.PROFESSIONAL]).get(url("cases:work_list")).content.decode()
    assert f'href="{url("cases:case", case_id=own_case.pk)}#late-title"' in body
    # The case shown on the list is logged (LIST) like the list's other cases.
    listed_cases = AccessLogEntry.objects.filter(
        action=Action.LIST, object_type="case", purpose="mijn werkvoorraad"
    ).values_list("object_id", flat=True)
    assert str(own_case.pk) in {str(pk) for pk in listed_cases}


def test_the_line_closes_itself_when_the_handler_has_seen_the_case_page(
    world, own_case, answered_late, login
):
    handler = login(world.members[Role.PROFESSIONAL])
    assert LINES_TITLE in work_list(handler)
    assert NOTE in text(handler.get(url("cases:case", case_id=own_case.pk)))
    assert LINES_TITLE not in work_list(handler)
    answered_late.refresh_from_db()
    assert answered_late.late_read_by == world.members[Role.PROFESSIONAL].user
    # The answer stays on the case page.
    assert NOTE in text(handler.get(url("cases:case", case_id=own_case.pk)))


def test_a_colleague_or_the_officer_reading_the_case_does_not_close_the_handlers_line(
    world, own_case, answered_late, login
):
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    officer = world.members[Role.AANDACHTSFUNCTIONARIS]
    assert LINES_TITLE not in work_list(login(colleague))  # not their case
    assert LINES_TITLE in work_list(login(officer))  # the organisation's lines
    for reader in (colleague, officer):
        assert login(reader).get(url("cases:case", case_id=own_case.pk)).status_code == 200
    assert LINES_TITLE in work_list(login(world.members[Role.PROFESSIONAL]))


def test_the_line_can_be_marked_read_and_that_is_logged(world, own_case, answered_late, login):
    handler = login(world.members[Role.PROFESSIONAL])
    mark = url("cases:late_read", case_id=own_case.pk)
    refused = handler.post(mark, {})
    assert refused.status_code == 400 and LINES_TITLE in text(refused)
    response = handler.post(mark, {"gelezen": "1"})
    assert response.status_code == 302 and response["Location"] == url("cases:work_list")
    assert LINES_TITLE not in work_list(handler)
    entry = AccessLogEntry.objects.filter(purpose="casus: laat antwoord gelezen").get()
    assert (entry.action, entry.person_id) == (Action.CHANGE, own_case.person_id)


def test_only_the_handler_or_officer_marks_and_another_organisation_gets_404(
    world, own_case, answered_late, login
):
    mark = url("cases:late_read", case_id=own_case.pk)
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    assert login(colleague).post(mark, {"gelezen": "1"}).status_code == 403
    assert login(world.other_professional).post(mark, {"gelezen": "1"}).status_code == 404
    answered_late.refresh_from_db()
    assert answered_late.late_read_at is None
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    assert officer.post(mark, {"gelezen": "1"}).status_code == 302
    assert LINES_TITLE not in work_list(login(world.members[Role.PROFESSIONAL]))


def test_another_organisations_late_answer_is_not_on_the_list(
    world, own_case, other_case, answered_late, login
):
    other = factories.actor(world.other_professional)
    step = referrals.take_step(other, other_case, "refer", data("refer", on=timezone.localdate()))
    walk(other, other_case, "close", on=timezone.localdate())
    other_link = CaseReferral.objects.get(step=step)
    far_zc = factories.actor(
        factories.membership(Role.ZORGCOORDINATOR, region=other_case.organisation.region)
    )
    referrals.answer(far_zc, other_link.pk, "advice_given", "Andermans antwoord")
    for role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
        listed = work_list(login(world.members[role]))
        assert f"Casus {own_case.pk}" in listed
        assert f"Casus {other_case.pk}" not in listed
        assert world.other_person.pseudonym not in listed and "Andermans antwoord" not in listed
    other_list = work_list(login(world.other_professional))
    assert f"Casus {other_case.pk}" in other_list and f"Casus {own_case.pk}" not in other_list


def test_marking_an_answer_read_twice_is_no_error(world, own_case, answered_late, login):
    handler = login(world.members[Role.PROFESSIONAL])
    mark = url("cases:late_read", case_id=own_case.pk)
    assert handler.post(mark, {"gelezen": "1"}).status_code == 302
    for posted in ({"gelezen": "1"}, {}):  # a second click; a stale tab's form
        again = handler.post(mark, posted)
        assert again.status_code == 302 and again["Location"] == url("cases:work_list")
        assert "Al gelezen" in text(handler.get(again["Location"]))
    # Read on the case page first, then the work list's button: the same.
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    assert officer.post(mark, {"gelezen": "1"}).status_code == 302


def test_the_badge_of_an_open_case_clears_once_the_handler_has_read_the_answer(
    world, own_case, answered_late, login
):
    badge = "laat antwoord van de zorgcoördinator "
    walk(world.actor(Role.PROFESSIONAL), own_case, "reopen", on=timezone.localdate())
    handler = login(world.members[Role.PROFESSIONAL])
    assert badge in work_list(handler)
    assert handler.post(url("cases:late_read", case_id=own_case.pk), {"gelezen": "1"})
    assert badge not in work_list(handler)
    assert NOTE in text(handler.get(url("cases:case", case_id=own_case.pk)))  # still there


def test_the_zorgcoordinator_is_told_a_closed_case_is_closed(world, own_case, login):
    link = refer(world, own_case)
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator, url("cases:referral_answer", link_id=link.pk), answer="taken_up", note=NOTE
    )
    followed = text(coordinator.get(response["Location"]))
    assert "verwijzende organisatie" in followed and "doorverwijzende" not in followed
    assert "Hun casus is inmiddels gesloten" in followed
    assert "verder gegaan" not in followed


def test_reopening_after_a_late_answer_takes_it_in_and_does_not_wait(
    world, own_case, answered_late
):
    """The page's reopening (referrals.take_step) carries the answer given while the case
    was closed: the reopened case does not wait for it, and the reopen step names it."""
    actor = world.actor(Role.PROFESSIONAL)
    referrals.take_step(actor, own_case, "reopen", data("reopen", on=timezone.localdate()))
    own_case.refresh_from_db()
    assert own_case.next_action not in ("referral_answered", "")
    reopen = own_case.steps.order_by("number").last()
    assert (reopen.transition, reopen.fields["referral_answer"]) == ("reopen", "taken_up")


def test_reopening_with_the_referral_unanswered_waits_for_it(world, own_case):
    refer(world, own_case)
    actor = world.actor(Role.PROFESSIONAL)
    walk(actor, own_case, "close", on=timezone.localdate())
    referrals.take_step(actor, own_case, "reopen", data("reopen", on=timezone.localdate()))
    own_case.refresh_from_db()
    assert own_case.next_action == "referral_answered"
    assert "referral_answer" not in own_case.steps.order_by("number").last().fields
