"""What the case pages show, built from the stored steps: the steps in words, the case
as the workflow sees it, the steps the case offers next, and the work list's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lens.access import policy
from lens.cases import records, texts
from lens.casework.decided import case_decision
from lens.casework.weighing import QUESTIONS, Answers, decision_from_weighing
from lens.casework.workflow import (
    ACUTE_LEVEL,
    acute_advised,
    first_step,
    own_transitions,
    with_danger,
)
from lens.casework.workflow import Case as Flow
from lens.data.cases import CLOSED, Case, CaseReferral, HandOver, Step
from lens.data.prepared import compiled
from lens.data.registry import PersonOutcome
from lens.web.templatetags.lens_format import user_name


@dataclass
class Offered:
    transition: str
    label: str
    first: bool  # shown as the primary action


def acute_signal(outcome: PersonOutcome | None) -> bool:
    """Whether the organisation's own outcome counts a current signal marked acute: stored
    with the outcome when it was computed (`PersonOutcome.acute_signal`), so that the case
    page and the work list (`work_list` reads it for every row in its query) answer alike
    without drawing the report again."""
    return outcome is not None and outcome.acute_signal


def acute_danger(outcome: PersonOutcome | None) -> bool:
    """Whether the organisation's own outcome calls for 112 first (workflow.acute_advised:
    level 4, or a current signal marked acute)."""
    level = outcome.level if outcome is not None else 0
    return acute_advised(level, acute_signal(outcome))


def flow_with_danger(case: Case, steps: list[Step]) -> Flow:
    """The workflow's case of the stored `steps`, with whether acute danger is pending
    (`workflow.with_danger`) from the organisation's own stored outcome: what the step
    forms offer and the actions accept (a concern not confirmed is no close reason while
    112 is due)."""
    outcome = PersonOutcome.objects.latest_for(case.person)
    return with_danger(records.flow_of(steps), acute_danger(outcome))


def offered(flow: Flow, outcome: PersonOutcome | None) -> list[Offered]:
    """The steps the case offers next (`own_transitions`: what the actions accept from
    the case's own organisation, without the zorgcoördinator's answer), the one the
    workflow puts first (`first_step`: 112 with acute danger not yet acted on, a due
    report, else the next action) as the primary one."""
    names = own_transitions(flow)
    first = [step] if (step := first_step(flow, acute_danger(outcome))) else []
    ordered = first + [n for n in names if n not in first]
    return [Offered(n, texts.label(texts.TRANSITIONS, n), n in first) for n in ordered]


def step_rows(steps: list[Step]) -> list[dict[str, Any]]:
    """Each stored step in words, oldest first. A weighing before the case's latest
    reopening is `earlier`, with the decision it led to then (`decision_then`): a
    reopened case has no current decision until it is weighed again."""
    rows = []
    previous: Step | None = None
    reopened = max((s.number for s in steps if s.transition == "reopen"), default=0)
    for step in steps:
        fields = step.fields or {}
        details = []
        if trigger := fields.get("trigger"):
            details.append(texts.trigger_label(trigger, step.level))
        if talk := fields.get("conversation"):
            details.append(
                texts.label(texts.CHOICES["held_with"], talk.get("held_with"))
                if talk.get("held_with")
                else texts.label(texts.CHOICES["not_held_reason"], talk.get("not_held_reason"))
            )
        if (answer := fields.get("referral_answer")) is not None:
            details.append(texts.label(texts.CHOICES["referral_answer"], answer))
        for code in fields.get("emergency", ()):
            details.append(texts.label(texts.CHOICES["emergency"], code))
        if organisation := fields.get("organisation"):
            details.append(organisation)
        for code in fields.get("report_grounds", ()):
            details.append(texts.label(texts.CHOICES["report_grounds"], code))
        if reason := fields.get("reason"):
            table = "close_reason" if step.transition == "close" else "reopen_reason"
            details.append(texts.label(texts.CHOICES[table], reason))
        if (lasting := fields.get("lasting_safety")) is not None:
            details.append(f"{texts.QUESTIONS['lasting']} {'✓' if lasting else '✗'}")
        answers = fields.get("answers") or {}
        earlier = bool(answers) and step.number < reopened
        proposed = decision_from_weighing(Answers.from_mapping(answers)) if answers else None
        changed = previous is not None and (
            (step.level, step.blind_spots) != (previous.level, previous.blind_spots)
        )
        rows.append(
            {
                "step": step,
                "previous_level": previous.level if changed else None,
                "previous_blind_spots": previous.blind_spots if changed else None,
                "changed": changed,
                "label": texts.label(texts.TRANSITIONS, step.transition),
                "details": details,
                "answers": [(texts.QUESTIONS[q], answers[q]) for q in QUESTIONS if q in answers],
                "earlier": earlier,
                # What this weighing proposed then (every weighing, not only the latest).
                "decision_then": texts.label(texts.DECISIONS, proposed.decision)
                if proposed
                else "",
                "consultations": [
                    {
                        "role": texts.label(texts.CHOICES["role"], c.role),
                        "organisation": c.organisation,
                        "consultee": c.consultee,
                        "anonymous": c.anonymous,
                    }
                    for c in step.consultations.all()
                ],
            }
        )
        previous = step
    return rows


def late_answers(case: Case) -> list[dict[str, Any]]:
    """The zorgcoördinator's answers that came after the case moved on (no step of their
    own: lens.cases.referrals.answer), oldest first, with the refer step they answer."""
    links = (
        CaseReferral.objects.filter(case=case, answered_at__isnull=False, answer_step=None)
        .select_related("step", "answered_by")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "link": link,
            "answer_label": texts.label(texts.CHOICES["referral_answer"], link.answer),
            "refer_step": link.step,
        }
        for link in links
    ]


def unread_late_answers(case: Case) -> bool:
    """Whether the case has a late answer its handler has not read yet (one query)."""
    return CaseReferral.objects.filter(
        case=case, answered_at__isnull=False, answer_step=None, late_read_at=None
    ).exists()


def hand_overs(case: Case) -> list[HandOver]:
    """The case's hand-overs, oldest first, with their users: one query."""
    return list(
        HandOver.objects.filter(case=case)
        .select_related("from_user", "to_user", "by")
        .order_by("at", "pk")
    )


