"""The retention run from the task worker: the task runs the same code as the command,
and `lens retention run --enqueue` puts it on the queue (run at once in the tests)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from lens.retention import rules
from lens.retention.models import Tombstone
from lens.retention.tasks import run_retention

pytestmark = pytest.mark.django_db


def old_login_record() -> AccessLog:
    old = AccessLog.objects.create(user_agent="x", ip_address="127.0.0.1", username="a")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))
    return old


def test_the_task_applies_the_retention_periods():
    old_login_record()
    new = AccessLog.objects.create(user_agent="x", ip_address="127.0.0.1", username="b")
    result = run_retention.enqueue()
    assert result.return_value == {"login": 1}
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new.pk]
    assert Tombstone.objects.get().rule == rules.LOGIN_RECORDS


def test_the_command_enqueues_the_task():
    old_login_record()
    out = io.StringIO()
    call_command("retention", "run", "--enqueue", stdout=out)
    assert not AccessLog.objects.exists()  # the tests' backend runs a task at once
    assert Tombstone.objects.count() == 1


def test_a_dry_run_is_never_enqueued():
    """On the queue the dry run would be lost and the records deleted: refused."""
    old_login_record()
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("retention", "run", "--dry-run", "--enqueue", stdout=io.StringIO())
    assert AccessLog.objects.exists() and not Tombstone.objects.exists()
