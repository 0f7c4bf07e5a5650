"""Registrations: one observation, its corrections (new versions), withdrawals, and
whether the person was informed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy, purposes
from lens.access.models import Action
from lens.catalogue import services
from lens.data.registry import (
    InformedNotice,
    InformedWho,
    Person,
    Registration,
    Withdrawal,
)
from lens.registry import area_fields, rules

if TYPE_CHECKING:
    from lens.access.actor import Actor
from lens.registry.actions.observations import (
    CORRECTABLE,
    PURPOSE_INFORMED,
    PURPOSE_SIGNALS,
    locked_person,
    require_current,
    save_registration,
    validate_observation,
    validate_stored,
)
from lens.registry.actions.outcomes import recompute_outcome

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
    observed = validate_observation(
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
        registration = save_registration(actor, person, observed, catalogue.version, place)
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
    """The fields a correction may change, as the registration holds them now; retired
    signal codes as what replaced them (the form offers only current codes)."""
    values = {name: getattr(registration, name) for name in CORRECTABLE}
    catalogue, _ruleset = services.active()
    codes = catalogue.current_codes(registration.signals, registration.risk_factors)
    values["signals"] = list(codes.signals)
    values["risk_factors"] = list(codes.risk_factors)
    return values


def correct_registration(actor: Actor, registration: Registration, **changes: Any) -> Registration:
    """Add a new version of a current registration with `changes`; the old one stays."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise TypeError(f"correct_registration() cannot change {', '.join(unknown)}")
    catalogue, ruleset = services.active()
    current = correctable_values(registration)
    observed = validate_observation(
        catalogue, **{**current, **changes}, born_in=registration.person.birth_year
    )
    with transaction.atomic():
        person = locked_person(registration)
        policy.check(actor, person, Action.CHANGE)
        require_current(registration)
        if observed == validate_stored(registration):
            raise ValidationError(
                _("Nothing was changed: the correction equals the registration."), code="unchanged"
            )
        corrected = save_registration(
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
    reason = purposes.said(
        reason,
        field="reason",
        limit=rules.REASON_MAX,
        required=_("Give the reason for withdrawing."),
    )
    with transaction.atomic():
        person = locked_person(registration)
        policy.check(actor, person, Action.WITHDRAW)
        require_current(registration)
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
        try:
            reason_not = purposes.said(
                reason_not,
                field="reason_not",
                limit=rules.REASON_MAX,
                required=_("Give the reason for not informing."),
            )
        except ValidationError as error:
            errors.update(error.error_dict)
        informed_on, who = None, ""
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
