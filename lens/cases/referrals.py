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
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.models import Action
from lens.cases import actions, records, selectors, texts
from lens.casework import free_text
from lens.casework.workflow import (
    REFERRAL_ANSWERS,
    StepData,
    TransitionRefused,
    apply,
    own_problems,
)
from lens.catalogue import services
from lens.coordination import actions as coordination
from lens.data.cases import Case, CaseReferral, Step
from lens.web.templatetags.lens_format import user_name

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor
    from lens.data.registry import Person

PURPOSE_ANSWER = "casus: antwoord van de zorgcoördinator"
NOTE_MAX = 4000


def take_step(actor: Actor, case: Case, transition: str, data: StepData) -> Step:
    """`actions.take_step`, and for `refer` the referral to the zorgcoördinator with it
    (the step's "what was done" is the referral's reason; its organisation, on record in
    Dutch, the region's zorgcoördinator: `coordinator_of`)."""
    if transition == "reopen":
        with transaction.atomic():
            answer = _answered_while_closed(case)
            return actions.take_step(actor, case, transition, replace(data, referral_answer=answer))
    if transition != "refer":
        return actions.take_step(actor, case, transition, data)
    data = replace(data, organisation=coordinator_of(case.organisation.region))
    with transaction.atomic():
        step = actions.take_step(actor, case, transition, data)
        referral = coordination.refer(actor, step.case.person, data.done)
        CaseReferral.objects.create(case=step.case, referral=referral, step=step)
    return step


def _answered_while_closed(case: Case) -> str:
    """The answer the zorgcoördinator gave to the case's open referral while the case was
    closed (a late answer, kept on the referral), or "": reopening takes it in, so that
    the reopened case does not wait for an answer it has (workflow.MAY_CARRY)."""
    if not records.flow_of(records.stored_steps(case)).referral_open:
        return ""
    link = CaseReferral.objects.filter(case=case).order_by("-step__number").first()
    if link is None or link.answered_at is None or link.answer_step_id is not None:
        return ""
    return link.answer


def coordinator_of(region: str, language: str = "nl") -> str:
    """The name of the region's zorgcoördinator, where a referral from the region's
    organisations goes (lens.coordination.actions.refer): the catalogue's contact for the
    region, else a name made of the region's. The refer step records it in Dutch (the
    record's language); the step form says it in the reader's."""
    return coordinator_contact(region, language)[0]


def coordinator_contact(region: str, language: str = "nl") -> tuple[str, str]:
    """The region's zorgcoördinator as (name, phone number): the catalogue's contact for
    the region; without one, a name made of the region's and no number."""
    try:
        catalogue, _ruleset = services.active()
    except services.NoCatalogueLoaded:
        catalogue = None
    if catalogue is not None:
        for contact in catalogue.contacts_for(region):
            if contact.role == "zorgcoordinator" and contact.region == region:
                return contact.label.get(language), contact.phone
    return f"Zorgcoördinator mensenhandel {services.region_label(region, language)}", ""


def _handler_name(case: Case) -> str:
    return user_name(case.assigned_to) if case.assigned_to else _("nobody yet")


def refer_problems(actor: Actor, case: Case | None) -> list[str]:
    """Why the actor cannot refer the person whose open case (in the own organisation)
    is `case` (None: there is none, and a case is opened for the referral), in words;
    empty when they can. The one rule for what the refer page offers (the form, or these
    reasons instead of it) and what `refer_person` accepts: a colleague who does not
    handle the open case is told who does and how it can be taken over, and a case
    that waits for an answer to an earlier referral is said so (`own_problems`)."""
    if case is None:
        return []
    problems = []
    if not policy.may_act_for_person(actor, case):
        problems.append(
            _(
                "This person has an open case, handled by %(name)s: they or the designated "
                "officer refer through the case. To take the case over, ask them to hand it "
                "over to you (Hand over, on the case page)."
            )
            % {"name": _handler_name(case)}
        )
    flow = records.flow_of(records.stored_steps(case))
    problems += [str(texts.PROBLEMS[p.code]) for p in own_problems(flow, "refer")]
    return problems


