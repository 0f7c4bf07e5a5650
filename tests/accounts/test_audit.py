"""The audit record of the beheerder's writes (lens.accounts.audit).

Every write leaves exactly one record, in the transaction of the write: a refused or
rolled-back write leaves none, and a record that cannot be written undoes the write. The
database refuses UPDATE and DELETE of records (SQLite and PostgreSQL triggers, tampered
with here in raw SQL). All names and addresses are synthetic.
"""

from __future__ import annotations

import importlib
import os
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db import connection as db_connection
from django.db.transaction import TransactionManagementError

from lens.access.rotation import rotate_identity_keys
from lens.accounts import actions as account_actions
from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind, AuditRecord
from lens.api import actions as api_actions
from lens.data.registry import Organisation, Role
from lens.registry import organisations
from tests.access.test_rotation import KEY_B, ONLY_A, make_persons
from tests.registry import factories

append_only = importlib.import_module("lens.accounts.migrations.0003_audit_append_only")
TABLE = AuditRecord._meta.db_table

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL only"
)
BEHEERDER = Operator(user_id=7, username="synthetic-beheerder", role=Role.BEHEERDER)


@pytest.fixture
def org(loaded_catalogue) -> Organisation:
    return factories.organisation("Synthetische School Audit")


def new_organisation(by=None):
    return organisations.create_organisation(
        "Synthetisch Buurtteam",
        "school",
        "midden_brabant",
        "Tilburg",
        "Team Signalen",
        "013-000 00 99",
        "signalen@buurtteam.example.org",
        by=by,
    )


def _membership(org):
    user = factories.user()
    return organisations.add_membership(user, "professional", organisation=org)


def _rotation(settings):
    settings.IDENTITY_KEYS = ONLY_A
    make_persons(3)
    settings.IDENTITY_KEYS = f"B:{KEY_B},{ONLY_A}"
    return rotate_identity_keys(batch_size=10)


# (kind, object type, the write): each gets the fixtures it needs and returns the object.
WRITES = {
    "organisation.added": ("organisation", lambda org, settings: new_organisation()),
    "organisation.contact": (
        "organisation",
        lambda org, settings: organisations.update_organisation_contact(
            org, contact_name="Team Zorg"
        ),
    ),
    "user.added": (
        "user",
        lambda org, settings: organisations.create_user("synthetic-nina", "nina@example.org"),
    ),
    "user.deactivated": (
        "user",
        lambda org, settings: organisations.deactivate_user(factories.user()),
    ),
    "membership.added": ("membership", lambda org, settings: _membership(org)),
    "membership.ended": (
        "membership",
        lambda org, settings: organisations.end_membership(
            factories.membership(Role.PROFESSIONAL, org)
        ),
    ),
    "totp.enrolled": (
        "user",
        lambda org, settings: account_actions.enrol_totp(factories.user()).user,
    ),
    "sessions.ended": (
        "user",
        lambda org, settings: (user := factories.user(), account_actions.end_sessions_of(user))[0],
    ),
    "lockout.lifted": (
        "user",
        lambda org, settings: (
            user := factories.user(),
            account_actions.unlock(user.get_username()),
        )[0],
    ),
    "apiclient.added": (
        "apiclient",
        lambda org, settings: api_actions.create_client(org, "Synthetisch LVS")[0],
    ),
    "apiclient.revoked": (
        "apiclient",
        lambda org, settings: api_actions.revoke_client(
            api_actions.create_client(org, "Synthetisch LVS")[0]
        ),
    ),
    "identity.rotated": ("person", lambda org, settings: _rotation(settings)),
}


# The operator's commands, tested where the command is (through call_command): each
# asserts its one record with the operator, and that a failing record undoes the write.
TESTED_WITH_THEIR_COMMAND = {
    AuditKind.CATALOGUE_LOADED: "tests/catalogue/test_command.py",
    AuditKind.CATALOGUE_REACTIVATED: "tests/catalogue/test_command.py",
    AuditKind.PERIOD_CLOSED: "tests/registry/test_picture_closed.py",
    AuditKind.CLOSED_PERIODS_REBUILT: "tests/registry/test_picture_closed.py",
    AuditKind.PERSON_ERASED: "tests/retention/test_retention.py",
}


def test_every_kind_of_write_is_tested():
    assert set(WRITES) | set(TESTED_WITH_THEIR_COMMAND) == set(AuditKind.values)
    assert not set(WRITES) & set(TESTED_WITH_THEIR_COMMAND)
    for kind, path in TESTED_WITH_THEIR_COMMAND.items():
        assert f"AuditKind.{kind.name}" in (django_settings.BASE_DIR / path).read_text()


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_each_write_leaves_exactly_one_record_of_its_kind(org, settings, kind):
    object_type, write = WRITES[kind]
    before = AuditRecord.objects.count()
    if kind == "apiclient.revoked":
        before += 1  # creating the client to revoke is a write of its own
    made = write(org, settings)
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.order_by("-id").first()
    assert (record.kind, record.object_type) == (kind, object_type)
    if object_type != "person":
        assert record.object_id == str(made.pk)
    else:
        assert made == 3 and "3 data key(s) re-wrapped under 'B'" in record.details
    # The command line: no user, the operating-system user named.
    assert record.user_id is None and record.username == "" and record.os_user


