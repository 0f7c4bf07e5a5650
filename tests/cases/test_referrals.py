"""Referral to the zorgcoördinator as a step of the case, and the zorgcoördinator's
answer coming back into the case as its step, on the case page, access-logged."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.cases import referrals
from lens.data.cases import CaseReferral, Step
from lens.data.coordination import Referral, WorkItem, WorkKind
from lens.data.registry import Role
from lens.web import submissions
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import data, walk

pytestmark = pytest.mark.django_db


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


@pytest.fixture
def referred(world, own_case):
    """The own case, signals mapped, referred through the case's step form."""
    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals")
    step = referrals.take_step(
        world.actor(Role.PROFESSIONAL),
        own_case,
        "refer",
        data("refer", on=timezone.localdate(), done="Zorgen over uitbuiting, graag meekijken"),
    )
    return own_case, CaseReferral.objects.get(step=step)


def test_the_refer_step_through_the_form_refers_to_the_care_coordinator(world, own_case, login):
    client = login(world.members[Role.PROFESSIONAL])
    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals")
    response = post(
        client,
        url("cases:step", case_id=own_case.pk, transition="refer"),
        on=timezone.localdate().isoformat(),
        done="Doorverwezen: zorgen over uitbuiting",
        organisation="Zorgcoördinator mensenhandel",
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person == world.own_person and "zorgen over uitbuiting" in referral.reason
    link = CaseReferral.objects.get()
    assert link.case == own_case and link.step.transition == "refer"
    assert WorkItem.objects.filter(kind=WorkKind.REFERRAL, person=world.own_person).exists()
    purposes = set(AccessLogEntry.objects.values_list("purpose", flat=True))
    assert "casus: doorverwijzing naar de zorgcoördinator" in purposes  # the step
    assert AccessLogEntry.objects.filter(object_type="referral").count() == 1


def test_a_refused_refer_step_makes_no_referral(world, referred):
    case, _link = referred
    with pytest.raises(ValidationError):  # a referral is open already
        referrals.take_step(world.actor(Role.PROFESSIONAL), case, "refer", data("refer"))
    assert Referral.objects.count() == 1


def test_the_answer_comes_back_into_the_case_as_a_step(world, referred, login):
    case, link = referred
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    waiting = text(coordinator.get(url("cases:referrals")))
    assert world.own_person.pseudonym in waiting
    before = AccessLogEntry.objects.count()
    response = post(
        coordinator,
        url("cases:referral_answer", link_id=link.pk),
        answer="advice_given",
        note="Advies: bespreek het in het zorgoverleg",
    )
    assert response.status_code == 302
    step = Step.objects.filter(case=case).order_by("number").last()
    assert step.transition == "referral_answered"
    assert step.fields["referral_answer"] == "advice_given"
    assert step.by == world.members[Role.ZORGCOORDINATOR].user
    case.refresh_from_db()
    # The period proposes weighing; shown is always a step the state allows (the meldcode
    # step before it while weighing cannot be taken yet).
    from lens.casework import workflow

    assert case.next_action in workflow.allowed_transitions(case.state)
    assert case.next_action not in ("open", "reopen", "")
    entry = AccessLogEntry.objects.order_by("pk").last()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.purpose == "casus: antwoord van de zorgcoördinator"
    assert entry.user_id == world.members[Role.ZORGCOORDINATOR].user.pk
    # The professional sees it on the case page; the list no longer offers it.
    assert world.own_person.pseudonym not in text(coordinator.get(url("cases:referrals")))
    professional = login(world.members[Role.PROFESSIONAL])
    page = text(professional.get(url("cases:case", case_id=case.pk)))
    assert "Advies gegeven" in page and "bespreek het in het zorgoverleg" in page


def test_an_answer_after_the_case_went_on_is_kept_on_the_referral(world, referred):
    case, link = referred
    # Closed before the zorgcoördinator answers in the application.
    walk(world.actor(Role.PROFESSIONAL), case, "close", on=timezone.localdate())
    steps = Step.objects.filter(case=case).count()
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "taken_up", "")
    link.refresh_from_db()
    assert link.answer == "taken_up" and link.answered_at is not None
    assert Step.objects.filter(case=case).count() == steps
    assert AccessLogEntry.objects.order_by("pk").last().purpose == referrals.PURPOSE_ANSWER


def test_an_answer_is_given_once_and_only_with_a_known_code(world, referred):
    _case, link = referred
    coordinator = world.actor(Role.ZORGCOORDINATOR)
    with pytest.raises(ValidationError):
        referrals.answer(coordinator, link.pk, "something_else", "")
    referrals.answer(coordinator, link.pk, "handed_to_veilig_thuis", "")
    with pytest.raises(referrals.AlreadyAnswered):
        referrals.answer(coordinator, link.pk, "taken_up", "")


def test_a_care_coordinator_of_another_region_cannot_answer(world, referred):
    _case, link = referred
    elsewhere = factories.actor(factories.membership(Role.ZORGCOORDINATOR, region="elders"))
    with pytest.raises(Http404):
        referrals.answer(elsewhere, link.pk, "taken_up", "")
    assert not referrals.waiting(elsewhere).exists()


def test_while_the_answer_is_awaited_the_case_says_wait_or_call_with_the_number(
    world, referred, login
):
    """The next action is what the professional can do: wait for the answer (the
    zorgcoördinator records it), or call the zorgcoördinator, whose number is given."""
    case, _link = referred
    client = login(world.members[Role.PROFESSIONAL])
    page = text(client.get(url("cases:case", case_id=case.pk)))
    assert "Wacht op het antwoord van de zorgcoördinator" in page
    assert "Vraag de zorgcoördinator om een antwoord" not in page
    assert "Geen antwoord op tijd?" in page
    assert "Bel Zorgcoördinator mensenhandel Midden-Brabant: 013 549 8430" in page
    response = client.get("/en" + url("cases:case", case_id=case.pk))
    english = html.unescape(text(response))
    assert "Wait for the care coordinator's answer" in english
    assert "Call Trafficking care coordinator Midden-Brabant: 013 549 8430" in english
    assert 'href="tel:0135498430"' in response.content.decode()
    # On the work list the same words, without the number.
    work = text(client.get(url("cases:work_list")))
    assert "Wacht op het antwoord van de zorgcoördinator" in work


def test_once_answered_the_case_no_longer_says_to_wait(world, referred, login):
    case, link = referred
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "advice_given", "")
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=case.pk)))
    assert "Wacht op het antwoord" not in page and "Geen antwoord op tijd?" not in page
