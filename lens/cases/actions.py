"""Every write of a meldcode case: opening it and taking a step (docs/design/casework.md).

Each action rebuilds the workflow's case from the stored steps (`replay`), asks the pure
workflow (`lens.casework.workflow.apply`), stores the step (and its consultations),
sets the case's columns to the new state, and writes one access-log entry, all in one
transaction. A refused transition stores and logs nothing: it raises ValidationError
with the workflow's problems as Dutch messages at their fields.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy
from lens.access.models import Action
from lens.cases import records, selectors, texts
from lens.casework import free_text
from lens.casework.dates import step_date_problems
from lens.casework.workflow import Case as Flow
from lens.casework.workflow import (
    Problem,
    StepData,
    TransitionRefused,
    apply,
    own_problems,
    propose_case,
    with_danger,
)
from lens.data.cases import Case, Consultation, HandOver, Step
from lens.data.registry import Membership, PersonOutcome, Role
from lens.web.templatetags.lens_format import user_name

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person

# The access log's purpose per transition (Dutch: the log is one record, read in Dutch).
PURPOSES = {
    "open": "casus openen",
    "map_signals": "casus: signalen in kaart brengen",
    "consult": "casus: consultatie",
    "refer": "casus: doorverwijzing naar de zorgcoördinator",
    "referral_answered": "casus: antwoord van de zorgcoördinator",
    "converse": "casus: gesprek",
    "weigh": "casus: weging",
    "organise_help": "casus: hulp organiseren",
    "review_help": "casus: hulp volgen",
    "report": "casus: melding bij Veilig Thuis",
    "acute": "casus: acuut gevaar",
    "close": "casus afsluiten",
    "reopen": "casus heropenen",
}
OBJECT_TYPE = "case"


def refused(problems: list[Problem]) -> ValidationError:
    """The workflow's problems as a ValidationError with Dutch messages at their fields."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        message = str(texts.PROBLEMS.get(problem.code, problem.code))
        target = fields.setdefault(problem.field or NON_FIELD_ERRORS, [])
        if message not in target:
            target.append(message)
    return ValidationError(fields)


def as_given(data: StepData, by: Actor, person: Person, opened_on: date | None = None) -> StepData:
    """The step's data as it is stored: by the actor, free text without surrounding spaces.
    Refused (Dutch, at the field, nothing written) when its date cannot be
    (`dates.step_date_problems`: in the future, before 1900, before the person's birth
    year, or more than a year before the case was opened; `opened_on` None: the case is
    opened now). The page's form says "future" first; every way in meets the rule here."""
    today = timezone.localdate()
    if problems := step_date_problems(
        data.on, today=today, opened_on=opened_on or today, birth_year=person.birth_year
    ):
        raise refused(problems)
    return replace(
        data,
        by=str(by.author().pk),
        done=data.done.strip(),
        outcome=free_text.optional(data.outcome),
        organisation=data.organisation.strip(),
        consultations=tuple(
            replace(
                c, organisation=c.organisation.strip(), consultee=free_text.optional(c.consultee)
            )
            for c in data.consultations
        ),
    )


def _already_open() -> ValidationError:
    return ValidationError(
        {NON_FIELD_ERRORS: [_("This person has an open case in your organisation already.")]}
    )


def open_case(actor: Actor, person: Person, data: StepData) -> Case:
    """Open a case for the organisation's own person: the `open` step. One open case per
    person per organisation (the database's constraint decides a race). Its trigger is
    decided here (`trigger_of`), whatever `data` says."""
    data = as_given(data, actor, person)
    try:
        with transaction.atomic():
            policy.check(actor, person, Action.CREATE)
            outcome = PersonOutcome.objects.latest_for(person)  # read once: trigger, step
            data = replace(data, trigger=_trigger(outcome))
            if (
                Case.objects.filter(person=person, organisation_id=person.organisation_id)
                .exclude(state="closed")
                .exists()
            ):
                raise _already_open()
            try:
                flow = apply(Flow(), "open", data)
            except TransitionRefused as refusal:
                raise refused(refusal.problems) from None
            case = Case.objects.create(
                person=person,
                organisation_id=person.organisation_id,
                opened_by=actor.author(),
                assigned_to=actor.author(),
                state=flow.state,
            )
            store_step(
                actor, case, "open", data, flow, number=1, action=Action.CREATE, outcome=outcome
            )
    except IntegrityError:
        raise _already_open() from None
    return case


def trigger_of(person: Person) -> str:
    """ "acute_danger" when the organisation's own stored outcome of the person calls for
    112 first when the case is opened (level 4 or an acute signal: workflow.acute_advised;
    the case's next action is then the 112 step, due the same day), "proposed" when it is
    at the proposal's level (workflow.propose_case), else "by_hand": computed from the
    stored outcome, never taken from the request."""
    return _trigger(PersonOutcome.objects.latest_for(person))


def _trigger(outcome: PersonOutcome | None) -> str:
    """`trigger_of` for the person's latest stored outcome (None: there is none)."""
    level = outcome.level if outcome is not None else 0
    if selectors.acute_danger(outcome):
        return "acute_danger"
    return "proposed" if propose_case(level, has_open_case=False) else "by_hand"


