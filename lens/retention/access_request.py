"""The person's right of access (AVG art. 15): everything the organisation holds on one
person record, as one JSON document (and a readable page of the same).

For the aandachtsfunctionaris (the role with Action.EXPORT, as the access-log export):
the export is itself logged with the request's reference as purpose, and the identity is
only in it when asked, through the existing reveal (`reveal_identity`: purpose required,
its own access-log entry). What goes in: the record (pseudonym, when and by whom made),
registrations with every version and withdrawal, the stored outcomes, the notices of
informing the person, the meldcode cases with their steps, consultations, referrals and
hand-overs, the referrals and information requests, the leads named, the relations the
organisation recorded (the other person by no identifier: third-party data), and every
access-log entry about the record. Left out: the encrypted identity and reference as
bytes, the keyed match and blocking hashes and the outcomes' content digests (derived
values that say nothing to the person). Staff are named by their role and organisation,
never by their user name (format version 2; version 1 gave user names).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy, purposes
from lens.access.models import Action
from lens.catalogue import services
from lens.data import queries
from lens.data.cases import Case, CaseReferral, HandOver
from lens.data.coordination import InformationRequest, LeadAssignment, PersonRelation, Referral
from lens.data.registry import (
    InformedNotice,
    Membership,
    PersonOutcome,
    Registration,
)
from lens.registry.actions import reveal_identity

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person

OBJECT_TYPE = "access_request"
PURPOSE_PREFIX = "inzageverzoek (AVG art. 15)"
# The reference is stored in the access log's purpose after the prefix and ": ".
REFERENCE_MAX = purposes.PURPOSE_MAX - len(PURPOSE_PREFIX) - 2
FORMAT_VERSION = 2
# Left out of the access log's part: the staff's user name, network address and browser.
# The person has a right to know who (organisation, role) read their data, when and why;
# not these.
STAFF_ONLY = ("username", "ip_address", "user_agent")
# Internal values that say nothing to the person: a stored outcome's content digest (for
# the recompute's "changed or not").
INTERNAL = ("digest",)


def export(actor: Actor, person: Person, reference: str, *, identity: bool) -> dict[str, Any]:
    """The export for one access request, logged (EXPORT, with the request's reference);
    with `identity`, the identity through the logged reveal with the same purpose."""
    reference = purposes.given(
        reference,
        required=_("Give the reference of the request."),
        field="reference",
        meaningless=_("Give the reference of the request: at least %(count)d letters or digits."),
        limit=REFERENCE_MAX,
    )
    purpose = f"{PURPOSE_PREFIX}: {reference}"
    with transaction.atomic():
        policy.check(actor, person, Action.EXPORT)
        log.record(actor, Action.EXPORT, person=person, object_type=OBJECT_TYPE, purpose=purpose)
        opened = reveal_identity(actor, person, purpose) if identity else None
        document = collect(person, by=actor.organisation_id)
    document["request"] = {
        "reference": reference,
        "made_at": _value(timezone.now()),
        "made_by": _staff_of(actor.membership),
        "identity_included": opened is not None,
        "format_version": FORMAT_VERSION,
    }
    if opened is not None:
        document["identity"] = {k: _value(v) for k, v in asdict(opened).items()}
    return document


def _outcomes(person: Person, plain) -> list[dict[str, Any]]:
    """The stored outcomes, oldest first. An outcome stored without its report (since
    issue 14 none keeps one) has the report drawn again for the latest, as the person
    page shows it (lens.data.queries.outcome_document); an earlier one keeps its level,
    time and versions, which is what the history holds."""
    stored = list(PersonOutcome.objects.filter(person=person).order_by("pk"))
    rows = [plain(o, exclude=("person",)) for o in stored]
    if stored and stored[-1].outcome is None:
        with suppress(services.NoCatalogueLoaded):
            rows[-1]["outcome"] = queries.outcome_document(stored[-1], *services.active())
    return rows


def collect(person: Person, *, by: int | None = None) -> dict[str, Any]:
    """What the organisation holds on `person` (the caller checked and logged); staff
    by their role in organisation `by` (the person's own when not given)."""
    staff = _Staff(by if by is not None else person.organisation_id)
    _plain = staff.plain
    cases = []
    for case in Case.objects.filter(person=person).order_by("opened_at", "pk"):
        row = _plain(case, exclude=("person", "organisation"))
        row["steps"] = []
        for step in case.steps.order_by("number").prefetch_related("consultations"):
            step_row = _plain(step, exclude=("case",))
            step_row["consultations"] = [
                _plain(c, exclude=("step",)) for c in step.consultations.all()
            ]
            row["steps"].append(step_row)
        row["referrals"] = [
            _plain(r, exclude=("case",)) for r in CaseReferral.objects.filter(case=case)
        ]
        row["hand_overs"] = [
            _plain(h, exclude=("case",))
            for h in HandOver.objects.filter(case=case).order_by("at", "pk")
        ]
        cases.append(row)
    registrations = []
    for registration in Registration.objects.filter(person=person).order_by("created_at", "pk"):
        row = _plain(registration, exclude=("person",))
        withdrawal = getattr(registration, "withdrawal", None)
        row["withdrawal"] = _plain(withdrawal, exclude=("registration",)) if withdrawal else None
        registrations.append(row)
    relations = PersonRelation.objects.filter(
        Q(person_a=person) | Q(person_b=person),
        recorded_by_organisation_id=person.organisation_id,
    ).order_by("recorded_at", "pk")
    return {
        "person": {
            "pseudonym": person.pseudonym,
            "organisation": person.organisation.name,
            "created_at": _value(person.created_at),
            "created_by": staff(person.created_by_id),
            "birth_year": person.birth_year,
        },
        "registrations": registrations,
        "outcomes": _outcomes(person, _plain),
        "informed_notices": [
            _plain(n, exclude=("person",))
            for n in InformedNotice.objects.filter(person=person).order_by("pk")
        ],
        "cases": cases,
        "referrals": [
            _plain(r, exclude=("person",))
            for r in Referral.objects.filter(person=person).order_by("pk")
        ],
        "information_requests": [
            _plain(r, exclude=("person",))
            for r in InformationRequest.objects.filter(person=person).order_by("pk")
        ],
        "lead_assignments": [
            _plain(a, exclude=("person",))
            for a in LeadAssignment.objects.filter(person=person).order_by("pk")
        ],
        "relations": [_plain(r, exclude=("person_a", "person_b")) for r in relations],
        "access_log": [
            {k: v for k, v in row.items() if k not in STAFF_ONLY}
            for row in log.export_rows(log.entries_for_person(person).order_by("id"))
        ],
    }


def _staff_of(membership: Membership | None) -> dict[str, str] | None:
    """A member of staff as the person may know them: role code and organisation (a
    region's staff by their region's code), never the user name."""
    if membership is None:
        return None
    if membership.organisation_id is not None:
        return {"role": membership.role, "organisation": membership.organisation.name}
    return {"role": membership.role, "region": membership.region}


class _Staff:
    """Users as role and organisation (`_staff_of`), preferring their membership in the
    exporting organisation; looked up once per user."""

    def __init__(self, organisation_id: int | None) -> None:
        self.organisation_id = organisation_id
        self.known: dict[int, dict[str, str] | None] = {}

    def __call__(self, user_id: int | None) -> dict[str, str] | None:
        if user_id is None:
            return None
        if user_id not in self.known:
            memberships = sorted(
                Membership.objects.filter(user_id=user_id).select_related("organisation"),
                key=lambda m: (m.organisation_id != self.organisation_id, not m.is_active, m.pk),
            )
            self.known[user_id] = _staff_of(memberships[0]) if memberships else None
        return self.known[user_id]

    def plain(self, obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        """The row's own fields as JSON values: users as staff, organisations by name,
        other rows by id."""
        row: dict[str, Any] = {}
        for field in obj._meta.concrete_fields:
            if (
                field.name in exclude
                or field.name in INTERNAL
                or isinstance(field, models.BinaryField)
            ):
                continue
            value = getattr(obj, field.attname)
            if field.is_relation:
                if field.related_model._meta.label == settings.AUTH_USER_MODEL:
                    row[field.name] = self(value)
                elif field.related_model._meta.model_name == "organisation":
                    organisation = getattr(obj, field.name)
                    row[field.name] = organisation.name if value is not None else None
                else:
                    row[field.name] = value
            else:
                row[field.name] = _value(value)
        return row


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
