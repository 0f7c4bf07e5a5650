"""Every write of registry data, each in one transaction with its access-log record.

Views and the API call these functions; they never save registry models themselves.
Each function checks the access policy again (so no caller can skip it), validates its
input against the active catalogue (raising ValidationError with Dutch messages per
field), writes, records the write in the access log and recomputes the person's
outcome, all inside one `transaction.atomic()`: if any part fails, nothing is written.

History is append-only: a correction is a new Registration version, a withdrawal is a
Withdrawal record with a reason, a new outcome is a new PersonOutcome row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.crypto import Identity, bsn_is_valid, match_keys, open_identity, seal_identity
from lens.access.models import Action
from lens.access.names import has_letter
from lens.access.rotation import sealed_of
from lens.catalogue import services
from lens.coordination import actions as coordination
from lens.coordination import combined, matching
from lens.data import pseudonyms, queries
from lens.data.registry import (
    HowLearned,
    InformedNotice,
    InformedWho,
    Organisation,
    Person,
    PersonOutcome,
    Registration,
    Withdrawal,
)
from lens.registry import area_fields
from lens.rules import report
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset

if TYPE_CHECKING:
    from lens.access.actor import Actor

# The fields a correction may change (everything an observation consists of).
CORRECTABLE = ("signals", "observed_on", "how_learned", "context_note", "risk_factors")
CONTEXT_NOTE_MAX = 4000
REASON_MAX = 2000
# Purposes written to the access log by the actions themselves. The log is one record,
# read in Dutch (also for AVG access requests), so these are Dutch whatever the page's
# language.
KNOWN_ALREADY = "al bekend in de organisatie"
PURPOSE_SIGNALS = "signalen vastleggen"
PURPOSE_INFORMED = "vastleggen of de persoon is geïnformeerd"


@dataclass(frozen=True)
class Observed:
    """What one registration says: validated, with codes in catalogue order."""

    signals: list[str]
    observed_on: date
    how_learned: str
    context_note: str
    risk_factors: list[str]


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
    _check_identity(identity)
    bsn_key, name_key = match_keys(identity)
    with transaction.atomic():
        _lock_organisation(actor)
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


def _lock_organisation(actor: Actor) -> None:
    Organisation.objects.select_for_update(no_key=True).filter(pk=actor.organisation_id).get()


def _known_already(actor: Actor, person: Person, purpose: str) -> Person:
    """The organisation knows the person already: answering with them is a read."""
    log.record(
        actor,
        Action.READ,
        person=person,
        object_type="person",
        purpose=_purpose(purpose, KNOWN_ALREADY),
    )
    return person


def _check_identity(identity: Identity) -> None:
    errors: dict[str, list[Any]] = {}
    no_letter = ValidationError(_("Write the name with at least one letter."), code="no_letter")
    if not identity.given_names.strip():
        errors["given_names"] = [_("Fill in the given names.")]
    elif not has_letter(identity.given_names):
        errors["given_names"] = [no_letter]
    if not identity.family_name.strip():
        errors["family_name"] = [_("Fill in the family name.")]
    elif not has_letter(identity.family_name):
        errors["family_name"] = [no_letter]
    if identity.birth_date > timezone.localdate():
        errors["birth_date"] = [_("The birth date lies in the future.")]
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


def reveal_identity(actor: Actor, person: Person, purpose: str) -> Identity:
    """Open the person's sealed identity for `purpose` (required), and log the reveal."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Say why you need to see the identity.")]})
    _check_length("purpose", purpose, 500)
    with transaction.atomic():
        policy.check(actor, person, Action.REVEAL)
        log.record(actor, Action.REVEAL, person=person, object_type="identity", purpose=purpose)
        return open_identity(sealed_of(person), person.pseudonym.encode())


# --- registrations -----------------------------------------------------------------------


def register_signals(
    actor: Actor,
    person: Person,
    *,
    signals: Iterable[str],
    observed_on: date | None,
    how_learned: str,
    context_note: str = "",
    risk_factors: Iterable[str] = (),
    purpose: str = PURPOSE_SIGNALS,
    **where: Any,
) -> Registration:
    """Register one observation (one or more signals) about a person of the organisation.
    `where`: the area and phenomena for the local picture (lens.registry.area_fields)."""
    catalogue, ruleset = services.active()
    place = area_fields.where(catalogue, region=person.organisation.region, **where)
    observed = _validate(
        catalogue,
        signals=signals,
        observed_on=observed_on,
        how_learned=how_learned,
        context_note=context_note,
        risk_factors=risk_factors,
        born_in=person.birth_year,
    )
    with transaction.atomic():
        policy.check(actor, person, Action.CREATE)
        registration = _save_registration(actor, person, observed, catalogue.version, place)
        log.record(
            actor,
            Action.CREATE,
            person=person,
            object_type="registration",
            object_id=registration.pk,
            purpose=purpose,
        )
        recompute_outcome(person, versions=(catalogue, ruleset))
    return registration


