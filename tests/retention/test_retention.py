"""Retention (issue 13, section 5): `lens retention run` deletes by rule, leaves a tombstone
per record and an access-log entry per person, keeps the access log's chain whole, and
leaves nothing past its period. Everything is synthetic: made-up names, BSNs that pass the
elfproef only. Time is moved by giving the run a later `now`, never by sleeping.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, models
from django.utils import timezone

from lens.access import verify
from lens.access.models import AccessLogEntry
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind, AuditRecord
from lens.coordination import actions as coordination
from lens.data.coordination import ClusterMember, CombinedOutcome, PersonLink, PersonRelation
from lens.data.registry import Person, Registration
from lens.registry.actions import registrations
from lens.retention import erase, rules
from lens.retention.models import Tombstone
from lens.retention.run import run
from tests.coordination import linkworld
from tests.registry import conftest as registry
from tests.registry import factories

active = registry.active
catalogue_files = registry.catalogue_files
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db

DAYS = 730  # the default period (lens/settings.py RETENTION_INACTIVE_DAYS)


def later(days: int):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def pair(links_world):
    """The same made-up child at the school and at youth care, linked (exact match), each
    with a registration; the school's record also withdrawn once, informed, related."""
    school, youth, link = linkworld.pair(links_world, bsn_a="111222333", bsn_b="111222333")
    factories.registration(links_world.actor("school"), school)
    first = factories.registration(links_world.actor("school"), school)
    registrations.withdraw_registration(links_world.actor("school"), first, "per ongeluk")
    factories.registration(links_world.actor("youth_care"), youth)
    other = factories.person(links_world.actor("school"), given_names="Sem", family_name="Bakker")
    coordination.record_relation(links_world.actor("school"), school, other, "found_together")
    return links_world, school, youth, other, link


def test_every_model_that_points_at_a_person_is_deleted_with_it():
    """A model added later with a foreign key to a person (or to what belongs to one)
    must be named in erase.person_data, or a deletion would fail on PROTECT."""
    handled = {qs.model for qs in erase.person_data([]).values()}
    derived = {ClusterMember}  # removed with the person (CASCADE) and renumbered
    owned = {Person, *handled}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model in owned:
                assert model in handled | derived, f"{model.__name__}.{field.name}"


def test_an_active_record_is_kept(pair):
    _world, school, youth, other, _link = pair
    assert run(now=later(DAYS - 1)) == Counter()
    assert Person.objects.filter(pk__in=[school.pk, youth.pk, other.pk]).count() == 3


def test_a_record_without_activity_in_the_period_goes_with_all_it_holds(pair):
    _world, school, youth, other, _link = pair
    school_registrations = Registration.objects.filter(person=school).count()
    done = run(now=later(DAYS + 1))
    assert not Person.objects.filter(pk__in=[school.pk, youth.pk, other.pk]).exists()
    assert done["person"] == 3
    assert done["registration"] == school_registrations + 1  # youth care's one
    assert done["withdrawal"] == 1 and done["relation"] == 1 and done["link"] == 1
    tombstones = Counter(Tombstone.objects.values_list("kind", flat=True))
    assert tombstones == done
    assert set(Tombstone.objects.values_list("rule", flat=True)) == {rules.INACTIVE_PERSON}


def test_a_tombstone_holds_no_content(pair):
    run(now=later(DAYS + 1))
    fields = {f.name for f in Tombstone._meta.get_fields()}
    assert fields == {"id", "kind", "record_id", "rule", "deleted_at"}


def test_each_deleted_person_is_in_the_access_log_and_the_chain_still_verifies(pair):
    _world, school, youth, other, _link = pair
    run(now=later(DAYS + 1))
    deleted = AccessLogEntry.objects.filter(action="delete")
    assert sorted(deleted.values_list("person_pseudonym", flat=True)) == sorted(
        [school.pseudonym, youth.pseudonym, other.pseudonym]
    )
    assert set(deleted.values_list("username", flat=True)) == {"lens:retention"}
    assert set(deleted.values_list("purpose", flat=True)) == {"retention: inactive_person"}
    assert verify.verify() == []


def test_a_new_registration_keeps_the_record_and_only_the_other_goes(pair):
    _world, school, youth, _other, _link = pair
    # Two years on, youth care registers again: its record is active, the school's not.
    Registration.objects.filter(person=youth).update(created_at=later(DAYS))
    Person.objects.filter(pk=youth.pk).update(created_at=later(DAYS))
    run(now=later(DAYS + 1))
    assert Person.objects.filter(pk=youth.pk).exists()
    assert not Person.objects.filter(pk=school.pk).exists()
    # The link to the deleted record went; youth care's record is a cluster of one again.
    assert not PersonLink.objects.filter(person_b=youth).exists()
    assert not PersonLink.objects.filter(person_a=youth).exists()
    assert not ClusterMember.objects.filter(person=youth).exists()
    stored = CombinedOutcome.objects.get(cluster_id=youth.pk)
    assert stored.members == [youth.pk]


