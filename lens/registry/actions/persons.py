"""Persons: registering one (or finding them known already), a person with a first
observation as one action, and revealing the identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.crypto import Identity, seal_identity
from lens.access.matchkeys import bsn_is_valid, match_keys
from lens.access.models import Action
from lens.access.names import has_letter
from lens.access.reveal import reveal_identity  # noqa: F401 - re-exported (lens.registry.actions)
from lens.catalogue import services
from lens.coordination import actions as coordination
from lens.coordination import matching
from lens.data import pseudonyms
from lens.data.registry import (
    Organisation,
    Person,
    Registration,
)
from lens.registry import area_fields, rules

if TYPE_CHECKING:
    from lens.access.actor import Actor
from lens.registry.actions import registrations
from lens.registry.actions.observations import (
    KNOWN_ALREADY,
    purpose_text,
    validate_observation,
)

# --- persons ---------------------------------------------------------------------------


# What register_person does when the organisation has a person without a BSN with the
# same name and birth date (and the new identity has no BSN either): two people can share
# both, so only the user can say whether it is the same person.
ASK = "ask"  # raise PossiblySamePerson: nothing is written, the caller asks the user
SAME = "same"  # the same person: return the known one (the earliest, if several)
DIFFERENT = "different"  # a different person: register a new one
NAME_MATCH_CHOICES = (ASK, SAME, DIFFERENT)


class PossiblySamePerson(Exception):
    """The organisation has a person (or several) with the same name and birth date and
    no BSN; the user must say whether this is the same person (name_match=SAME) or a
    different one (name_match=DIFFERENT). Nothing was written or logged."""

    def __init__(self, persons: list[Person]):
        super().__init__("possibly the same person as " + ", ".join(p.pseudonym for p in persons))
        self.persons = persons


def register_person(
    actor: Actor, identity: Identity, *, purpose: str, name_match: str = ASK
) -> tuple[Person, bool]:
    """Register a person in the actor's organisation; returns (person, created).

    When the organisation already knows the person by the same BSN, that person is
    returned with created=False: "known in your organisation". Without a BSN, a person
    with the same normalised name and birth date (and no BSN) may be someone else:
    `name_match` says what to do (ASK raises PossiblySamePerson, SAME returns the known
    person, DIFFERENT registers a new one). The identity is sealed with the new pseudonym
    as associated data, so a sealed identity cannot be moved to another person's row.

    The look-up and the insert run under a lock on the organisation's row (FOR NO KEY
    UPDATE on PostgreSQL, so inserts that refer to the organisation are not held up; SQLite
    serialises writers anyway): two registrations of the same identity at the same moment
    find each other instead of creating two persons.
    """
    if name_match not in NAME_MATCH_CHOICES:
        raise ValueError(f"name_match must be one of {NAME_MATCH_CHOICES}")
    if not policy.may(actor, Action.CREATE):
        raise PermissionDenied
    identity = rules.normalised_identity(identity)
    check_identity(identity)
    bsn_key, name_key = match_keys(identity)
    with transaction.atomic():
        lock_organisation(actor)
        if bsn_key or name_match != DIFFERENT:
            existing = _known_persons(actor, bsn_key, name_key)
            if existing and not bsn_key and name_match == ASK:
                raise PossiblySamePerson(existing)
            if existing:
                return _known_already(actor, existing[0], purpose), False
        person = _create_person(actor, identity, bsn_key, name_key)
        if person is None:  # the same BSN was registered at the same moment
            existing = _known_persons(actor, bsn_key, name_key)
            return _known_already(actor, existing[0], purpose), False
        log.record(
            actor,
            Action.CREATE,
            person=person,
            object_type="person",
            object_id=person.pk,
            purpose=purpose,
        )
        coordination.after_new_person(person, identity)
        return person, True


def lock_organisation(actor: Actor) -> None:
    Organisation.objects.select_for_update(no_key=True).filter(pk=actor.organisation_id).get()


def _known_already(actor: Actor, person: Person, purpose: str) -> Person:
    """The organisation knows the person already: answering with them is a read."""
    log.record(
        actor,
        Action.READ,
        person=person,
        object_type="person",
        purpose=purpose_text(purpose, KNOWN_ALREADY),
    )
    return person


def check_identity(identity: Identity) -> None:
    """The identity's rules (lens.registry.rules): names with a letter, without control
    or invisible formatting characters and at most NAME_MAX characters, a plausible birth
    date, a BSN passing the 11-test. Raises ValidationError per field. The one place these
    rules live: the pages and the API both come here."""
    identity = rules.normalised_identity(identity)
    errors: dict[str, list[Any]] = {}
    no_letter = ValidationError(_("Write the name with at least one letter."), code="no_letter")
    too_long = ValidationError(
        _("Keep this to %(limit_value)d characters."),
        code="max_length",
        params={"limit_value": rules.NAME_MAX},
    )
    if not identity.given_names.strip():
        errors["given_names"] = [_("Fill in the given names.")]
    elif not has_letter(identity.given_names):
        errors["given_names"] = [no_letter]
    elif rules.has_control_character(identity.given_names):
        errors["given_names"] = [rules.control_character_error()]
    elif len(identity.given_names) > rules.NAME_MAX:
        errors["given_names"] = [too_long]
    if not identity.family_name.strip():
        errors["family_name"] = [_("Fill in the family name.")]
    elif not has_letter(identity.family_name):
        errors["family_name"] = [no_letter]
    elif rules.has_control_character(identity.family_name):
        errors["family_name"] = [rules.control_character_error()]
    elif len(identity.family_name) > rules.NAME_MAX:
        errors["family_name"] = [too_long]
    try:
        rules.check_birth_date(identity.birth_date)
    except ValidationError as error:
        errors["birth_date"] = [error]
    if identity.bsn and not bsn_is_valid(identity.bsn):
        errors["bsn"] = [
            ValidationError(
                _("This is not a valid BSN: it must be 9 digits and pass the 11-test."),
                code="invalid_bsn",
            )
        ]
    if errors:
        raise ValidationError(errors)


def _known_persons(actor: Actor, bsn_key: str, name_key: str) -> list[Person]:
    """The organisation's persons with the same BSN, or (without a BSN) the persons without
    a BSN with the same name and birth date, earliest first."""
    persons = Person.objects.filter(organisation_id=actor.organisation_id).order_by("pk")
    if bsn_key:
        return list(persons.filter(bsn_match_key=bsn_key)[:1])
    if not name_key:  # names that normalise to nothing never match
        return []
    return list(persons.filter(bsn_match_key="", name_match_key=name_key))


def _create_person(actor: Actor, identity: Identity, bsn_key: str, name_key: str):
    """Insert the person under a fresh pseudonym; None when the BSN is already taken."""
    for pseudonym in pseudonyms.candidates():
        sealed = seal_identity(identity, pseudonym.encode())
        try:
            with transaction.atomic():  # a savepoint: a collision must not end the outer one
                return Person.objects.create(
                    pseudonym=pseudonym,
                    organisation=actor.organisation,
                    created_by=actor.author(),
                    identity_key_id=sealed.key_id,
                    identity_wrapped_key=sealed.wrapped_key,
                    identity_nonce=sealed.nonce,
                    identity_ciphertext=sealed.ciphertext,
                    bsn_match_key=bsn_key,
                    name_match_key=name_key,
                    birth_year=identity.birth_date.year,
                    **matching.block_keys(identity),
                )
        except IntegrityError:
            if bsn_key and _known_persons(actor, bsn_key, name_key):
                return None
            if not Person.objects.filter(pseudonym=pseudonym).exists():
                raise
    raise RuntimeError("no free pseudonym found")  # pragma: no cover (32**12 of them)


@dataclass(frozen=True)
class NewRegistration:
    """What register_new did: the person (new, or known already) and the registration of
    the first observation (None when there was none)."""

    person: Person
    created: bool
    registration: Registration | None


def register_new(
    actor: Actor,
    identity: Identity,
    observation: dict[str, Any] | None = None,
    *,
    purpose: str,
    name_match: str = ASK,
) -> NewRegistration:
    """A person with a first observation, as ONE action: both parts are checked before
    anything is written, and both are written in one transaction, so that a refusal of
    either part leaves no person, no identity and no log entry behind.

    `observation` holds register_signals' keyword arguments. A ValidationError names each
    field with its part: "identity.birth_date", "registration.observed_on" (the API shows
    these paths; the web form puts each message at its field). PossiblySamePerson as in
    register_person: nothing is written."""
    errors: dict[str, list[Any]] = {}
    try:
        check_identity(identity)
    except ValidationError as error:
        errors.update(prefixed("identity", error))
    if observation is not None:
        catalogue, _ruleset = services.active()
        born_in = identity.birth_date.year
        signals = {k: v for k, v in observation.items() if k not in area_fields.ANSWERS}
        where = {k: v for k, v in observation.items() if k in area_fields.ANSWERS}
        try:
            validate_observation(catalogue, **signals, born_in=born_in)
        except ValidationError as error:
            errors.update(prefixed("registration", error))
        try:
            area_fields.where(catalogue, region=actor.region, **where)
        except ValidationError as error:
            errors.update(prefixed("registration", error))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person, created = register_person(actor, identity, purpose=purpose, name_match=name_match)
        registration = None
        if observation is not None:
            try:
                registration = registrations.register_signals(actor, person, **observation)
            except ValidationError as error:  # e.g. a known person born later than typed
                raise ValidationError(prefixed("registration", error)) from error
    return NewRegistration(person, created, registration)


def prefixed(part: str, error: ValidationError) -> dict[str, list[Any]]:
    """An actions-layer ValidationError's messages keyed by "part.field" ("part" for an
    error about the part as a whole)."""
    if not hasattr(error, "error_dict"):
        return {part: list(error.error_list)}
    return {
        (part if name == "__all__" else f"{part}.{name}"): list(errors)
        for name, errors in error.error_dict.items()
    }
