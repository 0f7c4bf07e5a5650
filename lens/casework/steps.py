"""What a step of a meldcode case records, and what is wrong with a step's own data.

The fixed code lists, the step's data (`StepData` with its consultations and the
conversation), a refusal's `Problem`, and `field_problems`: the rules that hold for a
step's fields whatever the case (lens.casework.workflow adds the rules of the case).
Plain Python, no Django; re-exported by lens.casework.workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import free_text
from .closing import REASONS
from .weighing import REPORT_GROUNDS, Answers

# Fixed lists of codes.
# proposed: the organisation's own outcome reached level 2; acute_danger: level 4 or an
# acute signal (workflow.acute_advised) when it was opened: 112 first.
TRIGGERS = ("by_hand", "proposed", "acute_danger")
EXTERNAL = ("zorgcoordinator", "veilig_thuis", "police_avim", "other_expert")
CONSULT_ROLES = ("colleague", "aandachtsfunctionaris", *EXTERNAL)
CONVERSATION_WITH = ("person", "parents", "person_and_parents")
NOT_HELD_REASONS = ("unsafe", "not_reachable", "refused")
REFERRAL_ANSWERS = ("taken_up", "advice_given", "handed_to_veilig_thuis")
EMERGENCY = ("called_112", "police_engaged")
REPORT_GROUND_CODES = (
    *(code for _, code in REPORT_GROUNDS.values()),
    "acute_danger",
    "own_judgement",
)
CHOICES = {"trigger": TRIGGERS, "referral_answer": REFERRAL_ANSWERS}


@dataclass(frozen=True)
class Consultation:
    role: str  # CONSULT_ROLES
    organisation: str = ""  # required for external experts and anonymous consultations
    consultee: str = ""  # whom, when not anonymous
    anonymous: bool = False  # the person was not named: record the organisation only


@dataclass(frozen=True)
class Conversation:
    """Meldcode step 3 "if possible": held with someone, or not held and why."""

    held_with: str = ""  # CONVERSATION_WITH
    not_held_reason: str = ""  # NOT_HELD_REASONS


@dataclass(frozen=True)
class StepData:
    """What one step records: date, who, what was done, the outcome, and per transition
    the fields it needs. `next_due` overrides the default period."""

    on: date
    by: str
    done: str
    outcome: str = ""
    next_due: date | None = None
    trigger: str = ""
    consultations: tuple[Consultation, ...] = ()
    conversation: Conversation | None = None
    answers: Answers | None = None
    lasting_safety: bool | None = None
    organisation: str = ""  # refer: which zorgcoördinator; report: which Veilig Thuis
    report_grounds: tuple[str, ...] = ()
    emergency: tuple[str, ...] = ()
    referral_answer: str = ""
    reason: str = ""  # close and reopen


@dataclass(frozen=True)
class Problem:
    field: str  # "" for the transition itself
    code: str


# Fields a transition may carry without needing them: reopening takes in the answer the
# zorgcoördinator gave to the open referral while the case was closed (set by the
# Django layer from the referral, never typed), so that the case does not wait for it.
MAY_CARRY = {"reopen": ("referral_answer",)}

# The StepData fields that belong to one transition or another (see Transition.needs).
TRANSITION_FIELDS = (
    "trigger", "consultations", "conversation", "answers", "lasting_safety",
    "organisation", "report_grounds", "emergency", "referral_answer", "reason",
)  # fmt: skip


# An own due date at most two years after the step: a next action further away is no
# plan for this case (the meldcode's course takes weeks to months, and retention reviews
# an idle open case well before), and a date like 9999-12-31 would hide the case from
# every overdue list.
MAX_DUE_AHEAD_DAYS = 730


def text_problems(data: StepData) -> list[Problem]:
    fields = [
        ("done", data.done, free_text.TEXT_MAX),
        ("outcome", data.outcome, free_text.TEXT_MAX),
        ("organisation", data.organisation, free_text.NAME_MAX),
    ]
    for i, c in enumerate(data.consultations, start=1):
        fields += [
            (consultation_field(i, "organisation"), c.organisation, free_text.NAME_MAX),
            (consultation_field(i, "consultee"), c.consultee, free_text.NAME_MAX),
        ]
    return [Problem(field, code) for field, code in free_text.problems(fields)]


def consultation_field(row: int, part: str) -> str:
    """The field of a problem with one consultation: "consultations.<row>.<part>" (row
    from 1, part role, organisation or consultee), so that a form shows it at its row."""
    return f"consultations.{row}.{part}"


def _given(value: object) -> bool:
    """A text made only of what shows nothing is not given (free_text.says_nothing)."""
    if isinstance(value, str):
        return not free_text.says_nothing(value)
    return value is not None and value != ()


def _missing(field: str, value: object) -> Problem:
    """A required field not given: "says_nothing" when text was typed that shows nothing
    (invisible characters only), else "required"."""
    typed = isinstance(value, str) and value.strip() != ""
    return Problem(field, "says_nothing" if typed else "required")


def field_problems(name: str, needs: tuple[str, ...], data: StepData) -> list[Problem]:
    """What is wrong with the step's own data for transition `name` (which `needs`
    these fields), whatever the case: required, unknown or out-of-place fields, free
    text, consultations, the conversation and an own due date."""
    problems = [_missing(f, v) for f in ("by", "done") if not _given(v := getattr(data, f))]
    problems += text_problems(data)
    for f in TRANSITION_FIELDS:
        if f in needs and not _given(getattr(data, f)):
            problems.append(_missing(f, getattr(data, f)))
        elif (
            f not in needs
            and f not in MAY_CARRY.get(name, ())
            and getattr(data, f)
            not in (
                None,
                "",
                (),
            )
        ):
            problems.append(Problem(f, "not_for_this_transition"))
    for name_, choices in CHOICES.items():
        if getattr(data, name_) and getattr(data, name_) not in choices:
            problems.append(Problem(name_, "unknown_choice"))
    if data.reason and data.reason not in REASONS.get(name, (data.reason,)):
        problems.append(Problem("reason", "unknown_choice"))
    if any(code not in REPORT_GROUND_CODES for code in data.report_grounds):
        problems.append(Problem("report_grounds", "unknown_choice"))
    if any(code not in EMERGENCY for code in data.emergency):
        problems.append(Problem("emergency", "unknown_choice"))
    for i, c in enumerate(data.consultations, start=1):
        if c.role not in CONSULT_ROLES:
            problems.append(Problem(consultation_field(i, "role"), "unknown_choice"))
        if (c.anonymous or c.role in EXTERNAL) and not _given(c.organisation):
            problems.append(Problem(consultation_field(i, "organisation"), "organisation_required"))
        if c.anonymous and c.consultee:
            problems.append(
                Problem(consultation_field(i, "consultee"), "anonymous_records_organisation_only")
            )
    if (talk := data.conversation) is not None:
        if bool(talk.held_with) == bool(talk.not_held_reason):
            problems.append(Problem("conversation", "held_with_or_reason_not_held"))
        if talk.held_with and talk.held_with not in CONVERSATION_WITH:
            problems.append(Problem("conversation", "unknown_choice"))
        if talk.not_held_reason and talk.not_held_reason not in NOT_HELD_REASONS:
            problems.append(Problem("conversation", "unknown_choice"))
    if data.next_due is not None and name == "close":
        problems.append(Problem("next_due", "not_for_this_transition"))
    elif data.next_due is not None and data.next_due < data.on:
        problems.append(Problem("next_due", "before_step_date"))
    elif data.next_due is not None and (data.next_due - data.on).days > MAX_DUE_AHEAD_DAYS:
        problems.append(Problem("next_due", "too_far_ahead"))
    return problems
