"""The daily e-mail of the work list (`lens cases remind`): counts of due and overdue
cases per handler, no person data, a link to "Mijn werkvoorraad"; the task does the same."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from lens.cases import reminders
from lens.data.cases import Case
from lens.data.registry import Role
from tests.registry import factories

from .conftest import open_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_cases(world):
    """The professional handles two cases: one due today, one overdue; and one case of
    the organisation handled by a colleague without e-mail, overdue."""
    pro = world.members[Role.PROFESSIONAL]
    officer = world.members[Role.AANDACHTSFUNCTIONARIS]
    pro.user.email = "pro@example.org"
    pro.user.save()
    officer.user.email = "afu@example.org"
    officer.user.save()
    today = timezone.localdate()
    actor = world.actor(Role.PROFESSIONAL)
    second = factories.person(actor)
    third = factories.person(actor)
    cases = [open_for(actor, p) for p in (world.own_person, second, third)]
    Case.objects.filter(pk=cases[0].pk).update(next_due=today)
    Case.objects.filter(pk=cases[1].pk).update(next_due=today - timedelta(days=3))
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    Case.objects.filter(pk=cases[2].pk).update(
        next_due=today - timedelta(days=1), assigned_to=colleague.user
    )
    return cases


def test_one_mail_per_handler_with_counts_and_no_person_data(world, due_cases):
    call_command("cases", "remind", stdout=StringIO())
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"pro@example.org", "afu@example.org"}
    body = sent["pro@example.org"].body
    assert "vandaag te doen: 1" in body and "te laat: 1" in body
    assert "/casussen/" in body and "bewust geen gegevens over personen" in body
    officer = sent["afu@example.org"].body
    # The officer handles none, and sees the organisation's counts: 1 today, 2 overdue.
    assert "vandaag te doen: 0" in officer
    assert "In uw organisatie (Eigen Synthetische School)" in officer
    assert "vandaag te doen: 1\n- te laat: 2" in officer
    for message in mail.outbox:
        for case in due_cases:
            assert case.person.pseudonym not in message.body + message.subject


def test_dry_run_sends_nothing_and_lists_the_counts(world, due_cases):
    out = StringIO()
    call_command("cases", "remind", "--dry-run", stdout=out)
    assert mail.outbox == []
    user = world.members[Role.PROFESSIONAL].user.username
    # labelled, not "user: 1 / 1" (the outside probe could not tell what the numbers were)
    assert f"{user}: 1 vandaag te doen, 1 verlopen" in out.getvalue()


def test_nobody_without_due_cases_gets_mail(world, due_cases):
    Case.objects.update(next_due=timezone.localdate() + timedelta(days=1))
    call_command("cases", "remind", stdout=StringIO())
    assert mail.outbox == []


def test_closed_cases_and_inactive_handlers_are_left_out(world, due_cases):
    pro = world.members[Role.PROFESSIONAL]
    pro.is_active = False
    pro.save()
    assert [r.email for r in reminders.reminders()] == ["afu@example.org"]


def test_the_daily_task_sends_the_same(world, due_cases):
    result = reminders.send_reminders.enqueue()  # the test settings run tasks at once
    assert result.return_value == 2
    assert len(mail.outbox) == 2


def test_enqueue_from_the_command(due_cases):
    out = StringIO()
    call_command("cases", "remind", "--enqueue", stdout=out)
    assert len(mail.outbox) == 2  # immediate backend in the tests


def test_a_dry_run_is_never_enqueued(due_cases):
    """On the queue the dry run would be lost and the e-mails sent: refused, nothing sent."""
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("cases", "remind", "--dry-run", "--enqueue", stdout=StringIO())
    assert mail.outbox == []
