"""verify() on malformed rows: each reported by id and reason, the check goes on, never a
traceback; the stored values are compared exactly; --expect-head finds entries removed
from the end.

Tampering as in test_log.py: triggers dropped, rows changed with raw SQL. Some values
only SQLite can store (it keeps 'abc' in an integer column); PostgreSQL refuses those
itself, and has malformed values of its own (a timestamp 'infinity', an address with a
prefix length).
"""

from __future__ import annotations

import pytest
from django.db import connection

from lens.access import log
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry
from lens.access.verify import verify as verify_log
from lens.data.registry import Membership, Role
from tests.access import factories
from tests.access.test_log import TABLE, raw, record_many, run_command, triggers_dropped


@pytest.fixture
def entries(db, django_user_model):
    organisation = factories.organisation("Jeugdzorg Oost")
    user = django_user_model.objects.create_user("ineke")
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    actor = Actor(user=user, membership=membership, ip_address="2001:db8::1", user_agent="pytest")
    return record_many(actor, 5)


def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses this value itself")


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a value only PostgreSQL can hold")


# (column, SQL value, what the report says, on which database)
MALFORMED = [
    ("user_id", "'abc'", "user_id is geen geheel getal: 'abc'", sqlite_only),
    ("person_id", "'x'", "person_id is geen geheel getal: 'x'", sqlite_only),
    ("organisation_id", "1.5", "organisation_id is geen geheel getal: 1.5", sqlite_only),
    ("user_id", "x'31'", "user_id is geen geheel getal: b'1'", sqlite_only),
    ("ip_address", "'not-an-ip'", "ip_address is geen IP-adres: 'not-an-ip'", sqlite_only),
    (
        "ip_address",
        "'2001:DB8::1'",
        "ip_address is niet geschreven zoals het logboek adressen schrijft: '2001:DB8::1'",
        sqlite_only,
    ),
    ("ip_address", "'192.0.2.10/24'", "ip_address is geen IP-adres: '192.0.2.10/24'", None),
    ("at", "'gisteren'", "at is geen tijdstip: 'gisteren'", sqlite_only),
    ("at", "'2026-13-45 10:00:00'", "at is geen tijdstip: '2026-13-45 10:00:00'", sqlite_only),
    ("at", "12345", "at is geen tekst: b'12345'", sqlite_only),
    ("at", "'infinity'", "at is geen tijdstip: 'infinity'", postgresql_only),
    # NOT NULL: SQLite cannot drop it in place; on PostgreSQL the attacker can.
    ("username", "NULL", "username is leeg (NULL)", postgresql_only),
    ("action", "NULL", "action is leeg (NULL)", postgresql_only),
    ("purpose", "x'74657374'", "purpose is geen tekst: b'test'", sqlite_only),
]


@pytest.mark.parametrize(("column", "value", "reason", "only"), MALFORMED)
def test_a_malformed_value_is_reported_and_the_check_goes_on(entries, column, value, reason, only):
    if only:
        only()
    second, fourth = entries[1].pk, entries[3].pk
    with triggers_dropped():
        if value == "NULL":
            raw(f"ALTER TABLE {TABLE} ALTER COLUMN {column} DROP NOT NULL")
        raw(f"UPDATE {TABLE} SET {column} = {value} WHERE id = %s", [second])
        raw(f"UPDATE {TABLE} SET purpose = 'later gewijzigd' WHERE id = %s", [fourth])
    assert verify_log() == [
        f"Regel {second} is gewijzigd: {reason}.",
        f"Regel {fourth} is gewijzigd: de hash klopt niet met de inhoud.",
    ]
    status, out, err = run_command("verify")
    assert (status, out) == (1, "")
    assert f"Regel {second} is gewijzigd: {reason}." in err
    assert "Traceback" not in err


def test_the_same_time_spelled_otherwise_is_a_change(entries):
    sqlite_only()  # PostgreSQL keeps a time, not text
    second = entries[1]
    stored = AccessLogEntry.objects.filter(pk=second.pk).values_list("at", flat=True).get()
    spelled = stored.astimezone(log.UTC).replace(tzinfo=None).isoformat()  # 'T', not ' '
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET at = %s WHERE id = %s", [spelled, second.pk])
    assert verify_log() == [
        f"Regel {second.pk} is gewijzigd: at is niet geschreven zoals het logboek tijden "
        f"schrijft: '{spelled}'."
    ]


