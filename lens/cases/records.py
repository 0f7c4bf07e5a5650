"""Between the stored rows (lens.data.cases) and the pure workflow (lens.casework): a
Step row as `StepData`, and `StepData` as the JSON of a row's `fields`."""

from __future__ import annotations

from typing import Any

from lens.casework.weighing import QUESTIONS, Answers
from lens.casework.workflow import Case as Flow
from lens.casework.workflow import Consultation as Consulted
from lens.casework.workflow import Conversation, StepData, replay
from lens.data.cases import Step


def fields_of(data: StepData) -> dict[str, Any]:
    """The transition's own fields of `data` (not the consultations: rows of their own),
    as JSON of codes; empty ones are left out."""
    fields: dict[str, Any] = {}
    for name in ("trigger", "organisation", "referral_answer", "reason"):
        if value := getattr(data, name):
            fields[name] = value
    for name in ("report_grounds", "emergency"):
        if value := getattr(data, name):
            fields[name] = list(value)
    if data.lasting_safety is not None:
        fields["lasting_safety"] = data.lasting_safety
    if data.conversation is not None:
        fields["conversation"] = {
            "held_with": data.conversation.held_with,
            "not_held_reason": data.conversation.not_held_reason,
        }
    if data.answers is not None:
        fields["answers"] = {q: getattr(data.answers, q) for q in QUESTIONS}
    return fields


def step_data(step: Step, consultations: list | None = None) -> StepData:
    """The stored step as the workflow's StepData. `consultations`: the step's rows when
    the caller fetched them already (prefetch), else they are read."""
    fields = step.fields or {}
    rows = consultations if consultations is not None else list(step.consultations.all())
    talk = fields.get("conversation")
    answers = fields.get("answers")
    return StepData(
        on=step.on,
        by=str(step.by_id),
        done=step.done,
        outcome=step.outcome,
        next_due=step.next_due,
        trigger=fields.get("trigger", ""),
        consultations=tuple(
            Consulted(c.role, c.organisation, c.consultee, c.anonymous) for c in rows
        ),
        conversation=Conversation(**talk) if talk else None,
        answers=Answers.from_mapping(answers) if answers else None,
        lasting_safety=fields.get("lasting_safety"),
        organisation=fields.get("organisation", ""),
        report_grounds=tuple(fields.get("report_grounds", ())),
        emergency=tuple(fields.get("emergency", ())),
        referral_answer=fields.get("referral_answer", ""),
        reason=fields.get("reason", ""),
    )


def stored_steps(case) -> list[Step]:
    """The case's steps in order, with their consultations (two queries)."""
    return list(
        case.steps.order_by("number").select_related("by").prefetch_related("consultations")
    )


def flow_of(steps: list[Step]) -> Flow:
    """The workflow's case rebuilt from the stored steps."""
    return replay([(s.transition, step_data(s, list(s.consultations.all()))) for s in steps])
