"""The access log: record() in the caller's transaction, the hash chain, verify(), the
append-only triggers, and `lens accesslog verify | export`.

Tampering is simulated as an attacker with database access would do it: drop the
triggers, change rows with raw SQL. The test's transaction rolls the triggers back.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, transaction
from django.db import connection as db_connection
from django.db.transaction import TransactionManagementError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lens.access import log
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.access.verify import verify as verify_log
from lens.data.registry import Membership, Organisation, Person, Role
from tests.access import factories

append_only = importlib.import_module("lens.access.migrations.0002_append_only")

TABLE = AccessLogEntry._meta.db_table
on_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL only"
)


# --- building blocks ---------------------------------------------------------------------


@pytest.fixture
def organisation(db):
    return factories.organisation("Jeugdzorg Oost")


@pytest.fixture
def user(django_user_model, organisation):
    return django_user_model.objects.create_user("ineke")  # no password: no slow hashing


@pytest.fixture
def actor(user, organisation):
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    return Actor(
        user=user, membership=membership, ip_address="192.0.2.10", user_agent="pytest-browser"
    )


def make_person(organisation: Organisation, user, pseudonym: str) -> Person:
    return Person.objects.create(
        pseudonym=pseudonym,
        organisation=organisation,
        created_by=user,
        identity_key_id="test1",
        identity_wrapped_key=b"-",
        identity_nonce=b"-",
        identity_ciphertext=b"-",
        name_match_key="a" * 64,
        birth_year=2009,
    )


@pytest.fixture
def person(organisation, user):
    return make_person(organisation, user, "P-K7QX")


def record_many(actor: Actor, count: int, **fields) -> list[AccessLogEntry]:
    entries = []
    for number in range(count):
        with transaction.atomic():
            entries.append(
                log.record(
                    actor, Action.READ, object_id=str(number), **{"purpose": "test", **fields}
                )
            )
    return entries


def raw(sql: str, params=None) -> None:
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)


class _Executor:
    """What the migration's trigger functions need from a schema editor.

    A real schema editor cannot be opened inside the test's transaction on SQLite.
    """

    connection = db_connection

    def execute(self, sql, params=()):
        raw(sql, params)


@contextlib.contextmanager
def triggers_dropped():
    """As an attacker with database access: without the append-only triggers."""
    append_only.drop_triggers(_Executor(), TABLE)
    try:
        yield
    finally:
        append_only.create_triggers(_Executor(), TABLE)


def forged_copy(entry: AccessLogEntry, **changes) -> AccessLogEntry:
    """A row that looks like `entry`, hashed with a key the attacker guessed."""
    forged = AccessLogEntry(
        **{name: getattr(entry, name) for name in log.HASHED_FIELDS}, entry_hash=""
    )
    for name, value in changes.items():
        setattr(forged, name, value)
    forged.entry_hash = log.entry_hash(forged, b"guessed key")
    return forged


# --- record() ----------------------------------------------------------------------------


def test_record_inside_atomic_writes_the_entry_and_chains(actor, user, organisation, person):
    with transaction.atomic():
        first = log.record(
            actor, Action.READ, person=person, object_type="person", purpose="dossier bekijken"
        )
    with transaction.atomic():
        second = log.record(actor, Action.REVEAL, person=person, purpose="melding doen")

    stored = AccessLogEntry.objects.get(pk=first.pk)
    assert (stored.user_id, stored.username) == (user.pk, "ineke")
    assert (stored.role, stored.organisation_id) == ("professional", organisation.pk)
    assert stored.organisation_name == "Jeugdzorg Oost"
    assert (stored.person_id, stored.person_pseudonym) == (person.pk, "P-K7QX")
    assert (stored.action, stored.object_type, stored.purpose) == (
        "read",
        "person",
        "dossier bekijken",
    )
    assert (stored.ip_address, stored.user_agent, stored.api_client) == (
        "192.0.2.10",
        "pytest-browser",
        "",
    )
    assert stored.at == first.at
    assert stored.prev_hash == log.GENESIS_HASH
    assert stored.entry_hash == log.entry_hash(stored, b"tests-only-access-log-key")
    assert second.prev_hash == first.entry_hash
    assert AccessLogEntry.objects.get(pk=second.pk).action == "reveal"
    assert verify_log() == []


@pytest.mark.django_db(transaction=True)
def test_record_outside_atomic_raises_and_writes_nothing(actor):
    assert not db_connection.in_atomic_block
    with pytest.raises(TransactionManagementError, match=r"inside transaction\.atomic\(\)"):
        log.record(actor, Action.READ, purpose="test")
    assert not AccessLogEntry.objects.exists()


def test_record_for_an_api_client(organisation):
    client = SimpleNamespace(name="Zorgdossier Oost", organisation=organisation)
    with transaction.atomic():
        entry = log.record(
            Actor(user=None, membership=None, api_client=client), Action.CREATE, purpose="test"
        )
    assert (entry.user_id, entry.username, entry.role) == (
        None,
        "api:Zorgdossier Oost",
        "professional",
    )
    assert (entry.api_client, entry.organisation_id) == ("Zorgdossier Oost", organisation.pk)


def test_record_refuses_an_unknown_action_and_too_long_text(actor):
    with transaction.atomic():
        with pytest.raises(ValueError):
            log.record(actor, "peek", purpose="test")
        with pytest.raises(ValueError, match="purpose is longer than 500"):
            log.record(actor, Action.READ, purpose="x" * 501)
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("purpose", ["", "   "])
def test_record_refuses_an_entry_without_a_purpose(actor, person, purpose):
    # NEN 7513: every entry says why. A caller that forgets is a programming error.
    with transaction.atomic(), pytest.raises(ValueError, match="purpose is required"):
        log.record(actor, Action.READ, person=person, purpose=purpose)
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("field", ["purpose", "object_type", "object_id"])
def test_record_refuses_a_nul_character_everywhere(actor, field):
    # PostgreSQL cannot store NUL in text, SQLite can: refuse it on both.
    fields = {"purpose": "controle", field: "con\x00trole"}
    with transaction.atomic(), pytest.raises(ValueError, match=f"{field} contains a NUL"):
        log.record(actor, Action.READ, **fields)
    assert not AccessLogEntry.objects.exists()


def test_a_nul_in_the_user_agent_does_not_stop_the_log(user, organisation, person):
    # The user agent is whatever the client sends. A NUL in it made every logged read a
    # 500 on PostgreSQL; it is kept, visibly replaced, and the chain still verifies.
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    sender = Actor(user=user, membership=membership, user_agent="evil\x00agent/1.0")
    with transaction.atomic():
        entry = log.record(sender, Action.READ, person=person, purpose="controle")
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.user_agent == "evil\ufffdagent/1.0"
    assert verify_log() == []


@pytest.mark.parametrize("address", ["2001:DB8:0:0::1", "::ffff:192.0.2.1", "::1"])
def test_ip_addresses_survive_the_round_trip(user, organisation, address):
    membership = Membership.objects.create(
        user=user, role=Role.AANDACHTSFUNCTIONARIS, organisation=organisation
    )
    with transaction.atomic():
        log.record(
            Actor(user=user, membership=membership, ip_address=address),
            Action.LIST,
            purpose="test",
        )
    assert verify_log() == []


def test_a_failing_log_write_rolls_back_the_access(actor, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(log.log_sql, "insert", refuse)  # the one place that writes entries
    with pytest.raises(DatabaseError, match="disk full"), transaction.atomic():
        factories.organisation("Written in the same transaction")
        log.record(actor, Action.CREATE, purpose="test")
    assert not Organisation.objects.filter(name="Written in the same transaction").exists()
    assert not AccessLogEntry.objects.exists()


def test_the_chain_survives_50_records(actor):
    entries = record_many(actor, 50)
    assert [entry.prev_hash for entry in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert len({entry.entry_hash for entry in entries}) == 50
    assert verify_log() == []


def test_record_many_writes_one_page_in_one_insert_under_one_lock(actor, organisation, user):
    persons = [make_person(organisation, user, f"P-B{n:03d}") for n in range(30)]
    with transaction.atomic():
        log.record(actor, Action.READ, purpose="before")
    with CaptureQueriesContext(db_connection) as queries, transaction.atomic():
        entries = log.record_many(
            actor, Action.LIST, [(p, "person", "") for p in persons], purpose="lijst"
        )
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert sum(s.startswith("INSERT") for s in statements) == 1
    assert sum("PG_ADVISORY_XACT_LOCK" in s for s in statements) == (
        1 if db_connection.vendor == "postgresql" else 0
    )
    assert len(statements) <= 5  # savepoint, lock, last hash, insert, release
    stored = list(AccessLogEntry.objects.order_by("id"))
    assert [e.person_pseudonym for e in stored[1:]] == [p.pseudonym for p in persons]
    assert [e.entry_hash for e in stored[1:]] == [e.entry_hash for e in entries]
    assert stored[1].prev_hash == stored[0].entry_hash
    with transaction.atomic():
        log.record(actor, Action.READ, purpose="after")
    assert verify_log() == []


def test_write_many_writes_what_record_many_returns_without_building_entries(
    actor, organisation, user
):
    persons = [make_person(organisation, user, f"P-D{n:03d}") for n in range(3)]
    reads = [(p, "person", "") for p in persons]
    with transaction.atomic():
        written = log.write_many(actor, Action.LIST, reads, purpose="lijst")
    with transaction.atomic():
        entries = log.record_many(actor, Action.LIST, reads, purpose="lijst")
    stored = list(AccessLogEntry.objects.order_by("id"))
    assert all(isinstance(values, dict) for values in written)
    assert [v["id"] for v in written] == [e.pk for e in stored[:3]]
    assert [v["entry_hash"] for v in written] == [e.entry_hash for e in stored[:3]]
    assert stored[3].prev_hash == written[-1]["entry_hash"]  # one chain across both
    assert [e.entry_hash for e in entries] == [e.entry_hash for e in stored[3:]]
    assert verify_log() == []


def test_record_many_splits_the_insert_at_the_databases_parameter_limit(
    actor, organisation, user, monkeypatch
):
    # Room for two rows of 17 columns a statement: 5 entries take three INSERTs, and each
    # entry still gets its own id, in order, in one chain.
    features = db_connection.features  # a property on SQLite, an attribute on PostgreSQL
    if "max_query_params" in vars(features):
        monkeypatch.setitem(vars(features), "max_query_params", 2 * 17 + 1)
    else:
        monkeypatch.setattr(type(features), "max_query_params", 2 * 17 + 1)
    persons = [make_person(organisation, user, f"P-C{n:03d}") for n in range(5)]
    with CaptureQueriesContext(db_connection) as queries, transaction.atomic():
        entries = log.record_many(
            actor, Action.LIST, [(p, "person", "") for p in persons], purpose="lijst"
        )
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert sum(s.startswith("INSERT") for s in statements) == 3
    stored = list(AccessLogEntry.objects.order_by("id"))
    assert [e.pk for e in entries] == [e.pk for e in stored]
    assert [e.person_pseudonym for e in stored] == [p.pseudonym for p in persons]
    assert [e.entry_hash for e in stored] == [e.entry_hash for e in entries]
    assert verify_log() == []


def test_record_many_writes_nothing_when_one_read_is_refused(actor, person):
    reads = [(person, "person", ""), (person, "person", "x" * 1000)]
    with pytest.raises(ValueError, match="object_id"), transaction.atomic():
        log.record_many(actor, Action.LIST, reads, purpose="lijst")
    with pytest.raises(ValueError, match="purpose"), transaction.atomic():
        log.record_many(actor, Action.LIST, reads[:1], purpose=" ")
    with transaction.atomic():
        assert log.record_many(actor, Action.LIST, [], purpose="lijst") == []
    assert not AccessLogEntry.objects.exists()


def test_the_hash_covers_every_field_but_id_and_entry_hash():
    fields = {field.name for field in AccessLogEntry._meta.concrete_fields}
    assert set(log.HASHED_FIELDS) == fields - {"id", "entry_hash"}


# --- the key -----------------------------------------------------------------------------


def test_without_debug_an_unset_key_is_an_error_at_first_use(actor):
    with override_settings(ACCESS_LOG_KEY="", DEBUG=False), transaction.atomic():
        with pytest.raises(ImproperlyConfigured, match="ACCESS_LOG_KEY must be set"):
            log.record(actor, Action.READ, purpose="test")
        with pytest.raises(ImproperlyConfigured):
            verify_log()


def test_with_debug_a_development_key_is_made_once(actor, tmp_path):
    var_dir = tmp_path / "var"
    with override_settings(ACCESS_LOG_KEY="", DEBUG=True, VAR_DIR=var_dir):
        with transaction.atomic():
            log.record(actor, Action.READ, purpose="test")
        key_file = var_dir / log.DEV_KEY_FILENAME
        assert key_file.stat().st_mode & 0o777 == 0o600
        key = key_file.read_bytes()
        assert len(key.strip()) == 64
        assert verify_log() == []
        assert key_file.read_bytes() == key
        assert list(var_dir.iterdir()) == [key_file]  # no temporary file left behind


@pytest.mark.parametrize("other", ["SECRET_KEY", "MATCH_KEY_SECRET"])
def test_the_access_log_key_must_be_a_secret_of_its_own(actor, settings, other):
    settings.ACCESS_LOG_KEY = getattr(settings, other)
    with (
        transaction.atomic(),
        pytest.raises(ImproperlyConfigured, match=f"ACCESS_LOG_KEY.*not the same as {other}"),
    ):
        log.record(actor, Action.READ, purpose="test")
    assert not AccessLogEntry.objects.exists()


def test_another_key_does_not_verify(actor):
    record_many(actor, 2)
    with override_settings(ACCESS_LOG_KEY="another-key"):
        assert len(verify_log()) == 2


# --- append-only in the database ---------------------------------------------------------


def orm_update(entry):
    entry.purpose = "anders"
    entry.save()


def queryset_update(entry):
    AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="anders")


def orm_delete(entry):
    AccessLogEntry.objects.filter(pk=entry.pk).delete()


def raw_update(entry):
    raw(f"UPDATE {TABLE} SET purpose = 'anders' WHERE id = %s", [entry.pk])


def raw_delete(entry):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])


@pytest.mark.parametrize(
    "tamper", [orm_update, queryset_update, orm_delete, raw_update, raw_delete]
)
def test_the_database_refuses_update_and_delete(actor, tamper):
    entry = record_many(actor, 1, purpose="controle")[0]
    with pytest.raises(IntegrityError, match="access log is append-only"), transaction.atomic():
        tamper(entry)
    assert AccessLogEntry.objects.get().purpose == "controle"
    assert verify_log() == []


@on_postgresql
def test_postgresql_refuses_truncate_of_a_log_with_entries(actor):
    with transaction.atomic():
        raw(f"TRUNCATE {TABLE}")  # empty: nothing lost (Django's test flush needs this)
    record_many(actor, 1)
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"), transaction.atomic():
        raw(f"TRUNCATE {TABLE}")
    assert AccessLogEntry.objects.count() == 1


# --- verify() ----------------------------------------------------------------------------


def test_verify_an_empty_and_an_intact_log(actor):
    assert verify_log() == []
    record_many(actor, 3)
    assert verify_log() == []


def test_verify_finds_a_changed_entry(actor):
    entries = record_many(actor, 4)
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET username = 'iemand anders' WHERE id = %s", [entries[1].pk])
    assert verify_log() == [
        f"Regel {entries[1].pk} is gewijzigd: de hash klopt niet met de inhoud."
    ]


def test_verify_finds_a_changed_last_entry(actor):
    entries = record_many(actor, 2)
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET purpose = 'iets anders' WHERE id = %s", [entries[1].pk])
    assert verify_log() == [
        f"Regel {entries[1].pk} (de laatste) is gewijzigd of buiten het logboek om "
        "toegevoegd: de hash klopt niet met de inhoud."
    ]


def test_verify_finds_a_removed_entry(actor):
    entries = record_many(actor, 4)
    first, removed, third = (entry.pk for entry in entries[:3])
    with triggers_dropped():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [removed])
    assert verify_log() == [
        f"Regels verwijderd tussen regel {first} en regel {third} (ontbrekend nummer: "
        f"{removed}): regel {third} sluit niet aan op regel {first}."
    ]


def test_verify_finds_removed_first_entries(actor):
    entries = record_many(actor, 3)
    with triggers_dropped():
        raw(f"DELETE FROM {TABLE} WHERE id <= %s", [entries[1].pk])
    assert verify_log() == [
        f"Regels verwijderd vóór regel {entries[2].pk}: deze regel is de eerste die er nog "
        "is, maar verwijst naar een eerdere."
    ]


def test_verify_finds_an_inserted_entry(actor):
    entries = record_many(actor, 4)
    before = entries[1]
    with triggers_dropped():
        # Make room after the second entry, then slip a forged row in.
        raw(f"UPDATE {TABLE} SET id = id + 1000 WHERE id > %s", [before.pk])
        forged_copy(
            before, id=before.pk + 1, prev_hash=before.entry_hash, purpose="nooit gebeurd"
        ).save(force_insert=True)
    assert verify_log() == [
        f"Regel {before.pk + 1} is ingevoegd: de hash klopt niet met de inhoud en de "
        f"volgende regel ({entries[2].pk + 1000}) slaat deze regel over."
    ]


def test_verify_reports_each_problem(actor):
    entries = record_many(actor, 6)
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET action = 'list' WHERE id = %s", [entries[1].pk])
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[3].pk])
    problems = verify_log()
    assert len(problems) == 2
    assert problems[0].startswith(f"Regel {entries[1].pk} is gewijzigd")
    assert problems[1].startswith(f"Regels verwijderd tussen regel {entries[2].pk} en")


# --- concurrent writers ------------------------------------------------------------------


@pytest.fixture
def emptied_afterwards(transactional_db):
    """Let a transactional test write log entries: empty the log before Django's flush."""
    yield
    append_only.drop_triggers(_Executor(), TABLE)
    try:
        AccessLogEntry.objects.all().delete()
    finally:
        append_only.create_triggers(_Executor(), TABLE)