def refer_person(actor: Actor, person: Person, reason: str) -> Step:
    """A referral to the zorgcoördinator from the person's page, as a step of the
    organisation's case: the open case's `refer` step, or a case opened for it (its
    `open` step, then `refer`), all in one transaction, so that the answer comes back
    into that case. What `refer_problems` refuses is a ValidationError (nothing is
    written)."""
    reason = (reason or "").strip()
    today = timezone.localdate()
    step = StepData(
        on=today,
        by="-",
        done=reason,
        organisation=coordinator_of(person.organisation.region),
    )
    with transaction.atomic():
        case = selectors.open_case_of(person)
        if problems := refer_problems(actor, case):
            raise ValidationError({NON_FIELD_ERRORS: problems})
        if case is None:
            opening = StepData(
                on=today,
                by="-",
                done=_("Opened to refer the person to the care coordinator."),
                trigger="by_hand",
            )
            case = actions.open_case(actor, person, opening)
        return take_step(actor, case, "refer", step)


def waiting(actor: Actor) -> QuerySet[CaseReferral]:
    """The case referrals in the zorgcoördinator's scope without an answer yet (not
    logged: the page logs what it shows)."""
    return (
        CaseReferral.objects.filter(
            answered_at__isnull=True, referral__person__in=policy.coordinated_persons(actor)
        )
        .select_related("referral__person__organisation", "case", "step")
        .order_by("step__on", "pk")  # the date of the refer step, as the case records it
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
    if note and free_text.says_nothing(note):
        # Invisible characters only: no note, and not silently an empty one either.
        raise ValidationError({"note": [texts.PROBLEMS["says_nothing"]]})
    if free_text.hides_text(note):
        # The step's own rule (the note becomes the step's "what was done"): refused here,
        # not found out by the workflow and the answer silently kept as a late one.
        raise ValidationError({"note": [texts.PROBLEMS["invisible_characters"]]})
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
        answer_step = None
        if flow.referral_open and _waits_for(link, steps):
            try:
                new_flow = apply(flow, "referral_answered", data)
            except TransitionRefused:
                new_flow = None
            if new_flow is not None:
                answer_step = actions.store_step(
                    actor, case, "referral_answered", data, new_flow, number=len(steps) + 1
                )
        if answer_step is None:
            # A late answer: the case went on without it (closed, the answer recorded by
            # hand, or a newer referral waits). Kept on the referral and shown in the
            # case's history as a late answer (selectors.late_answers); not a step, so
            # that it cannot answer a newer referral or change a closed case.
            _log_change(actor, case, PURPOSE_ANSWER)
        link.answer = code
        link.note = note
        link.answered_by = actor.author()
        link.answered_at = timezone.now()
        link.answer_step = answer_step
        link.save(update_fields=["answer", "note", "answered_by", "answered_at", "answer_step"])
    return link


def _log_change(actor: Actor, case: Case, purpose: str) -> None:
    """The access-log entry of a change to the case that is not a step of its own."""
    log.record(
        actor,
        Action.CHANGE,
        person=case.person,
        object_type=actions.OBJECT_TYPE,
        object_id=case.pk,
        purpose=purpose,
    )


def _waits_for(link: CaseReferral, steps: list[Step]) -> bool:
    """Whether the case waits for this referral's answer: its refer step is the case's
    latest, and no answer was recorded after it (by hand, say)."""
    after = [s.transition for s in steps if s.number > link.step.number]
    return "refer" not in after and "referral_answered" not in after


PURPOSE_LATE_READ = "casus: laat antwoord gelezen"


def late_answers_read(actor: Actor, case: Case, *, by_hand: bool = False) -> int:
    """The case's late answers are read: their lines leave the work list. The case page
    calls it when it shows the answers to the case's handler (the page's read is logged
    already); the line's button (`by_hand`: the handler or the aandachtsfunctionaris,
    through `policy.find_case_to_work_on`) logs the change. How many lines closed."""
    with transaction.atomic():
        closed = (
            CaseReferral.objects.select_for_update()
            .filter(case=case, answered_at__isnull=False, answer_step=None, late_read_at=None)
            .update(late_read_at=timezone.now(), late_read_by=actor.author())
        )
        if by_hand:
            _log_change(actor, case, PURPOSE_LATE_READ)
    return closed