def take_step(actor: Actor, case: Case, transition: str, data: StepData) -> Step:
    """Take `transition` on the organisation's case with `data` (its date, what was done,
    the transition's fields); `by` is the actor, who must be its handler or the
    aandachtsfunctionaris (PermissionDenied otherwise: policy.may_work_on). Raises
    ValidationError (Dutch, nothing written) when the workflow refuses: what the case
    page offers (`own_problems`), then the step's data."""
    data = as_given(data, actor, case.person, timezone.localdate(case.opened_at))
    try:
        with transaction.atomic():
            # Again inside the transaction, and locked: steps of one case one at a time.
            case = policy.find_case_to_work_on(actor, case.pk)
            Case.objects.select_for_update().filter(pk=case.pk).first()
            case.refresh_from_db(fields=["assigned_to"])  # handed over meanwhile?
            if not policy.may_work_on(actor, case):
                raise policy.NotTheHandler(case)
            steps = records.stored_steps(case)
            outcome = PersonOutcome.objects.latest_for(case.person)  # read once: flow, step
            flow = with_danger(records.flow_of(steps), selectors.acute_danger(outcome))
            if problems := own_problems(flow, transition):
                raise refused(problems)
            try:
                flow = apply(flow, transition, data)
            except TransitionRefused as refusal:
                raise refused(refusal.problems) from None
            return store_step(
                actor, case, transition, data, flow, number=len(steps) + 1, outcome=outcome
            )
    except IntegrityError:
        # Reopening while another case of the person is open (the constraint), or a step
        # taken at the same moment by someone else (the step number).
        raise (
            _already_open() if transition == "reopen" else refused([Problem("", "taken_meanwhile")])
        ) from None


def store_step(
    actor: Actor,
    case: Case,
    transition: str,
    data: StepData,
    flow: Flow,
    *,
    number: int,
    action: Action = Action.CHANGE,
    outcome: PersonOutcome | None = None,
) -> Step:
    """The step stored with the organisation's outcome of the person as it is now
    (`outcome`: already read by the caller in this transaction, else read here)."""
    if outcome is None:
        outcome = PersonOutcome.objects.latest_for(case.person)
    step = Step.objects.create(
        case=case,
        number=number,
        transition=transition,
        on=data.on,
        by=actor.author(),
        done=data.done,
        outcome=data.outcome,
        next_due=data.next_due,
        fields=records.fields_of(data),
        level=outcome.level if outcome is not None else None,
        blind_spots=outcome.blind_spots if outcome is not None else None,
    )
    Consultation.objects.bulk_create(
        Consultation(
            step=step,
            role=c.role,
            organisation=c.organisation,
            consultee="" if c.anonymous else c.consultee,
            anonymous=c.anonymous,
        )
        for c in data.consultations
    )
    case.state = flow.state
    case.next_action = flow.next_action
    case.next_due = flow.next_due
    case.close_reason = flow.close_reason
    with transaction.atomic():  # a savepoint: the constraint's refusal stays catchable
        case.save(update_fields=["state", "next_action", "next_due", "close_reason", "updated_at"])
    log.record(
        actor,
        action,
        person=case.person,
        object_type=OBJECT_TYPE,
        object_id=case.pk,
        purpose=PURPOSES[transition],
    )
    return step


PURPOSE_HAND_OVER = "casus: overdragen"


def changed_hands(case: Case) -> str:
    """The refusal of a hand-over made on a form shown before the case changed hands."""
    now = case.assigned_to
    name = user_name(now) if now else _("someone else")
    return _(
        "This case was handed to %(name)s after you opened this form, so nothing was "
        "handed over. Look at the case again and hand it over from there if still needed."
    ) % {"name": name}


HANDLERS = (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS)


def colleagues(case: Case) -> list[Membership]:
    """Whom the case can be handed to: the active professionals and
    aandachtsfunctionarissen of its organisation but its handler, one membership per
    user (what the form offers and what `hand_over` accepts)."""
    members = (
        Membership.objects.filter(
            organisation_id=case.organisation_id, role__in=HANDLERS, is_active=True
        )
        .select_related("user")
        .order_by("user__username", "pk")
    )
    seen, unique = {case.assigned_to_id}, []  # not to whom handles it already
    for member in members:
        if member.user_id not in seen:
            seen.add(member.user_id)
            unique.append(member)
    return unique


def hand_over(actor: Actor, case: Case, to_user_id: int, *, seen_handler: int | None) -> Case:
    """Hand the case to a colleague of the organisation. The handler may hand over their
    own case; the aandachtsfunctionaris any case of the organisation (for example of
    someone who left); others get PermissionDenied (policy.may_work_on). `seen_handler`:
    who handled the case when the form was shown; refused (ValidationError, nothing
    written) when the case changed hands since, and when it is not given (a form without
    it cannot show that nothing changed). A HandOver row for the case's history and one
    access-log entry, in the same transaction."""
    with transaction.atomic():
        case = policy.find_case_to_work_on(actor, case.pk)
        Case.objects.select_for_update().filter(pk=case.pk).first()
        case.refresh_from_db(fields=["assigned_to", "state"])
        if not policy.may_work_on(actor, case):  # handed over meanwhile
            raise policy.NotTheHandler(case)
        if seen_handler is None:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("The form did not say who handled the case: open it again.")]}
            )
        if seen_handler != case.assigned_to_id:
            raise ValidationError({NON_FIELD_ERRORS: [changed_hands(case)]})
        if to_user_id == case.assigned_to_id:
            raise ValidationError({"to": [_("This colleague handles the case already.")]})
        if not any(m.user_id == to_user_id for m in colleagues(case)):
            raise ValidationError({"to": [_("Choose a colleague of your organisation.")]})
        HandOver.objects.create(
            case=case, from_user_id=case.assigned_to_id, to_user_id=to_user_id, by=actor.author()
        )
        case.assigned_to_id = to_user_id
        case.save(update_fields=["assigned_to", "updated_at"])
        log.record(
            actor,
            Action.CHANGE,
            person=case.person,
            object_type=OBJECT_TYPE,
            object_id=case.pk,
            purpose=PURPOSE_HAND_OVER,
        )
    return case