def case_page(case: Case, steps: list[Step] | None = None) -> dict[str, Any]:
    """The case page's content (the case was read through the policy, logged); `steps`:
    the case's steps when the caller read them already (the report)."""
    if steps is None:
        steps = list(
            case.steps.order_by("number").select_related("by").prefetch_related("consultations")
        )
    flow = records.flow_of(steps)
    outcome = PersonOutcome.objects.latest_for(case.person)
    decided = case_decision(flow)  # consistent with the steps, not only the last weighing
    steps_offered = offered(flow, outcome)
    # A person has one open case per organisation: with another open, no reopening here.
    reopens = any(o.transition == "reopen" for o in steps_offered)
    other = other_open_case(case) if reopens else None
    return {
        "case": case,
        "flow": flow,
        "state_label": texts.label(texts.STATES, flow.state),
        "next_action_label": texts.label(texts.NEXT_ACTIONS, flow.next_action),
        "overdue": is_overdue(flow.next_due),
        "decided": decided,
        "decision_label": texts.label(texts.DECISIONS, decided.decision)
        if decided.decision
        else "",
        "report_grounds": [
            texts.label(texts.CHOICES["report_grounds"], code) for code in decided.report_grounds
        ],
        "close_reason_label": texts.label(texts.CHOICES["close_reason"], flow.close_reason)
        if flow.close_reason
        else "",
        "rows": (rows := step_rows(steps)),
        "earlier_decided": any(row["earlier"] for row in rows),
        "offered": [o for o in steps_offered if not (other and o.transition == "reopen")],
        "other_open_case": other,
        "outcome": outcome,
        "late_answers": late_answers(case),
        "hand_overs": hand_overs(case),
    }


def other_open_case(case: Case) -> Case | None:
    """Another open case of the case's person in the same organisation, or None."""
    found = open_case_of(case.person)
    return found if found is not None and found.pk != case.pk else None


def changed_since(newer: list[Step], flow: Flow) -> str:
    """What changed on a case since a step form was shown (`newer`: the steps recorded
    since, oldest first; `flow`: the case now), and what to do: the refusal of a stale
    step form."""
    done = "; ".join(
        _("“%(step)s” of %(date)s by %(by)s")
        % {
            "step": texts.label(texts.TRANSITIONS, step.transition),
            "date": date_format(step.on, "j F Y"),
            "by": user_name(step.by),
        }
        for step in newer
    )
    return _(
        "This case changed after you opened this form: %(steps)s were recorded, and the "
        "case is now “%(state)s”. Nothing of this form was recorded. Look at the case and "
        "choose the next step there; your text is still in this form to copy."
    ) % {"steps": done, "state": texts.label(texts.STATES, flow.state)}


def is_overdue(due: date | None) -> bool:
    return due is not None and due < timezone.localdate()


def is_idle(case: Case) -> bool:
    """An open case without a step or hand-over for RETENTION_OPEN_CASE_IDLE_DAYS: to be
    reviewed (continued, handed over or closed); past RETENTION_OPEN_CASE_MAX_IDLE_DAYS
    it no longer keeps the person's record (README, "Retention")."""
    limit = timezone.now() - timedelta(days=settings.RETENTION_OPEN_CASE_IDLE_DAYS)
    return case.is_open and case.updated_at < limit