def correctable_values(registration: Registration) -> dict[str, Any]:
    """The fields a correction may change, as the registration holds them now."""
    return {name: getattr(registration, name) for name in CORRECTABLE}


def correct_registration(actor: Actor, registration: Registration, **changes: Any) -> Registration:
    """Add a new version of a current registration with `changes`; the old one stays."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise TypeError(f"correct_registration() cannot change {', '.join(unknown)}")
    catalogue, ruleset = services.active()
    current = correctable_values(registration)
    observed = _validate(
        catalogue, **{**current, **changes}, born_in=registration.person.birth_year
    )
    with transaction.atomic():
        person = _locked_person(registration)
        policy.check(actor, person, Action.CHANGE)
        _require_current(registration)
        if observed == _validate_stored(registration):
            raise ValidationError(
                _("Nothing was changed: the correction equals the registration."), code="unchanged"
            )
        corrected = _save_registration(
            actor,
            person,
            observed,
            catalogue.version,
            version=registration.version + 1,
            supersedes=registration,
        )
        log.record(
            actor,
            Action.CHANGE,
            person=person,
            object_type="registration",
            object_id=corrected.pk,
            purpose=f"correctie van registratie {registration.pk}",
        )
        recompute_outcome(person, versions=(catalogue, ruleset))
    return corrected


def withdraw_registration(actor: Actor, registration: Registration, reason: str) -> Withdrawal:
    """Withdraw a current registration, with a reason (required); nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for withdrawing.")]})
    _check_length("reason", reason, REASON_MAX)
    with transaction.atomic():
        person = _locked_person(registration)
        policy.check(actor, person, Action.WITHDRAW)
        _require_current(registration)
        withdrawal = Withdrawal.objects.create(
            registration=registration, reason=reason, withdrawn_by=actor.author()
        )
        log.record(
            actor,
            Action.WITHDRAW,
            person=person,
            object_type="registration",
            object_id=registration.pk,
            # Not the reason itself: the log is kept longer than the registration, and
            # free text may hold more about the person than the log should.
            purpose="intrekking",
        )
        recompute_outcome(person)
    return withdrawal


