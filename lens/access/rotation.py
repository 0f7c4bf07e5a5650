"""Master key rotation: re-wrap every person's data key under the current master key.

Envelope encryption (`lens.access.crypto`) makes this cheap and safe: only the 32-byte
data key of each identity is decrypted and re-encrypted; the identity ciphertext and its
nonce stay as they are, and no identity is ever decrypted.
"""

from __future__ import annotations

from django.db import transaction

from lens.access import crypto
from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind
from lens.data.registry import Person

_SEALED_FIELDS = (
    "identity_key_id",
    "identity_wrapped_key",
    "identity_nonce",
    "identity_ciphertext",
)


def rotate_identity_keys(batch_size: int = 500, *, by: Operator | None = None) -> int:
    """Re-wrap the data key of every Person not yet under the current key; return how many.

    Works in batches of `batch_size`, each in its own transaction, so a large registry
    does not hold one long transaction and an interrupted run can simply be started again
    (rows already done are skipped). Raises crypto.UnknownIdentityKey when a row uses a key
    that is no longer configured; the batches before it stay committed. Each batch leaves
    one audit record (lens.accounts.audit) in its transaction: the key id, how many
    persons and their id range, never an identity.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    current = crypto.current_key_id()
    rotated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = _next_batch(current, after_pk=last_pk, size=batch_size)
            if not batch:
                return rotated
            for person in batch:
                _rewrap_person(person)
            Person.objects.bulk_update(batch, ["identity_key_id", "identity_wrapped_key"])
            audit.record(
                by,
                AuditKind.IDENTITY_KEYS_ROTATED,
                "person",
                "",
                f"{len(batch)} data key(s) re-wrapped under {current!r}, "
                f"person ids {batch[0].pk}-{batch[-1].pk}",
            )
        rotated += len(batch)
        last_pk = batch[-1].pk


def _next_batch(current_key_id: str, *, after_pk: int, size: int) -> list[Person]:
    # Walking by primary key (not OFFSET) stays correct while rows leave the selection;
    # the row locks keep a concurrent correction from writing an old wrapped key back.
    return list(
        Person.objects.select_for_update()
        .filter(pk__gt=after_pk)
        .exclude(identity_key_id=current_key_id)
        .order_by("pk")
        .only("pk", *_SEALED_FIELDS)[:size]
    )


def _rewrap_person(person: Person) -> None:
    sealed = crypto.rewrap(sealed_of(person))
    person.identity_key_id = sealed.key_id
    person.identity_wrapped_key = sealed.wrapped_key


def sealed_of(person: Person) -> crypto.Sealed:
    """The person's stored identity as a Sealed (PostgreSQL returns memoryviews: copy)."""
    return crypto.Sealed(
        key_id=person.identity_key_id,
        wrapped_key=bytes(person.identity_wrapped_key),
        nonce=bytes(person.identity_nonce),
        ciphertext=bytes(person.identity_ciphertext),
    )