def test_an_id_column_changed_to_another_number_is_a_change(entries):
    # On PostgreSQL 1.5 in a bigint column is rounded to 2: another organisation.
    second = entries[1].pk
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET organisation_id = organisation_id + 0.5 WHERE id = %s", [second])
    assert verify_log()[0].startswith(f"Regel {second} is gewijzigd: ")


def test_a_malformed_last_row_and_a_malformed_inserted_row(entries):
    last, before = entries[-1], entries[1]
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET prev_hash = 'kapot' WHERE id = %s", [last.pk])
        raw(f"UPDATE {TABLE} SET id = id + 1000 WHERE id > %s", [before.pk])
        raw(
            f"INSERT INTO {TABLE} (id, at, user_id, username, role, organisation_id, "
            "organisation_name, person_id, person_pseudonym, action, object_type, object_id, "
            "purpose, ip_address, user_agent, api_client, prev_hash, entry_hash) "
            f"SELECT id + 1, at, user_id, username, role, organisation_id, organisation_name, "
            "person_id, person_pseudonym, action, object_type, object_id, 'nooit gebeurd', "
            f"ip_address, user_agent, api_client, 'nep', 'nep2' FROM {TABLE} WHERE id = %s",
            [before.pk],
        )
    assert verify_log() == [
        f"Regel {before.pk + 1} is ingevoegd: prev_hash is geen hash van 64 hexadecimale "
        "tekens: 'nep'; entry_hash is geen hash van 64 hexadecimale tekens: 'nep2' en de "
        f"volgende regel ({entries[2].pk + 1000}) slaat deze regel over.",
        f"Regels verwijderd tussen regel {entries[3].pk + 1000} en regel {last.pk + 1000}: "
        f"regel {last.pk + 1000} sluit niet aan op regel {entries[3].pk + 1000}.",
        f"Regel {last.pk + 1000} (de laatste) is gewijzigd of buiten het logboek om "
        "toegevoegd: prev_hash is geen hash van 64 hexadecimale tekens: 'kapot'.",
    ]


# --- the newest entries removed: --expect-head ---------------------------------------------


def test_removing_the_newest_entries_is_found_against_the_noted_head(entries):
    status, out, _ = run_command("verify")
    assert status == 0
    noted = entries[-1].entry_hash
    assert f"Laatste regel: {entries[-1].pk}, hash {noted}" in out
    assert run_command("verify", "--expect-head", noted)[0] == 0

    with triggers_dropped():
        raw(f"DELETE FROM {TABLE} WHERE id >= %s", [entries[3].pk])
    assert verify_log() == []  # an intact, shorter chain
    status, out, err = run_command("verify", "--expect-head", noted.upper())
    assert (status, out) == (1, "")
    assert f"De opgegeven laatste hash {noted} staat niet (meer) in het logboek" in err


def test_the_noted_head_with_newer_entries_after_it(entries):
    noted = entries[2].entry_hash  # noted before the last two were written
    assert verify_log(noted) == []


def test_a_noted_head_that_was_changed_is_not_found(entries):
    noted = entries[-1].entry_hash
    with triggers_dropped():
        raw(f"UPDATE {TABLE} SET purpose = 'anders' WHERE id = %s", [entries[-1].pk])
    problems = verify_log(noted)
    assert len(problems) == 2
    assert problems[1].startswith(f"De opgegeven laatste hash {noted} staat niet")


@pytest.mark.parametrize("head", ["abc", "g" * 64, ""])
def test_expect_head_must_look_like_a_hash(entries, head):
    status, out, err = run_command("verify", "--expect-head", head)
    assert (status, out) == (2, "")
    assert "64 hexadecimale tekens" in err


def test_verify_reads_in_batches(entries, monkeypatch):
    from lens.access import verify

    monkeypatch.setattr(verify, "BATCH", 2)
    assert verify_log() == []
    with triggers_dropped():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[2].pk])
    assert len(verify_log()) == 1
