"""The zorgcoördinator's answer to a case referral, through the real URLconf: recorded
only by the zorgcoördinator (never by the case's own organisation), always shown on the
case, its form logged whenever it shows the referral, and a second answer told so."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.cases import referrals
from lens.data.cases import CaseReferral, Step
from lens.data.registry import Role
from lens.web import submissions
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.registry.test_views import text, url

from .conftest import data, open_for, walk

pytestmark = pytest.mark.django_db


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def refer(world, case) -> CaseReferral:
    walk(world.actor(Role.PROFESSIONAL), case, "map_signals", on=timezone.localdate())
    step = referrals.take_step(
        world.actor(Role.PROFESSIONAL),
        case,
        "refer",
        data("refer", on=timezone.localdate(), done="Zorgen over uitbuiting, graag meekijken"),
    )
    return CaseReferral.objects.get(step=step)


@pytest.fixture
def referred(world, own_case):
    return own_case, refer(world, own_case)


def test_the_own_organisation_cannot_record_the_coordinators_answer(world, referred, login):
    case, link = referred
    professional = login(world.members[Role.PROFESSIONAL])
    step_url = url("cases:step", case_id=case.pk, transition="referral_answered")
    page = text(professional.get(url("cases:case", case_id=case.pk)))
    assert "De zorgcoördinator heeft geantwoord" not in page  # not offered
    assert step_url not in professional.get(url("cases:case", case_id=case.pk)).content.decode()
    assert professional.get(step_url).status_code == 302  # back to the case
    steps = Step.objects.filter(case=case).count()
    response = post(
        professional,
        step_url,
        on=timezone.localdate().isoformat(),
        done="Zelf ingevuld",
        referral_answer="handed_to_veilig_thuis",
    )
    assert response.status_code == 302  # not offered: back to the case, as the GET
    shown = text(professional.get(response["Location"]))
    assert "De zorgcoördinator legt het antwoord zelf vast" in shown
    assert Step.objects.filter(case=case).count() == steps
    # The referral still waits; the real answer comes back into the case with its note.
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator,
        url("cases:referral_answer", link_id=link.pk),
        answer="advice_given",
        note="Bespreek het in het zorgoverleg",
    )
    assert response.status_code == 302
    assert Step.objects.filter(case=case, transition="referral_answered").count() == 1
    professional = login(world.members[Role.PROFESSIONAL])
    page = text(professional.get(url("cases:case", case_id=case.pk)))
    assert "Advies gegeven" in page and "Bespreek het in het zorgoverleg" in page
    # The zorgcoördinator's note is an explanation, not what the organisation did.
    assert "Toelichting: Bespreek het in het zorgoverleg" in page
    assert "Wat is er gedaan: Bespreek het in het zorgoverleg" not in page


def test_an_answer_after_the_case_was_closed_shows_on_the_case(world, referred, login):
    case, link = referred
    walk(world.actor(Role.PROFESSIONAL), case, "close", on=timezone.localdate())
    steps = Step.objects.filter(case=case).count()
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator,
        url("cases:referral_answer", link_id=link.pk),
        answer="advice_given",
        note="Neem contact op met het wijkteam",
    )
    assert response.status_code == 302
    assert Step.objects.filter(case=case).count() == steps  # kept on the referral
    professional = login(world.members[Role.PROFESSIONAL])
    page = text(professional.get(url("cases:case", case_id=case.pk)))
    assert "Late antwoorden van de zorgcoördinator" in page  # (selectors.late_answers)
    assert "Advies gegeven" in page and "Neem contact op met het wijkteam" in page


def test_the_answer_form_shown_again_after_a_refused_answer_is_logged(world, referred, login):
    _case, link = referred
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    answer_url = url("cases:referral_answer", link_id=link.pk)
    before = AccessLogEntry.objects.count()
    response = coordinator.post(answer_url, {"answer": "bogus"})
    assert response.status_code == 400
    assert "Zorgen over uitbuiting" in text(response)  # the referral's reason is shown
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("pk").last()
    assert entry.person_id == world.own_person.pk
    assert entry.user_id == world.members[Role.ZORGCOORDINATOR].user.pk
    assert entry.purpose == "formulier: antwoord op doorverwijzing"


def test_an_answer_with_invisible_characters_is_refused_not_kept_as_late(world, referred, login):
    """The note becomes the case's step: the step's rule on invisible characters holds for
    it, said at the field (before, the workflow refused the step and the answer was kept
    as a late one, the case waiting on: an outside probe found it)."""
    case, link = referred
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    answer_url = url("cases:referral_answer", link_id=link.pk)
    response = post(coordinator, answer_url, answer="taken_up", note="Opgepakt \u202eVT")
    assert response.status_code == 400
    assert "onzichtbare" in text(response)
    link.refresh_from_db()
    assert link.answered_at is None
    response = post(coordinator, answer_url, answer="taken_up", note="Opgepakt door VT")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.answer_step is not None and not link.is_late
    case.refresh_from_db()
    assert case.next_action != "referral_answered"


def test_a_second_answer_is_told_it_was_answered_already(world, referred, login):
    _case, link = referred
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    answer_url = url("cases:referral_answer", link_id=link.pk)
    first = coordinator.post(answer_url, {"answer": "taken_up"})
    assert first.status_code == 302
    second = coordinator.post(answer_url, {"answer": "taken_up"}, follow=True)
    assert second.redirect_chain[-1] == (url("cases:referrals"), 302)
    assert "Deze doorverwijzing is al beantwoord." in text(second)
    link.refresh_from_db()
    assert link.answer == "taken_up"
    assert CaseReferral.objects.filter(answered_at__isnull=False).count() == 1


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_two_answers_at_once_answer_once_and_tell_the_other(world):
    professional = world.actor(Role.PROFESSIONAL)
    coordinator = world.actor(Role.ZORGCOORDINATOR)
    link = refer(world, open_for(professional, world.own_person, on=timezone.localdate()))
    results = at_once(
        lambda: referrals.answer(coordinator, link.pk, "taken_up", ""),
        lambda: referrals.answer(coordinator, link.pk, "taken_up", ""),
    )
    answered = [r for r in results if isinstance(r, CaseReferral)]
    told = [r for r in results if isinstance(r, referrals.AlreadyAnswered)]
    assert len(answered) == len(told) == 1, results
    assert Step.objects.filter(transition="referral_answered").count() == 1


def test_the_coordinators_list_shows_the_date_of_the_refer_step(world, login):
    """The outside probe: the list said "Doorverwezen op" the day the step was entered,
    not the step's own date, so a referral of weeks ago looked new."""
    from datetime import timedelta

    from django.urls import reverse

    from .conftest import open_for

    earlier = timezone.localdate() - timedelta(days=20)
    case = open_for(world.actor(Role.PROFESSIONAL), world.own_person, on=earlier)
    walk(world.actor(Role.PROFESSIONAL), case, "map_signals", on=earlier)
    referrals.take_step(
        world.actor(Role.PROFESSIONAL),
        case,
        "refer",
        data("refer", on=earlier, done="Zorgen over uitbuiting, graag meekijken"),
    )
    page = login(world.members[Role.ZORGCOORDINATOR]).get(reverse("cases:referrals"))
    html = page.content.decode()
    assert page.status_code == 200
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
    shown = f"{earlier.day} {months[earlier.month - 1]} {earlier.year}"
    assert shown in html
