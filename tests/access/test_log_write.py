"""The access log's writer at the cost a list page can pay: each entry's message written
from the members its call shares (`log._Members`), the bytes `json.dumps` gives; and the
table with only the indexes its reads use (migration 0004)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from lens.access import log
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.access.verify import verify as verify_log
from lens.data.registry import Membership, Role
from tests.access import factories

# Text a client or an organisation can put into an entry: quotes, backslashes, braces
# (the members' format string), percent signs, non-ASCII, line separators, controls.
AWKWARD = 'Mozilla/5.0 {x} {{}} "q" \\ %s é ü \U0001d518 \u2028 \t\x01 </script>'


@pytest.mark.django_db
def test_each_entry_is_signed_over_the_bytes_json_dumps_gives(django_user_model):
    shared = {
        "at": "2026-12-07T21:00:00.000001+00:00",
        "user_id": 7,
        "username": AWKWARD,
        "role": "professional",
        "organisation_id": None,
        "organisation_name": "Jeugdzorg {Oost} & 'West'",
        "action": "list",
        "purpose": AWKWARD[::-1],
        "ip_address": None,
        "user_agent": AWKWARD,
        "api_client": "",
    }
    members = log._Members(shared)
    for fields in (
        {"person_id": 12, "person_pseudonym": "P-K7QX", "object_type": "person", "object_id": ""},
        {"person_id": None, "person_pseudonym": "", "object_type": "", "object_id": AWKWARD},
        {"person_id": 2**40, "person_pseudonym": "P-2", "object_type": "{}", "object_id": "%"},
    ):
        for prev_hash in (log.GENESIS_HASH, "ab" * 32):
            content = {**shared, **fields, "prev_hash": prev_hash}
            assert set(content) == set(log.HASHED_FIELDS)
            assert members.message(prev_hash, fields) == log._serialised(prev_hash, content)

    # A bulk write with such text: every stored entry matches its hash, the chain holds.
    organisation = factories.organisation("Zorg {Oost} \u2028 é")
    user = django_user_model.objects.create_user("ineke{}")
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    actor = Actor(user=user, membership=membership, ip_address="::1", user_agent=AWKWARD)
    reads = [
        (SimpleNamespace(pk=n, pseudonym=f"P-{n}"), "person", AWKWARD if n % 2 else n)
        for n in range(30)
    ] + [(None, "", "")]
    with transaction.atomic():
        written = log.write_many(actor, Action.LIST, reads, purpose=AWKWARD)
    key = log.signing_key()
    stored = list(AccessLogEntry.objects.order_by("id"))
    assert [e.entry_hash for e in stored] == [row["entry_hash"] for row in written]
    assert all(log.entry_hash(e, key) == e.entry_hash for e in stored)
    assert verify_log() == []


@pytest.mark.django_db
def test_the_log_table_has_only_the_indexes_its_reads_use():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, AccessLogEntry._meta.db_table
        )
    indexed = sorted(
        tuple(c["columns"])
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    # Besides the id (the primary key: the chain's order), a person's entries ("wie heeft
    # dit ingezien", the access request).
    assert indexed == [("person_id",)]
