"""Who works on a case (lens.access.policy_cases.may_work_on): its handler and the
aandachtsfunctionaris take its steps and hand it over; another professional of the same
organisation may read it (403 for the step and hand-over forms, no buttons on the case
page); another organisation's professional gets 404. And the next action a page shows is
always a step the case's state allows (lens.casework.workflow.next_step)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lens.cases import actions
from lens.casework.workflow import allowed_transitions
from lens.data.cases import Step
from lens.data.registry import Role
from lens.web import submissions
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import data

pytestmark = pytest.mark.django_db

MAY_READ_ONLY = "U kunt deze casus lezen."


def post(client, path, **fields):
    return client.post(path, {submissions.FORM_FIELD: submissions.new_key(), **fields})


def step_post(client, case):
    return post(
        client,
        url("cases:step", case_id=case.pk, transition="map_signals"),
        on=timezone.localdate().isoformat(),
        done="Signalen op een rij gezet",
    )


@pytest.fixture
def colleague(world):
    """A second professional of the own organisation, not the case's handler."""
    return factories.membership(Role.PROFESSIONAL, world.own)


def test_the_handler_works_on_the_case(world, login, own_case):
    client = login(world.members[Role.PROFESSIONAL])
    page = text(client.get(url("cases:case", case_id=own_case.pk)))
    assert "Volgende stap" in page and "Overdragen" in page and MAY_READ_ONLY not in page
    assert client.get(url("cases:hand_over", case_id=own_case.pk)).status_code == 200
    assert (
        client.get(url("cases:step", case_id=own_case.pk, transition="map_signals")).status_code
        == 200
    )
    assert step_post(client, own_case).status_code == 302


def test_the_officer_works_on_any_case_of_the_organisation(world, login, own_case):
    client = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    page = text(client.get(url("cases:case", case_id=own_case.pk)))
    assert "Volgende stap" in page and "Overdragen" in page
    assert client.get(url("cases:hand_over", case_id=own_case.pk)).status_code == 200
    assert step_post(client, own_case).status_code == 302


def test_a_colleague_who_is_not_the_handler_may_read_only(world, login, own_case, colleague):
    steps = Step.objects.count()
    client = login(colleague)
    page = client.get(url("cases:case", case_id=own_case.pk))
    assert page.status_code == 200
    assert MAY_READ_ONLY in text(page) and "Volgende stap" not in text(page)
    assert url("cases:hand_over", case_id=own_case.pk) not in page.content.decode()
    assert client.get(url("cases:hand_over", case_id=own_case.pk)).status_code == 403
    step_form = url("cases:step", case_id=own_case.pk, transition="map_signals")
    assert client.get(step_form).status_code == 403
    assert step_post(client, own_case).status_code == 403
    to_self = post(client, url("cases:hand_over", case_id=own_case.pk), to=colleague.user_id)
    assert to_self.status_code == 403
    actor = factories.actor(colleague)
    with pytest.raises(PermissionDenied):
        actions.take_step(actor, own_case, "map_signals", data("map_signals"))
    with pytest.raises(PermissionDenied):
        actions.hand_over(actor, own_case, colleague.user_id, seen_handler=own_case.assigned_to_id)
    own_case.refresh_from_db()
    assert Step.objects.count() == steps
    assert own_case.assigned_to_id == world.members[Role.PROFESSIONAL].user_id


def test_once_handed_over_the_new_handler_works_and_the_former_reads(
    world, login, own_case, colleague
):
    actions.hand_over(
        world.actor(Role.PROFESSIONAL),
        own_case,
        colleague.user_id,
        seen_handler=own_case.assigned_to_id,
    )
    former = world.actor(Role.PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        actions.take_step(former, own_case, "map_signals", data("map_signals"))
    actions.take_step(factories.actor(colleague), own_case, "map_signals", data("map_signals"))


def test_another_organisations_professional_gets_404(world, login, own_case):
    client = login(world.other_professional)
    assert client.get(url("cases:case", case_id=own_case.pk)).status_code == 404
    assert client.get(url("cases:hand_over", case_id=own_case.pk)).status_code == 404
    assert step_post(client, own_case).status_code == 404


def test_the_work_list_shows_a_next_action_the_state_allows(world, login, own_case):
    """Right after opening, consulting is due but not yet possible (the signals are mapped
    first): the list says "Signalen in kaart brengen", never "Overleggen"."""
    assert own_case.state == "opened"
    assert own_case.next_action in allowed_transitions(own_case.state)
    client = login(world.members[Role.PROFESSIONAL])
    listed = text(client.get(url("cases:work_list")))
    assert "Signalen in kaart brengen" in listed and "Overleggen" not in listed
    page = text(client.get(url("cases:case", case_id=own_case.pk)))
    assert "Volgende actie Signalen in kaart brengen" in page


def test_an_idle_open_case_is_marked_for_review_on_the_work_list(world, login, own_case):
    """README "Retention": an open case idle past RETENTION_OPEN_CASE_IDLE_DAYS is marked
    for the organisation to review (the aandachtsfunctionaris sees every case)."""
    from datetime import timedelta

    from lens.data.cases import Case

    client = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    badge = "meer dan 180 dagen stil: beoordelen"
    assert badge not in text(client.get(url("cases:work_list")))
    Case.objects.filter(pk=own_case.pk).update(updated_at=timezone.now() - timedelta(days=181))
    assert badge in text(client.get(url("cases:work_list")))


def test_a_colleague_is_told_why_with_a_link_back_to_the_case(world, login, own_case, colleague):
    client = login(colleague)
    handler = world.members[Role.PROFESSIONAL].user
    for response in (
        client.get(url("cases:step", case_id=own_case.pk, transition="map_signals")),
        step_post(client, own_case),
        client.get(url("cases:hand_over", case_id=own_case.pk)),
    ):
        assert response.status_code == 403
        page = text(response)
        assert "Alleen de behandelaar kan dit doen" in page
        assert "alleen de behandelaar of de aandachtsfunctionaris" in page
        assert f"behandeld door {handler.get_full_name() or handler.username}" in page
        assert "over te dragen" in page  # how to take the case over
        assert f'href="{url("cases:case", case_id=own_case.pk)}"' in response.content.decode()


def test_the_identity_report_is_need_to_know(world, login, own_case, colleague):
    """Only the handler and the aandachtsfunctionaris open the report with the identity;
    a colleague reads the pseudonymous one, is offered no identity form, and is refused
    (nothing revealed, nothing logged as a reveal)."""
    from lens.access.models import AccessLogEntry

    report = url("cases:report", case_id=own_case.pk)
    client = login(colleague)
    page = client.get(url("cases:case", case_id=own_case.pk)).content.decode()
    assert "Het casusrapport met de identiteit" not in page
    assert client.get(report).status_code == 200  # the pseudonymous report
    refused = client.post(report, {"purpose": "dossier Veilig Thuis"})
    assert refused.status_code == 403 and "Alleen de behandelaar" in text(refused)
    assert not AccessLogEntry.objects.filter(action="reveal").exists()
    for member in (world.members[Role.PROFESSIONAL], world.members[Role.AANDACHTSFUNCTIONARIS]):
        client = login(member)
        page = client.get(url("cases:case", case_id=own_case.pk)).content.decode()
        assert "Het casusrapport met de identiteit" in page
        response = client.post(report, {"purpose": "dossier Veilig Thuis"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