@on_postgresql
def test_concurrent_writers_do_not_fork_the_chain(emptied_afterwards, user, organisation):
    # SQLite needs no test of its own: BEGIN IMMEDIATE takes its one write lock first.
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=factories.organisation("Wijkteam")
    )
    actor = Actor(user=user, membership=membership)
    start = threading.Barrier(8)

    def write(worker: int) -> None:
        try:
            start.wait()
            for number in range(10):
                with transaction.atomic():
                    log.record(actor, Action.READ, object_id=f"{worker}-{number}", purpose="test")
                with transaction.atomic():  # a page of three, as the lists write them
                    reads = [(None, "page", f"{worker}-{number}-{n}") for n in range(3)]
                    log.record_many(actor, Action.LIST, reads, purpose="test")
        finally:
            db_connection.close()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(8)))

    assert AccessLogEntry.objects.count() == 320
    assert len(set(AccessLogEntry.objects.values_list("prev_hash", flat=True))) == 320
    assert verify_log() == []


# --- who saw this person, and the export ---------------------------------------------------


def test_entries_for_person_and_export_rows(actor, organisation, user, person):
    other = make_person(organisation, user, "P-M3RT")
    with transaction.atomic():
        seen = log.record(actor, Action.READ, person=person, purpose="overleg")
        log.record(actor, Action.READ, person=other, purpose="test")
        log.record(actor, Action.LIST, purpose="test")
        changed = log.record(
            actor, Action.CHANGE, person=person, object_type="registration", purpose="test"
        )

    assert list(log.entries_for_person(person)) == [seen, changed]
    assert list(log.entries_for_person("P-K7QX")) == [seen, changed]
    rows = list(log.export_rows(log.entries_for_person(person)))
    assert [tuple(row) for row in rows] == [log.EXPORT_COLUMNS] * 2
    assert rows[0]["id"] == seen.pk
    assert rows[0]["at"].startswith(f"{seen.at.astimezone().year}-")
    assert (rows[0]["username"], rows[0]["role"], rows[0]["purpose"]) == (
        "ineke",
        "professional",
        "overleg",
    )
    assert (rows[1]["action"], rows[1]["object_type"]) == ("change", "registration")
    json.dumps(rows)  # ready for a JSON export as it is