def record_informed(
    actor: Actor,
    person: Person,
    *,
    informed: bool,
    informed_on: date | None = None,
    who: str = "",
    reason_not: str = "",
) -> InformedNotice:
    """Record whether and when the person (under 16: the parents) was told, or why not."""
    errors: dict[str, list[str]] = {}
    reason_not = (reason_not or "").strip()
    if informed:
        if informed_on is None:
            errors["informed_on"] = [_("Fill in when they were informed.")]
        elif informed_on > timezone.localdate():
            errors["informed_on"] = [_("This date lies in the future.")]
        if who not in InformedWho.values:
            errors["who"] = [_("Choose who was informed.")]
        reason_not = ""
    else:
        if not reason_not:
            errors["reason_not"] = [_("Give the reason for not informing.")]
        informed_on, who = None, ""
    if reason_not:
        _check_length("reason_not", reason_not, REASON_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy.check(actor, person, Action.CHANGE)
        notice = InformedNotice.objects.create(
            person=person,
            informed=informed,
            informed_on=informed_on,
            who=who,
            reason_not=reason_not,
            recorded_by=actor.author(),
        )
        log.record(
            actor,
            Action.CHANGE,
            person=person,
            object_type="informed_notice",
            object_id=notice.pk,
            purpose=PURPOSE_INFORMED,
        )
    return notice


# --- the outcome -------------------------------------------------------------------------


def recompute_outcome(
    person: Person,
    *,
    today: date | None = None,
    versions: tuple[Catalogue, Ruleset] | None = None,
) -> PersonOutcome:
    """Run the lens engine over the organisation's current registrations of the person and
    store the outcome with the catalogue and ruleset versions it used.

    Codes that the active catalogue no longer knows (a newer catalogue dropped them) are
    left out and named in the stored outcome under "not_in_catalogue", rather than making
    the whole outcome fail.
    """
    catalogue, ruleset = versions or services.active()
    today = today or timezone.localdate()
    data, dropped = queries.assessment_input(person, catalogue, today)
    outcome = assess(catalogue, ruleset, data, today=today)
    stored = report.outcome_to_dict(outcome, catalogue, ruleset, "nl")
    stored["not_in_catalogue"] = sorted(dropped)
    with transaction.atomic():
        saved = PersonOutcome.objects.create(
            person=person,
            level=outcome.level.number,
            outcome=stored,
            blind_spots=queries.blind_spots(stored),
            catalogue_version=catalogue.version,
            ruleset_version=ruleset.version,
        )
        combined.refresh(
            person, today=today, versions=(catalogue, ruleset), own=(saved.level, stored)
        )
        return saved


# --- helpers -----------------------------------------------------------------------------


def _validate(
    catalogue: Catalogue,
    *,
    signals: Iterable[str],
    observed_on: date | None,
    how_learned: str,
    context_note: str,
    risk_factors: Iterable[str],
    born_in: int | None = None,
) -> Observed:
    errors: dict[str, list[Any]] = {}
    signal_codes = list(dict.fromkeys(signals or ()))
    risk_codes = list(dict.fromkeys(risk_factors or ()))
    if not signal_codes:
        errors["signals"] = [_("Tick at least one signal.")]
    unknown = [c for c in signal_codes if c not in catalogue.signals]
    if unknown:
        errors.setdefault("signals", []).append(
            _("These signals are not in the catalogue: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    unknown = [c for c in risk_codes if c not in catalogue.risk_factors]
    if unknown:
        errors["risk_factors"] = [
            _("These risk factors are not in the catalogue: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        ]
    if observed_on is None:
        errors["observed_on"] = [_("Fill in the date you observed this.")]
    elif observed_on > timezone.localdate():
        errors["observed_on"] = [_("The date observed lies in the future.")]
    elif born_in is not None and observed_on.year < born_in:
        errors["observed_on"] = [
            ValidationError(
                _("The date observed lies before the person was born."), code="before_birth"
            )
        ]
    if how_learned not in HowLearned.values:
        errors["how_learned"] = [_("Choose how you learned this.")]
    context_note = (context_note or "").strip()
    if len(context_note) > CONTEXT_NOTE_MAX:
        errors["context_note"] = [
            _("Keep the context to %(max)s characters.") % {"max": CONTEXT_NOTE_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    assert observed_on is not None
    return Observed(
        signals=[c for c in catalogue.signals if c in signal_codes],
        observed_on=observed_on,
        how_learned=how_learned,
        context_note=context_note,
        risk_factors=[c for c in catalogue.risk_factors if c in risk_codes],
    )


def _validate_stored(registration: Registration) -> Observed:
    """A stored registration in the same shape, to see whether a correction changes it."""
    catalogue, _ruleset = services.active()
    order = {c: i for i, c in enumerate(catalogue.signals)}
    risk_order = {c: i for i, c in enumerate(catalogue.risk_factors)}
    return Observed(
        signals=sorted(registration.signals, key=lambda c: order.get(c, len(order))),
        observed_on=registration.observed_on,
        how_learned=registration.how_learned,
        context_note=registration.context_note,
        risk_factors=sorted(
            registration.risk_factors, key=lambda c: risk_order.get(c, len(risk_order))
        ),
    )


def _save_registration(
    actor: Actor,
    person: Person,
    observed: Observed,
    catalogue_version: str,
    place: area_fields.Where | None = None,
    *,
    version: int = 1,
    supersedes: Registration | None = None,
) -> Registration:
    if place is None:  # a correction keeps where the person lives and the phenomena
        place = area_fields.kept(supersedes) if supersedes else area_fields.Where()
    return Registration.objects.create(
        **place.fields(),
        person=person,
        organisation_id=person.organisation_id,
        author=actor.author(),
        observed_on=observed.observed_on,
        how_learned=observed.how_learned,
        context_note=observed.context_note,
        signals=observed.signals,
        risk_factors=observed.risk_factors,
        catalogue_version=catalogue_version,
        version=version,
        supersedes=supersedes,
    )


def _locked_person(registration: Registration) -> Person:
    """The registration's person, locked so that two corrections cannot race (PostgreSQL;
    SQLite serialises writers anyway)."""
    return (
        Person.objects.select_for_update()
        .select_related("organisation")
        .get(pk=registration.person_id)
    )


def _require_current(registration: Registration) -> None:
    reason = queries.why_not_current(registration)
    if reason == "corrected":
        raise ValidationError(
            _("This registration was corrected already; correct or withdraw the newest version.")
        )
    if reason == "withdrawn":
        raise ValidationError(_("This registration was withdrawn already."))


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationError({field: [_("Keep this to %(max)s characters.") % {"max": limit}]})


def _purpose(*parts: str) -> str:
    return ": ".join(p for p in parts if p)