def test_a_dry_run_changes_nothing_and_counts_what_a_run_deletes(pair):
    before = (Person.objects.count(), Registration.objects.count(), AccessLogEntry.objects.count())
    counted = run(dry_run=True, now=later(DAYS + 1))
    assert before == (
        Person.objects.count(),
        Registration.objects.count(),
        AccessLogEntry.objects.count(),
    )
    assert not Tombstone.objects.exists()
    assert run(now=later(DAYS + 1)) == counted


def test_after_a_run_nothing_past_its_period_remains(pair):
    run(now=later(DAYS + 1))
    assert run(dry_run=True, now=later(DAYS + 1)) == Counter()
    assert not rules.inactive_persons(later(DAYS + 1)).exists()


def test_login_records_past_their_period_go_and_newer_ones_stay(db):
    old = AccessLog.objects.create(user_agent="x", ip_address="127.0.0.1", username="a")
    new = AccessLog.objects.create(user_agent="x", ip_address="127.0.0.1", username="b")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))
    assert run() == Counter({"login": 1})
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new.pk]
    assert Tombstone.objects.get().rule == rules.LOGIN_RECORDS


def test_the_command_prints_json(pair):
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"would_delete": {}, "review": {"open_cases_idle": 0}}
    out = io.StringIO()
    call_command("retention", "run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"deleted": {}, "review": {"open_cases_idle": 0}}


def test_erasure_on_request_deletes_one_record_and_logs_why(pair):
    _world, school, _youth, other, _link = pair
    out = io.StringIO()
    call_command("retention", "erase", other.pseudonym, "--reason", "verzoek 2026-17", stdout=out)
    assert not Person.objects.filter(pk=other.pk).exists()
    assert not PersonRelation.objects.exists()
    assert Person.objects.filter(pk=school.pk).exists()
    entry = AccessLogEntry.objects.get(action="delete")
    assert entry.person_pseudonym == other.pseudonym
    assert entry.purpose == "erasure_request: verzoek 2026-17"
    assert set(Tombstone.objects.values_list("rule", flat=True)) == {rules.ERASURE_REQUEST}


def test_erasure_leaves_one_audit_record_naming_the_operator_and_not_the_reason(pair):
    _world, _school, _youth, other, _link = pair
    call_command(
        "retention", "erase", other.pseudonym, "--reason", "verzoek 2026-17", stdout=io.StringIO()
    )
    [record] = AuditRecord.objects.all()
    assert (record.kind, record.object_type, record.object_id) == (
        AuditKind.PERSON_ERASED,
        "person",
        str(other.pk),
    )
    assert record.user_id is None and record.os_user == Operator.command_line().os_user
    tombstones = Tombstone.objects.count()
    assert record.details == f"{rules.ERASURE_REQUEST}: {tombstones} records"
    assert "2026-17" not in record.details and other.pseudonym not in record.details


def test_erasure_whose_audit_record_fails_erases_nothing(pair, monkeypatch):
    _world, school, *_ = pair

    def broken(**fields):
        raise DatabaseError("synthetic failure of the audit insert")

    monkeypatch.setattr(AuditRecord.objects, "create", broken)
    with pytest.raises(DatabaseError):
        call_command("retention", "erase", school.pseudonym, "--reason", "verzoek 2026-18")
    assert Person.objects.filter(pk=school.pk).exists()
    assert not Tombstone.objects.exists()
    assert not AccessLogEntry.objects.filter(action="delete").exists()


def test_erasure_of_an_unknown_record_or_without_a_reason_is_refused(pair):
    _world, school, *_ = pair
    with pytest.raises(CommandError, match="XXXX-0000"):
        call_command("retention", "erase", "XXXX-0000", "--reason", "r")
    with pytest.raises(CommandError, match="--reason"):
        call_command("retention", "erase", school.pseudonym, "--reason", "  ")
    assert Person.objects.filter(pk=school.pk).exists()


def test_a_reason_too_long_for_the_access_log_is_one_clear_line(pair, capsys):
    """Not a traceback: a CommandError, which `lens` prints as one line `lens: ...`."""
    from lens.cli import main

    _world, school, *_ = pair
    longest = 500 - len(f"{rules.ERASURE_REQUEST}: ")
    with pytest.raises(CommandError, match="--reason") as refused:
        call_command("retention", "erase", school.pseudonym, "--reason", "x" * (longest + 1))
    assert refused.value.returncode == 2 and f" {longest} " in str(refused.value)
    assert Person.objects.filter(pk=school.pk).exists()
    out = io.StringIO()  # the longest reason that fits is taken
    call_command("retention", "erase", school.pseudonym, "--reason", "x" * longest, stdout=out)
    assert not Person.objects.filter(pk=school.pk).exists()
    # what the terminal shows: refused before the database is asked anything
    with pytest.raises(SystemExit) as exited:
        main(["lens", "retention", "erase", "XXXX-0000", "--reason", "x" * 501])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("lens: --reason") and err.count("\n") == 1, err


def test_a_record_with_an_open_case_is_kept_and_goes_with_its_case_once_closed(pair):
    from tests.cases.conftest import open_for, walk

    world, school, _youth, _other, _link = pair
    case = open_for(world.actor("school"), school)
    run(now=later(DAYS + 1))
    assert Person.objects.filter(pk=school.pk).exists()  # the case is still being worked on
    walk(world.actor("school"), case, "close")
    done = run(now=later(DAYS + 1))
    assert not Person.objects.filter(pk=school.pk).exists()
    assert done["case"] == 1 and done["case_step"] == 2


IDLE, MAX_IDLE = 180, 1095  # RETENTION_OPEN_CASE_IDLE_DAYS, RETENTION_OPEN_CASE_MAX_IDLE_DAYS


def test_an_idle_open_case_is_reported_for_review_then_no_longer_keeps_the_record(pair):
    """Kept while worked on; idle past the review period: counted in `review` (kept);
    idle past the hard limit: the inactive record goes with its case (rule
    idle_open_case), the steps and consultations with it."""
    from lens.data.cases import Case, Consultation, Step
    from lens.retention.run import to_review
    from tests.cases.conftest import open_for, walk

    world, school, _youth, _other, _link = pair
    case = open_for(world.actor("school"), school)
    walk(world.actor("school"), case, "map_signals", "consult")
    assert Consultation.objects.filter(step__case=case).exists()
    assert to_review(later(IDLE - 1)) == {"open_cases_idle": 0}
    assert to_review(later(IDLE + 1)) == {"open_cases_idle": 1}
    assert "case" not in run(dry_run=True, now=later(MAX_IDLE - 1))
    run(now=later(MAX_IDLE - 1))  # the other records, inactive and without a case, go
    assert Person.objects.filter(pk=school.pk).exists()  # kept: under the hard limit
    would = run(dry_run=True, now=later(MAX_IDLE + 1))
    assert would["case"] == 1 and would["case_step"] == 3 and would["case_consultation"] >= 1
    done = run(now=later(MAX_IDLE + 1))
    assert not Person.objects.filter(pk=school.pk).exists()
    assert not Case.objects.exists() and not Step.objects.exists()
    assert done["case"] == 1 and done["person"] == 1
    case_rules = set(Tombstone.objects.filter(kind="case").values_list("rule", flat=True))
    assert case_rules == {rules.IDLE_OPEN_CASE}
    assert verify.verify() == []  # the access log still verifies


def test_the_command_reports_idle_open_cases_apart_from_what_it_deletes(pair, settings):
    from tests.cases.conftest import open_for

    world, school, *_ = pair
    open_for(world.actor("school"), school)
    settings.RETENTION_OPEN_CASE_IDLE_DAYS = 1
    from lens.data.cases import Case

    Case.objects.update(updated_at=later(-2))
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", "--json", stdout=out)
    said = json.loads(out.getvalue())
    assert said["review"] == {"open_cases_idle": 1} and "case" not in said["would_delete"]
    assert Person.objects.filter(pk=school.pk).exists()


def test_the_local_picture_stops_counting_deleted_records_but_closed_periods_stay(pair):
    from lens.picture import closing, maintain, pending
    from lens.picture.models import PictureCell

    month = f"{timezone.localdate() - timedelta(days=3):%Y-%m}"  # the factories observe then
    closing.close(month, timezone.localdate() + timedelta(days=40))
    frozen = dict(
        PictureCell.objects.filter(period=month).values_list("pk", "persons").order_by("pk")
    )
    assert frozen and any(frozen.values())
    run(now=later(DAYS + 1))
    pending.catch_up()  # as a read of the picture does
    # Open periods: what a recount from the remaining registrations gives (nothing here).
    _facts, expected = maintain.recount()
    stored = {cell: v for cell, v in maintain.stored_cells().items() if cell[2] != month}
    assert stored == {c: v for c, v in expected.items() if any(v) and c[2] != month}
    assert not any(v[0] for v in stored.values())
    # The closed month keeps its figures as published.
    assert (
        dict(PictureCell.objects.filter(period=month).values_list("pk", "persons").order_by("pk"))
        == frozen
    )


def test_the_hard_limit_must_be_longer_than_the_review_period(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lens.settings",
        "RETENTION_OPEN_CASE_IDLE_DAYS": "400",
        "RETENTION_OPEN_CASE_MAX_IDLE_DAYS": "300",
    }
    code = "import django; django.setup()"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert found.returncode != 0
    assert "RETENTION_OPEN_CASE_MAX_IDLE_DAYS must be longer" in found.stderr
    env["RETENTION_OPEN_CASE_MAX_IDLE_DAYS"] = "401"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert found.returncode == 0, found.stderr[-500:]


def test_erasure_takes_the_pseudonym_as_typed_over(pair):
    """The pseudonym as read from a letter: lower case, with a space (pseudonyms.typed,
    the rule the relation forms and `lens accesslog export` use too)."""
    _world, school, *_ = pair
    typed = school.pseudonym.lower().replace("-", "- ")
    out = io.StringIO()
    call_command("retention", "erase", typed, "--reason", "verzoek 2026-19", stdout=out)
    assert not Person.objects.filter(pk=school.pk).exists()
    assert school.pseudonym in out.getvalue()
