"""Defects an outside probe found in the casework, each through the real URLconf: the
page answers in Dutch with status 400 and writes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.data.cases import CaseReferral, Step
from lens.data.registry import Role
from lens.web import submissions
from tests.registry.test_views import text, url

from .test_referral_answers import refer

pytestmark = pytest.mark.django_db

# Texts that show nothing: a Hangul filler, Braille blanks, combining marks alone,
# zero-width joiners, the object replacement character, private-use characters.
SHOWS_NOTHING = ("\u3164", "\u2800\u2800", "\u0301\u0308", "\u200d\u200c", "\ufffc", "\ue000")


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_a_step_whose_text_shows_nothing_is_refused(world, login, own_case, blank):
    professional = login(world.members[Role.PROFESSIONAL])
    steps = Step.objects.count()
    response = post(
        professional,
        url("cases:step", case_id=own_case.pk, transition="map_signals"),
        on=today(),
        done=blank,
    )
    assert response.status_code == 400
    assert "Deze tekst laat niets zien" in text(response)
    assert Step.objects.count() == steps


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_a_coordinators_note_that_shows_nothing_is_refused(world, login, own_case, blank):
    link = refer(world, own_case)
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    response = post(
        coordinator, url("cases:referral_answer", link_id=link.pk), answer="taken_up", note=blank
    )
    assert response.status_code == 400
    assert "Deze tekst laat niets zien" in text(response)
    link.refresh_from_db()
    assert link.answered_at is None
    assert not Step.objects.filter(case=own_case, transition="referral_answered").exists()
    assert CaseReferral.objects.get(pk=link.pk).answer == ""
