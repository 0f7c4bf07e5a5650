"""What one observation is, checked against the catalogue, and the helpers the registry's
actions share (public: lens.registry.actions.persons and .registrations use them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lens.access import purposes
from lens.catalogue import services
from lens.data import queries
from lens.data.registry import (
    HowLearned,
    Person,
    Registration,
)
from lens.registry import area_fields, rules
from lens.rules.model import Catalogue

if TYPE_CHECKING:
    from lens.access.actor import Actor


# The fields a correction may change (everything an observation consists of).
CORRECTABLE = ("signals", "observed_on", "how_learned", "context_note", "risk_factors")
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


# --- helpers -----------------------------------------------------------------------------


def validate_observation(
    catalogue: Catalogue,
    *,
    signals: Iterable[str],
    observed_on: date | None,
    how_learned: str,
    context_note: str,
    risk_factors: Iterable[str],
    born_in: int | None = None,
) -> Observed:
    signal_codes, risk_codes, errors = observed_codes(catalogue, signals, risk_factors)
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
    # Invisible characters go (lens.access.purposes.said): a note of zero-width spaces is none.
    context_note = purposes.said(context_note, field="context_note", limit=10**9, required=None)
    if len(context_note) > rules.CONTEXT_NOTE_MAX:
        errors["context_note"] = [
            _("Keep the context to %(max)s characters.") % {"max": rules.CONTEXT_NOTE_MAX}
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


def observed_codes(
    catalogue: Catalogue, signals: Iterable[str], risk_factors: Iterable[str]
) -> tuple[list[str], list[str], dict[str, list[Any]]]:
    """The signal and risk-factor codes of one observation as the registry takes them:
    a retired code read as what replaced it (an older client, or the check's answers
    taken over from an older page), unknown codes and the check-only question ("Is there
    direct danger now?") refused. Returns the codes taken (as given, without duplicates)
    and the errors per field (empty when all were taken). `validate_observation` and the
    form prefilled from the check (lens.registry.from_check) apply these same rules."""
    errors: dict[str, list[Any]] = {}
    given_signals = list(dict.fromkeys(signals or ()))
    given_risks = list(dict.fromkeys(risk_factors or ()))
    # A retired code (an older client) is stored as what replaced it; unknown codes are
    # refused.
    codes = catalogue.current_codes(given_signals, given_risks)
    signal_codes, risk_codes = list(codes.signals), list(codes.risk_factors)
    if not signal_codes:
        errors["signals"] = [_("Tick at least one signal.")]
    unknown = [c for c in given_signals if c in codes.dropped]
    if unknown:
        errors.setdefault("signals", []).append(
            _("These signals are not in the catalogue: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    # "Is there direct danger now?" asks about this moment: the check's question (112),
    # never a dated observation stored about a person (catalogue `check_only`).
    now_only = [c for c in signal_codes if catalogue.signals[c].check_only]
    if now_only:
        errors.setdefault("signals", []).append(
            ValidationError(
                _(
                    "%(signals)s is a question about this moment, not an observation to "
                    "register. Is there danger now? Call 112. Register what you saw or "
                    "heard instead, for example threats or someone being held."
                ),
                code="check_only_signal",
                params={
                    "signals": "; ".join(
                        catalogue.signals[c].label.get(translation.get_language() or "nl")
                        for c in now_only
                    )
                },
            )
        )
        signal_codes = [c for c in signal_codes if c not in now_only]
    unknown = [c for c in given_risks if c in codes.dropped]
    if unknown:
        errors["risk_factors"] = [
            _("These risk factors are not in the catalogue: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        ]
    return signal_codes, risk_codes, errors


def validate_stored(registration: Registration) -> Observed:
    """A stored registration in the same shape, to see whether a correction changes it."""
    catalogue, _ruleset = services.active()
    order = {c: i for i, c in enumerate(catalogue.signals)}
    risk_order = {c: i for i, c in enumerate(catalogue.risk_factors)}
    # Read as the engine reads it: a retired code as what replaced it.
    codes = catalogue.current_codes(registration.signals, registration.risk_factors)
    signals = [*codes.signals, *(c for c in registration.signals if c in codes.dropped)]
    risks = [*codes.risk_factors, *(c for c in registration.risk_factors if c in codes.dropped)]
    return Observed(
        signals=sorted(signals, key=lambda c: order.get(c, len(order))),
        observed_on=registration.observed_on,
        how_learned=registration.how_learned,
        context_note=registration.context_note,
        risk_factors=sorted(risks, key=lambda c: risk_order.get(c, len(risk_order))),
    )


def save_registration(
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


def locked_person(registration: Registration) -> Person:
    """The registration's person, locked so that two corrections cannot race (PostgreSQL;
    SQLite serialises writers anyway)."""
    return (
        Person.objects.select_for_update()
        .select_related("organisation")
        .get(pk=registration.person_id)
    )


def require_current(registration: Registration) -> None:
    reason = queries.why_not_current(registration)
    if reason == "corrected":
        raise ValidationError(
            _("This registration was corrected already; correct or withdraw the newest version.")
        )
    if reason == "withdrawn":
        raise ValidationError(_("This registration was withdrawn already."))


def purpose_text(*parts: str) -> str:
    return ": ".join(p for p in parts if p)
