"""The case's history beyond its steps: hand-overs (a HandOver row written by the
hand-over action, shown on the case page, in the case report and in the access-request
export), and in the case report the zorgcoördinator's late answers, the withdrawn
registrations (by date and reason, never their signals) and the outcome level at each
step."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lens.cases import actions, referrals
from lens.catalogue import services
from lens.data.cases import AppendOnly, HandOver
from lens.data.registry import Role
from lens.registry.actions.registrations import withdraw_registration
from lens.retention import access_request
from lens.web.templatetags.lens_format import user_name
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import walk
from .test_documents import pdf_text
from .test_documents import url as document_url
from .test_late_answers import NOTE, refer

pytestmark = pytest.mark.django_db

REASON = "Synthetisch: dubbel geregistreerd, bij de verkeerde persoon"


@pytest.fixture
def colleague(world):
    return factories.membership(Role.PROFESSIONAL, world.own)


def hand_over(world, case, colleague) -> HandOver:
    actions.hand_over(
        world.actor(Role.PROFESSIONAL), case, colleague.user_id, seen_handler=case.assigned_to_id
    )
    return HandOver.objects.get(case=case)


def test_a_hand_over_is_recorded_with_the_case(world, own_case, colleague):
    handler = world.members[Role.PROFESSIONAL].user
    record = hand_over(world, own_case, colleague)
    assert (record.from_user, record.to_user, record.by) == (handler, colleague.user, handler)
    assert record.at is not None
    with pytest.raises(AppendOnly):
        record.save()


def test_a_refused_hand_over_records_nothing(world, own_case):
    stranger = world.other_professional.user_id  # not a colleague
    with pytest.raises(ValidationError):
        actions.hand_over(
            world.actor(Role.PROFESSIONAL), own_case, stranger, seen_handler=own_case.assigned_to_id
        )
    assert not HandOver.objects.exists()


def test_the_case_page_shows_the_hand_over(world, own_case, colleague, login):
    hand_over(world, own_case, colleague)
    body = text(login(colleague).get(url("cases:case", case_id=own_case.pk)))
    assert "Overdrachten" in body
    handler = user_name(world.members[Role.PROFESSIONAL].user)
    expected = f"overgedragen van {handler} aan {user_name(colleague.user)} door {handler}"
    assert expected in body


def report_text(world, case, login, tmp_path) -> str:
    response = login(world.members[Role.PROFESSIONAL]).get(document_url("cases:report", case))
    return pdf_text(response, tmp_path)[0]


def test_the_report_shows_the_late_answers(world, own_case, login, tmp_path):
    link = refer(world, own_case)
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    referrals.answer(world.actor(Role.ZORGCOORDINATOR), link.pk, "taken_up", NOTE)
    report = report_text(world, own_case, login, tmp_path)
    assert "Late antwoorden van de zorgcoördinator" in report
    assert NOTE in report
    assert "Overdrachten" not in report  # not handed over


def test_the_report_names_withdrawn_registrations_without_their_signals(
    world, own_case, login, tmp_path
):
    catalogue, _ruleset = services.active()
    signal = next(c for c in catalogue.signals if c not in world.own_registration.signals)
    withdrawn = factories.registration(world.actor(Role.PROFESSIONAL), world.own_person, [signal])
    withdraw_registration(world.actor(Role.PROFESSIONAL), withdrawn, REASON)
    report = report_text(world, own_case, login, tmp_path)
    assert "Ingetrokken registraties" in report and REASON in report
    assert catalogue.signals[signal].label.nl not in report
    assert "Late antwoorden" not in report  # none


def test_the_report_shows_the_outcome_level_at_each_step(world, own_case, login, tmp_path):
    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals")
    levels = set(own_case.steps.values_list("level", flat=True))
    assert levels and None not in levels
    report = report_text(world, own_case, login, tmp_path)
    assert report.count("Uitkomst bij het vastleggen: niveau") == own_case.steps.count() == 2
    for level in levels:
        assert f"Uitkomst bij het vastleggen: niveau {level}" in report


def test_the_report_shows_the_hand_over(world, own_case, colleague, login, tmp_path):
    hand_over(world, own_case, colleague)
    response = login(colleague).get(document_url("cases:report", own_case))
    report, _path = pdf_text(response, tmp_path)
    assert "Overdrachten" in report
    assert user_name(colleague.user) in report


def test_the_access_request_export_holds_the_hand_over(world, own_case, colleague):
    record = hand_over(world, own_case, colleague)
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    document = access_request.export(officer, world.own_person, "Verzoek 21", identity=False)
    [case] = document["cases"]
    [row] = case["hand_overs"]
    # Staff by role and organisation, never by user name (format version 2).
    staff = {"role": Role.PROFESSIONAL, "organisation": world.own.name}
    assert row["from_user"] == row["to_user"] == row["by"] == staff
    assert row["id"] == record.pk and row["at"]


def test_retention_deletes_the_hand_overs_with_the_case(world, own_case, colleague):
    from django.db import transaction

    from lens.retention import erase
    from lens.retention.models import Tombstone

    record = hand_over(world, own_case, colleague)
    with transaction.atomic():
        done = erase.delete_persons([world.own_person], "test")
    assert done["case_hand_over"] == 1 and done["case"] == 1
    assert not HandOver.objects.filter(pk=record.pk).exists()
    assert Tombstone.objects.filter(kind="case_hand_over", record_id=record.pk).exists()


def test_the_readable_access_request_names_the_hand_over(world, own_case, colleague, login):
    from tests.retention.test_access_request import post as form_post
    from tests.retention.test_access_request import url as retention_url

    hand_over(world, own_case, colleague)
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = form_post(
        officer,
        retention_url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="Verzoek 22",
        format="html",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Overdrachten" in body and "Overgedragen aan" in body
    assert f"Professional bij {world.own.name}" in body
    assert colleague.user.get_username() not in body
