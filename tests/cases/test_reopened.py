"""A reopened case (the outside probe of the meldcode casework): the decision of the
weighing before it was closed is no longer current (the page and the report show it only
in the history, as an earlier decision with its date), and a referral still waiting for
the zorgcoördinator's answer is the next action again, as before the case was closed."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from lens.cases import referrals
from lens.data.registry import Role
from tests import pdf_reading
from tests.registry.test_views import text, url

from .conftest import data, walk

pytestmark = pytest.mark.django_db

DECISION = "Organiseer hulp en volg die"  # the walked weighing's (HELP_ONLY) decision
CURRENT = f"Besluit {DECISION}"  # the decision shown as current


@pytest.fixture
def reopened(world, own_case, login):
    """The own case weighed (organise help), closed, and reopened."""
    actor = world.actor(Role.PROFESSIONAL)
    walk(actor, own_case, "map_signals", "consult", "converse", "weigh")
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=own_case.pk)))
    assert CURRENT in page  # the decision is current before closing
    return walk(actor, own_case, "close", "reopen")


def test_the_case_page_shows_no_current_decision_after_reopening(world, reopened, login):
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=reopened.pk)))
    assert CURRENT not in page
    assert "de casus is heropend en wordt opnieuw gewogen" in page
    weighed_on = reopened.steps.get(transition="weigh").on
    page = page.replace("( ", "(").replace(" )", ")")  # the date is a span of its own
    with translation.override("nl"):
        shown = date_format(weighed_on, "j F Y")
    assert f"Eerdere beslissing ({shown}): {DECISION}" in page


def test_the_report_shows_the_earlier_decision_in_the_history_only(
    world, reopened, login, tmp_path
):
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", case_id=reopened.pk))
    assert response.status_code == 200
    report = " ".join(pdf_reading.text(pdf_reading.write(response.content, tmp_path)).split())
    decision = report.split("Besluit")[-1]  # the report's last section: the decision
    assert DECISION not in decision and "heropend en wordt opnieuw gewogen" in decision
    assert "Eerdere beslissing" in report and DECISION in report.split("Besluit")[0]
    # The weighing is on record, marked as one from before the reopening.
    assert "van voor de heropening van de casus" in report and "de laatste" not in report


def test_a_reopened_case_waits_for_the_open_referrals_answer_like_one_never_closed(
    world, own_case, other_case, login
):
    professional = world.actor(Role.PROFESSIONAL)
    today = timezone.localdate()
    referrals.take_step(professional, own_case, "refer", data("refer", on=today))
    own_case.refresh_from_db()
    waiting = own_case.next_action
    assert waiting == "referral_answered"
    walk(professional, own_case, "close", "reopen", on=today)
    assert own_case.next_action == waiting
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=own_case.pk)))
    assert "Wacht op het antwoord van de zorgcoördinator" in page
    assert "Geen antwoord op tijd?" in page  # whom to call, as for a case never closed
