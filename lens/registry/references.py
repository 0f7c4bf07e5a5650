"""The organisation's own reference (eigen kenmerk) of a person: its rules and its writes.

An organisation often knows its clients by a number of its own (a client, file or
tenant number). Giving it to a person lets a professional find the person again without
a name. It is personal data like the identity, so it is stored the same way:

- sealed with the data key of the person's identity (lens.access.crypto.seal_beside),
  bound to the pseudonym and a label of its own, so key rotation covers it and the
  ciphertext opens nowhere else;
- found by a keyed hash (HMAC with the match-key secret under a label of its own) of the
  normalised reference *and the organisation*: the same number at two organisations
  gives two unrelated hashes, so references never link persons across organisations;
- never in plain text in the database, the access log or an error message.

Normalised for the hash by `normalise`, the one rule storing and searching share:
Unicode-compatible forms folded (NFKC), case folded, every space and every dash (hyphen,
en dash, ...) removed, so "KL 2024-0012 ", "kl2024-0012" and "KL-2024 0012" are one
reference. The reference is shown as it was written (trimmed, runs of spaces made one).
Hashes stored under the earlier rule (dashes kept) were recomputed from the sealed
reference by migration registry 0008.

Not unique: a household or tenant number may cover several persons, and two records of
one person may both carry it; a search then finds them all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lens.access import crypto, log, matchkeys, policy
from lens.access.models import Action
from lens.access.rotation import sealed_of
from lens.data.registry import Person
from lens.registry import actions

if TYPE_CHECKING:
    from lens.access.actor import Actor

REFERENCE_MAX = 64  # characters, as written (trimmed)
# Domain separation: the hash of a reference is never equal to a name or BSN match key.
HASH_LABEL = "eigen-kenmerk"
_AAD_LABEL = b"|eigen-kenmerk"
_FIELDS = ("reference_nonce", "reference_ciphertext", "reference_key")

# Purposes in the access log (Dutch, as every purpose).
PURPOSE_SET = "eigen kenmerk vastleggen"
PURPOSE_CLEARED = "eigen kenmerk verwijderen"


@dataclass(frozen=True, repr=False)
class Reference:
    shown: str  # as written: trimmed, runs of spaces made one
    normalised: str  # what the hash is made of

    def __repr__(self) -> str:
        return "Reference(<redacted>)"  # never in a traceback or a log line


def normalise(value: str) -> str:
    """The form every way of writing one reference shares: NFKC, case folded, without
    spaces and without dashes (Unicode category Pd: hyphen-minus, U+2010 hyphen, en
    dash, ...). The only place this rule lives: storing (`search_key` via `parse`) and
    searching (lens.registry.search) both use it."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Pd")


def parse(value: str | None, *, field: str = "reference") -> Reference | None:
    """The reference in `value`, None when it is empty; ValidationError (at `field`) when
    it is too long, holds characters that cannot be typed (control characters) or has no
    letter or digit (only dashes would hash to the empty reference)."""
    shown = " ".join((value or "").split())
    if not shown:
        return None
    if len(shown) > REFERENCE_MAX:
        raise ValidationError(
            {field: [_("Keep the own reference to %(max)s characters.") % {"max": REFERENCE_MAX}]}
        )
    if not shown.isprintable():
        raise ValidationError(
            {field: [_("Use only letters, digits, spaces and punctuation in the own reference.")]}
        )
    normalised = normalise(shown)
    if not any(c.isalnum() for c in normalised):
        raise ValidationError(
            {field: [_("Use at least one letter or digit in the own reference.")]}
        )
    return Reference(shown=shown, normalised=normalised)


def search_key(organisation_id: int, reference: Reference) -> str:
    """The keyed hash of `reference` at one organisation (Person.reference_key)."""
    return matchkeys.keyed(HASH_LABEL, f"{organisation_id}:{reference.normalised}")


def _aad(person: Person) -> bytes:
    return person.pseudonym.encode() + _AAD_LABEL


def opened(person: Person) -> str:
    """The person's own reference as written, or "". Only for a person the caller read
    through the policy (its read is logged): the person page of the own organisation."""
    if not person.reference_key:
        return ""
    return crypto.open_beside(
        sealed_of(person), person.reference_nonce, person.reference_ciphertext, _aad(person)
    )


# --- writes ------------------------------------------------------------------------------


def set_reference(actor: Actor, person: Person, value: str | None) -> bool:
    """Give the person (of the actor's organisation) the own reference in `value`, or
    take it away when `value` is empty; recorded in the access log. Returns whether a
    reference is set now. ValidationError when it is not a valid reference or changes
    nothing."""
    reference = parse(value)
    if not policy.may(actor, Action.CHANGE):
        raise PermissionDenied
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        policy.check(actor, person, Action.CHANGE)
        if reference is None and not person.reference_key:
            raise ValidationError(
                {"reference": [_("Nothing was changed: this person has no own reference.")]},
            )
        if reference is not None and opened(person) == reference.shown:
            raise ValidationError(
                {"reference": [_("Nothing was changed: this is the own reference already.")]},
            )
        _store(actor, person, reference)
    return reference is not None


def register_new(
    actor: Actor,
    identity: crypto.Identity,
    observation: dict,
    reference: str | None,
    *,
    purpose: str,
    name_match: str = actions.ASK,
) -> actions.NewRegistration:
    """`lens.registry.actions.register_new` (a person with a first observation) with an own
    reference, in one transaction: all of it or nothing.

    A new person gets the reference. A person the organisation knew already gets it when
    they have none; one with another reference keeps theirs (the person's page shows it
    and changes it): a registration does not silently replace a client number.
    """
    parsed = parse(reference, field="identity.reference")  # before anything is written
    with transaction.atomic():
        done = actions.register_new(
            actor, identity, observation, purpose=purpose, name_match=name_match
        )
        if parsed is not None and (done.created or not done.person.reference_key):
            _store(actor, done.person, parsed)
    return done


def _store(actor: Actor, person: Person, reference: Reference | None) -> None:
    """Write the sealed reference and its hash (or clear both), with the log entry. Call
    inside a transaction."""
    policy.check(actor, person, Action.CHANGE)
    if reference is None:
        person.reference_nonce, person.reference_ciphertext, person.reference_key = b"", b"", ""
    else:
        nonce, ciphertext = crypto.seal_beside(sealed_of(person), reference.shown, _aad(person))
        person.reference_nonce, person.reference_ciphertext = nonce, ciphertext
        person.reference_key = search_key(person.organisation_id, reference)
    person.save(update_fields=list(_FIELDS))
    log.record(
        actor,
        Action.CHANGE,
        person=person,
        object_type="reference",
        object_id=person.pk,
        purpose=PURPOSE_SET if reference is not None else PURPOSE_CLEARED,
    )