# The newest open case (the model's ordering) of a person in an organisation: built and
# compiled once per process (lens.data.prepared.compiled).
_open_case = compiled(
    lambda person, organisation: (
        Case.objects.exclude(state=CLOSED)
        .order_by("-opened_at", "-pk")
        .filter(person_id=person, organisation_id=organisation)[:1]
    ),
    int,
    int,
)


def open_case_of(person) -> Case | None:
    """The person's open case in their (the own) organisation, or None: one query."""
    return _open_case.first(person.pk, person.organisation_id)


def work_list(actor, *, everyone: bool) -> QuerySet[Case]:
    """The open cases of the actor's organisation (`everyone`: the aandachtsfunctionaris'
    view; else the ones the actor handles), acute first (the case's state, or the own
    outcome calling for 112: level 4 or a current signal marked acute), then by due
    date: overdue first, cases without a due date last."""
    cases = policy.cases_for(actor).exclude(state=CLOSED)
    if not everyone:
        cases = cases.filter(assigned_to_id=actor.author().pk)
    late = CaseReferral.objects.filter(  # until the handler has read it
        case=OuterRef("pk"), answered_at__isnull=False, answer_step=None, late_read_at=None
    )
    cases = cases.annotate(  # marked on the list, same query
        late_answer=Exists(late),
        own_level=PersonOutcome.objects.latest_value("level", OuterRef("person")),
        own_acute_signal=PersonOutcome.objects.latest_value("acute_signal", OuterRef("person")),
    )
    return cases.select_related("person", "assigned_to").order_by(
        When_(
            When(state="acute", then=Value(0)),
            When(own_level__gte=ACUTE_LEVEL, then=Value(0)),
            When(own_acute_signal=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        F("next_due").asc(nulls_last=True),
        "pk",
    )


# The late-answer lines the work list shows at most (a handler has a few at a time).
LATE_LINES_SHOWN = 50


def late_answer_lines(actor, *, everyone: bool) -> list[CaseReferral]:
    """The work list's lines for late answers not read yet on the closed cases the actor
    handles (`everyone`: the organisation's), oldest first, with their case and person:
    one query. An open case is on the list itself, marked. Not logged: the page logs the
    cases it shows."""
    links = CaseReferral.objects.filter(
        case__in=policy.cases_for(actor).filter(state=CLOSED),
        answered_at__isnull=False,
        answer_step=None,
        late_read_at=None,
    )
    if not everyone:
        links = links.filter(case__assigned_to_id=actor.author().pk)
    return list(
        links.select_related("case__person", "case__assigned_to").order_by("answered_at", "pk")[
            :LATE_LINES_SHOWN
        ]
    )


def _own_danger(case: Case) -> bool:
    """Whether a work-list case's own outcome (annotated by `work_list`) calls for 112
    first, by the case page's rule (`acute_danger`: level 4 or a current signal marked
    acute)."""
    level = getattr(case, "own_level", None) or 0
    return acute_advised(level, bool(getattr(case, "own_acute_signal", False)))


def acute_outcome(case: Case) -> bool:
    """A work-list case (annotated by `work_list`) whose own outcome calls for 112 first
    while the case has not recorded the 112 call yet."""
    return _own_danger(case) and case.state != "acute"


def acute_first(cases: list[Case]) -> set[int]:
    """The work-list cases (annotated by `work_list`) that put the 112 step first, as
    their case page does (`workflow.first_step`): acute danger advised by the own outcome
    (`_own_danger`, as the list's badge and order read it), and no 112 call or police
    recorded in the case's course. The steps are read for those cases only: at most two
    queries."""
    danger = [c for c in cases if _own_danger(c)]
    if not danger:
        return set()
    steps: dict[int, list[Step]] = {c.pk: [] for c in danger}
    for step in (
        Step.objects.filter(case__in=danger)
        .order_by("case_id", "number")
        .prefetch_related("consultations")
    ):
        steps[step.case_id].append(step)
    return {
        pk for pk, shown in steps.items() if first_step(records.flow_of(shown), True) == "acute"
    }


def case_for_report(actor, person, case_id: int | None) -> Case | None:
    """The case of the actor's organisation about `person` that a report is asked for
    (the API's case report): `case_id` when given, else the open case, else the last
    closed one; None when there is none. Not logged: the caller reads it through
    `policy.get_case_for`, which logs."""
    cases = policy.cases_for(actor).filter(person=person)
    if case_id is not None:
        return cases.filter(pk=case_id).first()
    return (
        cases.exclude(state=CLOSED).first()
        or cases.filter(state=CLOSED).order_by("-updated_at", "-pk").first()
    )
