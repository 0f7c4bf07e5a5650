"""Referral to the zorgcoördinator as a step of the case, and the answer coming back.

The case's `refer` step (meldcode step 2, consulting an expert) makes the referral
itself: `lens.coordination.actions.refer` (the zorgcoördinator's work list and e-mail)
in the same transaction as the step, linked to it by a CaseReferral row. The
zorgcoördinator answers the referral (taken up, advice given, handed to Veilig Thuis);
while the case is open and waits for that answer, the answer is stored as the case's
`referral_answered` step by the zorgcoördinator, so it is on the case page with the
other steps. Every write has its access-log entry.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.models import Action
from lens.cases import actions, records, texts
from lens.casework.workflow import REFERRAL_ANSWERS, StepData, TransitionRefused, apply
from lens.catalogue.services import region_label
from lens.coordination import actions as coordination
from lens.data.cases import Case, CaseReferral, Step

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

PURPOSE_ANSWER = "casus: antwoord van de zorgcoördinator"
NOTE_MAX = 4000


def coordinator_of(case: Case, language: str = "nl") -> str:
    """Whom a referral from `case` goes to: the zorgcoördinator mensenhandel of the
    organisation's region (lens.coordination.actions.refer), by the region's name."""
    region = region_label(case.organisation.region, language)
    with translation.override(language):
        return _("the care coordinator for human trafficking of region %(region)s") % {
            "region": region
        }


def take_step(actor: Actor, case: Case, transition: str, data: StepData) -> Step:
    """`actions.take_step`, and for `refer` the referral to the zorgcoördinator with it
    (the step's "what was done" is the referral's reason; its organisation, on record in
    Dutch, the region's zorgcoördinator: `coordinator_of`)."""
    if transition != "refer":
        return actions.take_step(actor, case, transition, data)
    data = replace(data, organisation=coordinator_of(case))
    with transaction.atomic():
        step = actions.take_step(actor, case, transition, data)
        referral = coordination.refer(actor, step.case.person, data.done)
        CaseReferral.objects.create(case=step.case, referral=referral, step=step)
    return step


def waiting(actor: Actor) -> QuerySet[CaseReferral]:
    """The case referrals in the zorgcoördinator's scope without an answer yet (not
    logged: the page logs what it shows)."""
    return (
        CaseReferral.objects.filter(
            answered_at__isnull=True, referral__person__in=policy.coordinated_persons(actor)
        )
        .select_related("referral__person__organisation", "case")
        .order_by("referral__referred_at", "pk")
    )


def find_referral(actor: Actor, link_id: int) -> CaseReferral:
    """One case referral of the zorgcoördinator's scope, answered or not; 404 otherwise
    (403 for a role that may not coordinate)."""
    if not policy.may_coordinate(actor, Action.CHANGE):
        raise PermissionDenied
    found = (
        CaseReferral.objects.filter(
            pk=link_id, referral__person__in=policy.coordinated_persons(actor)
        )
        .select_related("referral__person__organisation", "case")
        .first()
    )
    if found is None:
        raise Http404
    return found


class AlreadyAnswered(ValidationError):
    """The referral has its answer (a second click, or a colleague was first)."""

    def __init__(self) -> None:
        super().__init__({NON_FIELD_ERRORS: [_("This referral was answered already.")]})


def answer(actor: Actor, link_id: int, code: str, note: str) -> CaseReferral:
    """The zorgcoördinator's answer to a case referral. Recorded on the referral, and as
    the case's `referral_answered` step (by the zorgcoördinator) while the case waits for
    it; one access-log entry either way. AlreadyAnswered when it has its answer."""
    note = (note or "").strip()
    if code not in REFERRAL_ANSWERS:
        raise ValidationError({"answer": [_("Choose an answer.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("The text is too long.")]})
    with transaction.atomic():
        link = find_referral(actor, link_id)
        case = Case.objects.select_for_update().select_related("person").get(pk=link.case_id)
        link = CaseReferral.objects.select_for_update().get(pk=link.pk)
        if link.answered_at is not None:
            raise AlreadyAnswered
        steps = records.stored_steps(case)
        flow = records.flow_of(steps)
        done = note or str(texts.label(texts.CHOICES["referral_answer"], code))
        data = StepData(
            on=timezone.localdate(),
            by=str(actor.author().pk),
            done=done,
            referral_answer=code,
        )
        recorded = False
        if flow.referral_open:
            try:
                new_flow = apply(flow, "referral_answered", data)
            except TransitionRefused:
                new_flow = None
            if new_flow is not None:
                actions.store_step(
                    actor, case, "referral_answered", data, new_flow, number=len(steps) + 1
                )
                recorded = True
        if not recorded:  # the case went on without it: the answer is kept on the referral
            log.record(
                actor,
                Action.CHANGE,
                person=case.person,
                object_type=actions.OBJECT_TYPE,
                object_id=case.pk,
                purpose=PURPOSE_ANSWER,
            )
        link.answer = code
        link.note = note
        link.answered_by = actor.author()
        link.answered_at = timezone.now()
        link.save(update_fields=["answer", "note", "answered_by", "answered_at"])
    return link