# --- `lens accesslog` ----------------------------------------------------------------------


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("accesslog", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_command_verify_intact(actor):
    entries = record_many(actor, 3)
    status, out, _ = run_command("verify")
    assert status == 0
    assert out.splitlines() == [
        "Toegangslog in orde: 3 regels.",
        f"Laatste regel: {entries[-1].pk}, hash {entries[-1].entry_hash}",
        "Bewaar deze hash buiten de database en geef hem de volgende keer mee met "
        "--expect-head: alleen zo zijn regels te zien die aan het eind verwijderd zijn.",
    ]


@pytest.mark.django_db
def test_command_verify_empty_log():
    assert run_command("verify") == (0, "Toegangslog in orde: 0 regels.\n", "")


def test_command_verify_broken_exits_1_with_each_problem(actor):
    entries = record_many(actor, 3)
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET purpose = 'weggepoetst' WHERE id = %s", [entries[0].pk])
    status, out, err = run_command("verify")
    assert status == 1
    assert out == ""
    assert f"Regel {entries[0].pk} is gewijzigd" in err
    assert "Toegangslog niet in orde: 1 probleem in 3 regels." in err


def test_command_verify_without_key(actor):
    with override_settings(ACCESS_LOG_KEY="", DEBUG=False):
        status, _, err = run_command("verify")
    assert status == 1
    assert "ACCESS_LOG_KEY must be set" in err


def test_command_export_csv_and_json(actor, person):
    with transaction.atomic():
        log.record(actor, Action.READ, person=person, purpose='=HYPERLINK("http://x")')
        log.record(actor, Action.REVEAL, person=person, purpose="melding")

    status, out, _ = run_command("export", "--person", "P-K7QX")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == log.EXPORT_COLUMNS
    assert [row["action"] for row in rows] == ["read", "reveal"]
    assert rows[0]["purpose"] == '\'=HYPERLINK("http://x")'  # no formula in a spreadsheet

    status, out, _ = run_command("export", "--person", "p-k7qx", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    # The first export is part of the person's log by now.
    assert [row["purpose"] for row in rows] == [
        '=HYPERLINK("http://x")',
        "melding",
        "AVG-inzageverzoek",
    ]

    # Each export is itself in the log, and the chain stays intact.
    exports = AccessLogEntry.objects.filter(action=Action.EXPORT)
    assert exports.count() == 2
    export = exports.first()
    assert export.username.startswith("lens-cli:")
    assert (export.person_id, export.object_type) == (person.pk, "accesslog")
    assert export.purpose == "AVG-inzageverzoek"
    assert verify_log() == []


def test_command_export_after_the_person_was_deleted(actor, person):
    with transaction.atomic():
        log.record(actor, Action.READ, person=person, purpose="test")
    Person.objects.filter(pk=person.pk).delete()
    status, out, _ = run_command("export", "--person", "P-K7QX", "--format", "json")
    assert status == 0
    assert [row["person_pseudonym"] for row in json.loads(out)] == ["P-K7QX"]
    assert AccessLogEntry.objects.filter(action="export", person_pseudonym="P-K7QX").exists()


@pytest.mark.django_db
def test_command_export_unknown_person_exits_1():
    status, out, err = run_command("export", "--person", "P-ZZZZ")
    assert (status, out) == (1, "")
    assert "Onbekend pseudoniem P-ZZZZ" in err
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_command_export_with_a_blank_purpose_exits_1(person):
    status, out, err = run_command("export", "--person", person.pseudonym, "--purpose", "  ")
    assert (status, out) == (1, "")
    assert "--purpose" in err
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [".", "\u200b\u200b", "x\u200b-"])
def test_command_export_with_a_purpose_that_says_nothing_exits_1(person, purpose):
    status, out, err = run_command("export", "--person", person.pseudonym, "--purpose", purpose)
    assert (status, out) == (1, "")
    assert err.strip()
    assert not AccessLogEntry.objects.exists()
