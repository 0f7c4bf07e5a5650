"""The organisations involved with a person: naming the lead, a referral to the region's
zorgcoördinator, and the zorgcoördinator's information requests and their answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.models import Action
from lens.coordination import notify
from lens.data.coordination import InformationRequest, LeadAssignment, Referral

from .common import (
    PURPOSE_ANSWER,
    PURPOSE_LEAD,
    PURPOSE_REFERRAL,
    PURPOSE_REQUEST,
    TEXT_MAX,
    involved_record,
    said,
)

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Organisation, Person


def assign_lead(actor: Actor, person: Person, organisation: Organisation) -> LeadAssignment:
    """Name one involved organisation (one with a record in the cluster, in the actor's
    region) as the lead. Closes the open work-list lines of the person's records in the
    region that ask who takes the person up (notify.close_for_lead)."""
    with transaction.atomic():
        policy.check_coordination(actor, person, Action.CHANGE)
        record, members = involved_record(actor, person, organisation)
        assignment = LeadAssignment.objects.create(person=record, assigned_by=actor.author())
        notify.close_for_lead(members, actor.region, assignment.assigned_by, assignment.assigned_at)
        log.record(
            actor,
            Action.CHANGE,
            person=record,
            object_type="lead",
            object_id=assignment.pk,
            purpose=PURPOSE_LEAD,
        )
    return assignment


def refer(actor: Actor, person: Person, reason: str) -> Referral:
    """An organisation refers its record of a person to the region's zorgcoördinator."""
    reason = said("reason", reason, TEXT_MAX, required=True)
    with transaction.atomic():
        policy.check(actor, person, Action.CHANGE)
        referral = Referral.objects.create(person=person, reason=reason, referred_by=actor.author())
        log.record(
            actor,
            Action.CHANGE,
            person=person,
            object_type="referral",
            object_id=referral.pk,
            purpose=PURPOSE_REFERRAL,
        )
        notify.referral(referral)
    return referral


def ask_information(
    actor: Actor, person: Person, organisation: Organisation, question: str
) -> InformationRequest:
    """The zorgcoördinator asks an involved organisation about its record of the person."""
    question = said("question", question, TEXT_MAX, required=True)
    with transaction.atomic():
        policy.check_coordination(actor, person, Action.CREATE)
        record, _members = involved_record(actor, person, organisation)
        request = InformationRequest.objects.create(
            person=record, question=question, asked_by=actor.author()
        )
        log.record(
            actor,
            Action.CREATE,
            person=record,
            object_type="information_request",
            object_id=request.pk,
            purpose=PURPOSE_REQUEST,
        )
    return request


def answer_information(
    actor: Actor, request: InformationRequest, answer: str
) -> InformationRequest:
    """The aandachtsfunctionaris of the asked organisation answers (once)."""
    answer = said("answer", answer, TEXT_MAX, required=True)
    with transaction.atomic():
        # 403 for a role that does not answer, 404 for another organisation's request.
        request = InformationRequest.objects.select_for_update().get(
            pk=policy.find_request_for(actor, request.pk).pk
        )
        if request.answered_at is not None:
            raise ValidationError(_("This request has been answered already."))
        request.answer = answer
        request.answered_by = actor.author()
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])
        log.record(
            actor,
            Action.CHANGE,
            person=request.person,
            object_type="information_request",
            object_id=request.pk,
            purpose=PURPOSE_ANSWER,
        )
        notify.answered(request)
    return request