def test_the_record_names_the_logged_in_beheerder_and_no_identity(loaded_catalogue):
    organisation = new_organisation(by=BEHEERDER)
    record = AuditRecord.objects.get()
    assert (record.user_id, record.username, record.role) == (7, "synthetic-beheerder", "beheerder")
    assert record.os_user == ""
    assert record.object_id == str(organisation.pk)
    assert "Synthetisch Buurtteam" not in record.details  # ids and codes only


def test_a_refused_write_leaves_no_record(org):
    user = factories.user()
    organisations.deactivate_user(user)
    with pytest.raises(ValidationError):
        organisations.deactivate_user(user)  # already deactivated
    with pytest.raises(ValidationError):
        organisations.add_membership(user, "professional", organisation=org)
    assert list(AuditRecord.objects.values_list("kind", flat=True)) == ["user.deactivated"]


def test_a_rolled_back_write_takes_its_record_with_it(loaded_catalogue):
    with pytest.raises(RuntimeError), transaction.atomic():
        new_organisation()
        assert AuditRecord.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after the write")
    assert not Organisation.objects.exists()
    assert not AuditRecord.objects.exists()


def test_a_record_that_cannot_be_written_undoes_the_write(org, monkeypatch):
    def broken(**fields):
        raise DatabaseError("synthetic failure of the audit insert")

    monkeypatch.setattr(AuditRecord.objects, "create", broken)
    with pytest.raises(DatabaseError, match="synthetic failure"):
        new_organisation()
    with pytest.raises(DatabaseError, match="synthetic failure"):
        api_actions.create_client(org, "Synthetisch LVS")
    assert list(Organisation.objects.all()) == [org]
    assert not org.api_clients.exists()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    assert not db_connection.in_atomic_block
    with pytest.raises(TransactionManagementError):
        audit.record(BEHEERDER, AuditKind.USER_ADDED, "user", 1)
    assert not AuditRecord.objects.exists()


def test_unlock_of_an_unknown_username_keeps_no_name(db):
    account_actions.unlock("synthetic-typo")
    record = AuditRecord.objects.get()
    assert record.object_id == "" and "synthetic-typo" not in record.details


# --- append-only -----------------------------------------------------------------------


def raw(sql: str, params=None) -> None:
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)


def orm_update(record):
    record.details = "anders"
    record.save()


def queryset_update(record):
    AuditRecord.objects.filter(pk=record.pk).update(details="anders")


def orm_delete(record):
    AuditRecord.objects.filter(pk=record.pk).delete()


def raw_update(record):
    raw(f"UPDATE {TABLE} SET details = 'anders' WHERE id = %s", [record.pk])


def raw_delete(record):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])


@pytest.mark.parametrize(
    "tamper", [orm_update, queryset_update, orm_delete, raw_update, raw_delete]
)
def test_the_database_refuses_update_and_delete(db, tamper):
    with transaction.atomic():
        record = audit.record(BEHEERDER, AuditKind.USER_ADDED, "user", 1, "controle")
    with pytest.raises(IntegrityError, match="audit record is append-only"), transaction.atomic():
        tamper(record)
    assert AuditRecord.objects.get().details == "controle"


@on_postgresql
def test_postgresql_refuses_truncate_of_records(db):
    with transaction.atomic():
        raw(f"TRUNCATE {TABLE}")  # empty: nothing lost (Django's test flush needs this)
        audit.record(BEHEERDER, AuditKind.USER_ADDED, "user", 1)
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"), transaction.atomic():
        raw(f"TRUNCATE {TABLE}")
    assert AuditRecord.objects.count() == 1


def test_the_triggers_are_there_after_all_migrations(db):
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
            expected = set(append_only.SQLITE_TRIGGERS)
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            expected = set(append_only.POSTGRESQL_TRIGGERS)
        assert {row[0] for row in cursor.fetchall()} == expected


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_records_can_still_be_flushed(loaded_catalogue):
    """tests/conftest.py empties the records before Django's flush, keeping the triggers
    (the next test, test_the_triggers_are_there_after_all_migrations..., would fail)."""
    new_organisation()
    assert AuditRecord.objects.count() == 1


def test_the_triggers_are_there_after_a_transactional_test(db):
    test_the_triggers_are_there_after_all_migrations(db)


def test_the_operator_of_a_web_request_is_the_user_in_their_role(loaded_catalogue):
    membership = factories.membership(Role.BEHEERDER)
    request = SimpleNamespace(user=membership.user, membership=membership)
    by = Operator.of_request(request)
    assert not by.on_command_line and Operator.command_line().on_command_line
    new_organisation(by=by)
    record = AuditRecord.objects.get()
    assert (record.user_id, record.username, record.role, record.os_user) == (
        membership.user.pk,
        membership.user.get_username(),
        "beheerder",
        "",
    )
