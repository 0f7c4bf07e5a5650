"""The keyed blocking keys of the fuzzy match rule, and opening the few identities that
share one.

The four blocks of lens.coordination.similarity.blocks are stored on each Person as
HMAC keys (`block_keys`, under the match secret of lens.access.crypto, each with its own
purpose for domain separation), so the database holds no names or birth dates, and a
look-up is an equality on indexed columns. Records that share a key are compared by the
rule; only those are ever opened, in memory (`open_rows`).

When the blocks change (a new rule, or a registry that predates them),
`rebuild_block_keys` recomputes every record's keys from its identity:
`lens matching rebuild-keys`, and registry migration 0009.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from lens.access import crypto, matchkeys
from lens.access.crypto import Identity
from lens.access.names import name_parts
from lens.access.rotation import sealed_of
from lens.coordination import similarity
from lens.data.registry import Person

BLOCK_FIELDS = (
    "block_date_given_key",
    "block_date_family_key",
    "block_names_key",
    "block_year_names_key",
)
_BLOCK_PURPOSES = ("block-date-given", "block-date-family", "block-names", "block-year-names")
# What opening a record for the comparison needs, and no more (no model instances).
_OPEN_FIELDS = (
    "pk",
    "pseudonym",
    "organisation_id",
    "bsn_match_key",
    "identity_key_id",
    "identity_wrapped_key",
    "identity_nonce",
    "identity_ciphertext",
)


def comparable(identity: Identity) -> similarity.Comparable:
    given, family, core = name_parts(identity.given_names, identity.family_name)
    return similarity.Comparable(given, family, core, identity.birth_date)


def block_keys(identity: Identity) -> dict[str, str]:
    """The keyed blocking keys of an identity, by Person field name ("" for an empty
    block, which matches nothing)."""
    values = similarity.blocks(comparable(identity))
    return {
        field: matchkeys.keyed(purpose, value) if value else ""
        for field, purpose, value in zip(BLOCK_FIELDS, _BLOCK_PURPOSES, values, strict=True)
    }


def open_person(person: Person) -> Identity:
    """The identity, opened in memory for the comparison only (never shown or logged)."""
    return crypto.open_identity(sealed_of(person), person.pseudonym.encode())


@dataclass(frozen=True)
class Opened:
    """A record opened for the comparison: what the batch run needs of it."""

    pk: int
    organisation_id: int
    has_bsn: bool
    comparable: similarity.Comparable


def open_rows(pks: Iterable[int], batch: int = 2000) -> dict[int, Opened]:
    """The records `pks`, opened in memory, by pk: read as plain rows, in batches."""
    pks = sorted(set(pks))
    opened = {}
    for start in range(0, len(pks), batch):
        rows = list(
            Person.objects.filter(pk__in=pks[start : start + batch]).values_list(*_OPEN_FIELDS)
        )
        identities = crypto.open_identities(
            (
                crypto.Sealed(key_id, bytes(wrapped), bytes(nonce), bytes(ciphertext)),
                pseudonym.encode(),
            )
            for _pk, pseudonym, _org, _bsn, key_id, wrapped, nonce, ciphertext in rows
        )
        for row, identity in zip(rows, identities, strict=True):
            pk, _pseudonym, organisation_id, bsn_key = row[:4]
            opened[pk] = Opened(pk, organisation_id, bool(bsn_key), comparable(identity))
    return opened


def rebuild_block_keys(batch: int = 500, person_model=Person) -> int:
    """Recompute the blocking keys of every record from its identity; returns how many
    changed. In batches, each in its own transaction (a large registry holds no long
    lock; an interrupted run is simply started again). `person_model` lets a migration
    pass its historical model."""
    changed = 0
    last_pk = 0
    fields = ("pk", "pseudonym", *_OPEN_FIELDS[4:], *BLOCK_FIELDS)
    while True:
        with transaction.atomic():
            rows = list(
                person_model.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only(*fields)[:batch]
            )
            if not rows:
                return changed
            updated = []
            for person in rows:
                keys = block_keys(open_person(person))
                if any(getattr(person, field) != value for field, value in keys.items()):
                    for field, value in keys.items():
                        setattr(person, field, value)
                    updated.append(person)
            if updated:
                person_model.objects.bulk_update(updated, list(BLOCK_FIELDS))
            changed += len(updated)
        last_pk = rows[-1].pk
