"""The meldcode case as a pure state machine: states, transitions and what each needs.

No Django import (not even indirectly): the Django layer stores a case's steps and calls
`check_transition` / `apply` in its actions, one access-log entry per transition. A case
is rebuilt from its stored steps with `replay`. Codes only: the Django layer translates.
The design, with the meldcode sources, is docs/design/casework.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from . import closing
from .closing import CLOSE_REASONS as CLOSE_REASONS
from .closing import REASONS as REASONS
from .closing import REOPEN_REASONS as REOPEN_REASONS
from .periods import DEFAULT_PERIODS, Period, next_due
from .steps import CONSULT_ROLES as CONSULT_ROLES
from .steps import CONVERSATION_WITH as CONVERSATION_WITH
from .steps import EMERGENCY as EMERGENCY
from .steps import MAY_CARRY as MAY_CARRY
from .steps import NOT_HELD_REASONS as NOT_HELD_REASONS
from .steps import REFERRAL_ANSWERS as REFERRAL_ANSWERS
from .steps import REPORT_GROUND_CODES as REPORT_GROUND_CODES
from .steps import TRIGGERS as TRIGGERS
from .steps import Consultation as Consultation
from .steps import Conversation as Conversation
from .steps import Problem, StepData, field_problems
from .weighing import Decisions, decision_from_weighing


class State(StrEnum):
    NEW = "new"  # no case yet
    OPENED = "opened"
    SIGNALS_MAPPED = "signals_mapped"  # meldcode step 1
    CONSULTED = "consulted"  # step 2: colleague, aandachtsfunctionaris, expert
    CONVERSATION = "conversation"  # step 3: held, or not held with a reason
    WEIGHED = "weighed"  # step 4: the afwegingskader's five questions answered
    FOLLOWING_HELP = "following_help"  # step 5: help organised and followed
    REPORTED = "reported"  # step 5: reported to Veilig Thuis
    ACUTE = "acute"  # 112 called / police engaged: a report to Veilig Thuis is next
    CLOSED = "closed"


S = State
OPEN = frozenset(State) - {S.NEW, S.CLOSED}
MAPPED = frozenset(
    {S.SIGNALS_MAPPED, S.CONSULTED, S.CONVERSATION, S.WEIGHED, S.FOLLOWING_HELP, S.REPORTED}
)
SAME = None  # target of an action within a step: the case stays where it is


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    target: State | None  # SAME: the state does not change
    needs: tuple[str, ...]  # StepData fields it requires besides on, by and done
    meldcode_step: int | None = None


# The whole workflow in one table. Context rules (a report first, an open referral, ...)
# are in _context_problems below.
TRANSITIONS: dict[str, Transition] = {
    "open": Transition(frozenset({S.NEW}), S.OPENED, ("trigger",)),
    "map_signals": Transition(MAPPED | {S.OPENED}, S.SIGNALS_MAPPED, (), 1),
    "consult": Transition(MAPPED, S.CONSULTED, ("consultations",), 2),
    "refer": Transition(OPEN, SAME, ("organisation",), 2),  # to the zorgcoördinator
    "referral_answered": Transition(OPEN, SAME, ("referral_answer",), 2),
    "converse": Transition(MAPPED - {S.SIGNALS_MAPPED}, S.CONVERSATION, ("conversation",), 3),
    "weigh": Transition(frozenset({S.CONVERSATION, S.WEIGHED}), S.WEIGHED, ("answers",), 4),
    "organise_help": Transition(frozenset({S.WEIGHED, S.REPORTED}), S.FOLLOWING_HELP, (), 5),
    "review_help": Transition(
        frozenset({S.FOLLOWING_HELP}), S.FOLLOWING_HELP, ("lasting_safety",), 5
    ),
    "report": Transition(OPEN, S.REPORTED, ("organisation", "report_grounds"), 5),
    "acute": Transition(OPEN, S.ACUTE, ("emergency",)),
    "close": Transition(OPEN - {S.ACUTE}, S.CLOSED, ("reason",)),
    "reopen": Transition(frozenset({S.CLOSED}), S.OPENED, ("reason",)),
}

PROPOSE_AT_LEVEL = 2  # the organisation's OWN outcome; never the combined one it cannot see
ACUTE_LEVEL = 4


def propose_case(own_level: int, has_open_case: bool) -> bool:
    """Whether the person's page proposes opening a case (one open case per person per
    organisation: the Django layer enforces it with a constraint)."""
    return own_level >= PROPOSE_AT_LEVEL and not has_open_case


def acute_advised(own_level: int, acute_signal: bool) -> bool:
    """Acute danger: the case offers "112 gebeld / politie ingeschakeld" first."""
    return own_level >= ACUTE_LEVEL or acute_signal


@dataclass(frozen=True)
class Case:
    state: State = S.NEW
    history: tuple[tuple[str, StepData], ...] = ()
    weighing: Decisions | None = None  # the latest weighing's decisions
    report_required: bool = False  # a report to Veilig Thuis is due and not yet made
    reported: bool = False  # Veilig Thuis has the case (our report or a hand-over)
    help_organised: bool = False
    referral_open: bool = False
    referral_taken_up: bool = False
    close_reason: str = ""
    next_action: str = ""
    next_due: date | None = None
    # Acute danger advised (level 4 or an acute signal: `acute_advised`) and no 112 call
    # or police recorded in this course. The outcome is not the workflow's: the caller
    # sets it (`with_danger`).
    acute_pending: bool = False


class TransitionRefused(ValueError):
    def __init__(self, transition: str, problems: list[Problem]) -> None:
        super().__init__(f"{transition}: " + ", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


def allowed_transitions(state: State) -> list[str]:
    """Transitions the table allows from `state` (context rules may still refuse)."""
    return [name for name, t in TRANSITIONS.items() if state in t.sources]


# Recorded only by the zorgcoördinator's answer to the referral (the Django layer's
# answer action), never offered to or taken by the case's own organisation.
ANSWERED_BY_COORDINATOR = frozenset({"referral_answered"})


def own_problems(case: Case, name: str) -> list[Problem]:
    """Why the case's own organisation cannot take `name` now, whatever the step records:
    the table, the context rules that do not depend on the step's data, and the answer
    only the zorgcoördinator gives. The one rule for what a case page offers and what
    the actions accept (`own_transitions`); `check_transition` then checks the data."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        return [Problem("", "unknown_transition")]
    if name in ANSWERED_BY_COORDINATOR:
        return [Problem("", "answered_by_coordinator")]
    if name == "open" or case.state not in transition.sources:
        return [Problem("", "not_allowed_in_state")]
    return _case_problems(case, name)


def own_transitions(case: Case) -> list[str]:
    """The steps the case's own organisation can take now (see `own_problems`)."""
    return [name for name in TRANSITIONS if not own_problems(case, name)]


def _case_problems(case: Case, name: str) -> list[Problem]:
    """The context rules that hold whatever the step's data."""
    problems = []
    if name == "refer" and case.referral_open:
        problems.append(Problem("", "referral_already_open"))
    if name == "referral_answered" and not case.referral_open:
        problems.append(Problem("", "no_open_referral"))
    if name == "organise_help":
        if case.weighing is None or not case.weighing.help:
            problems.append(Problem("", "weighing_does_not_allow_help"))
        if case.report_required:
            problems.append(Problem("", "report_first"))
    if name == "close" and case.report_required:
        problems.append(Problem("", "report_first"))
    return problems


def _context_problems(case: Case, name: str, data: StepData) -> list[Problem]:
    problems = []
    if case.history and data.on < case.history[-1][1].on:
        problems.append(Problem("on", "before_previous_step"))
    problems += _case_problems(case, name)
    if name == "close" and closing.why_not(case, data.reason):  # lens.casework.closing
        problems.append(Problem("reason", "does_not_match_case"))
    if name == "reopen" and data.referral_answer and not case.referral_open:
        problems.append(Problem("referral_answer", "no_open_referral"))
    return problems


def check_transition(
    case: Case, name: str, data: StepData, periods: Mapping[str, Period] = DEFAULT_PERIODS
) -> list[Problem]:
    """Every reason `name` with `data` is refused for `case`; empty when allowed."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        return [Problem("", "unknown_transition")]
    if case.state not in transition.sources:
        return [Problem("", "not_allowed_in_state")]
    problems = field_problems(name, transition.needs, data) + _context_problems(case, name, data)
    if not problems and data.next_due is not None:
        # An own due date may bring a due report forward, never postpone it.
        default = _transition(case, name, replace(data, next_due=None), periods)
        if default.report_required and default.next_due and data.next_due > default.next_due:
            problems.append(Problem("next_due", "later_than_report_due"))
    return problems


def apply(
    case: Case, name: str, data: StepData, periods: Mapping[str, Period] = DEFAULT_PERIODS
) -> Case:
    """The case after the transition; raises TransitionRefused with every problem."""
    problems = check_transition(case, name, data, periods)
    if problems:
        raise TransitionRefused(name, problems)
    return _transition(case, name, data, periods)


def default_next(
    case: Case,
    name: str,
    on: date,
    periods: Mapping[str, Period] = DEFAULT_PERIODS,
    *,
    trigger: str = "",
) -> tuple[str, date | None]:
    """The next action and its due date that `name` taken on `on` sets without an own due
    date: the same rule as `apply` (a due report keeps its date, acute danger is reported
    the same working day), so that the step form proposes what the case will show. A
    weighing's decides by its answers: the weighing's own period is proposed. `trigger`:
    the opening's (acute danger: the 112 step, the same day)."""
    if name == "weigh" or case.state not in TRANSITIONS[name].sources:
        return next_due(name, on, periods) or ("", None)
    after = _transition(case, name, StepData(on=on, by="", done="", trigger=trigger), periods)
    return after.next_action, after.next_due


def _transition(case: Case, name: str, data: StepData, periods: Mapping[str, Period]) -> Case:
    target = TRANSITIONS[name].target or case.state
    changes: dict = {"state": target, "history": (*case.history, (name, data))}
    if name == "weigh":
        assert data.answers is not None
        outcome = decision_from_weighing(data.answers)
        # Sticky: only a report satisfies a required report, a later weighing does not.
        changes.update(weighing=outcome, report_required=case.report_required or outcome.report)
    elif name == "organise_help":
        changes["help_organised"] = True
    elif name == "review_help" and data.lasting_safety is False:
        changes["report_required"] = True  # afweging 5 "nee": (opnieuw) melden
    elif name == "report":
        changes.update(reported=True, report_required=False)
    elif name == "acute":
        changes["report_required"] = True
    elif name == "refer":
        changes["referral_open"] = True
    elif name == "referral_answered":
        changes.update(_answered(data.referral_answer))
    elif name == "close":
        changes["close_reason"] = data.reason
    elif name == "reopen":  # a new course: the earlier decision is history, not current
        changes.update(close_reason="", weighing=None)
        if data.referral_answer:  # answered while closed
            changes.update(_answered(data.referral_answer))
    # A required report is the next action, whatever the transition's own period says;
    # an action within a step does not postpone a report that was already due.
    required = changes.get("report_required", case.report_required)
    if required and case.report_required and name != "acute":
        action, default_due = case.next_action, case.next_due
    else:
        key = "report_required" if required and name != "acute" else name
        if name == "open" and data.trigger == "acute_danger":
            key = "acute_danger"  # straight to 112 / the police, then the report
        if name == "reopen" and changes.get("referral_open", case.referral_open):
            key = "refer"  # still waiting for the answer, as right after the referral
        action, default_due = next_due(key, data.on, periods) or ("", None)
    changes.update(next_due=data.next_due or default_due)
    after = replace(case, **changes)
    return replace(after, next_action=next_step(after, action))


def _answered(answer: str) -> dict:
    """What the zorgcoördinator's answer to the open referral changes."""
    changes: dict = {"referral_open": False}
    if answer == "taken_up":
        changes["referral_taken_up"] = True
    elif answer == "handed_to_veilig_thuis":
        changes["reported"] = True
    return changes


# The meldcode's steps in order: an action the state does not allow yet (consult right
# after opening) is reached through the last of these the state allows before it.
MELDCODE_PATH = ("map_signals", "consult", "converse", "weigh")


def next_step(case: Case, action: str) -> str:
    """A period's next action (lens.casework.periods) as a transition the table allows
    from the case's state, so that what a page shows as "next" can always be taken: a
    decision or a follow-up becomes the step it leads to (organise help or close, by the
    latest weighing), and a step the state does not allow yet becomes the meldcode step
    before it. "" for a closed case."""
    allowed = [n for n in allowed_transitions(case.state) if n not in ("open", "reopen")]
    if not action or not allowed:
        return ""
    helps = case.weighing is not None and case.weighing.help
    if action == "decide":  # a weighing without a required report (that would be "report")
        action = "organise_help" if helps else "close"
    elif action == "follow_up_report":  # Veilig Thuis has it: help alongside, or close
        action = "organise_help" if helps and not case.help_organised else "close"
    if action in allowed:
        return action
    if action in MELDCODE_PATH:
        for earlier in reversed(MELDCODE_PATH[: MELDCODE_PATH.index(action)]):
            if earlier in allowed:
                return earlier
    return allowed[0]


def course(case: Case) -> tuple[tuple[str, StepData], ...]:
    """The steps from the latest reopening on (all steps when it was never reopened)."""
    names = [name for name, _ in case.history]
    start = len(names) - 1 - names[::-1].index("reopen") if "reopen" in names else 0
    return case.history[start:]


def with_danger(case: Case, acute_danger: bool) -> Case:
    """`case` with `acute_pending` set: acute danger advised by the organisation's own
    outcome and no 112 step in this course."""
    return replace(case, acute_pending=_acute_pending(case, acute_danger))


def _acute_pending(case: Case, acute_danger: bool) -> bool:
    """Acute danger advised and no 112 call or police recorded in this course."""
    return acute_danger and all(name != "acute" for name, _ in course(case))


def first_step(case: Case, acute_danger: bool) -> str:
    """The step the case puts first, for its page and its documents: with acute danger
    (`acute_advised`) and no 112 call or police recorded in this course, "acute"; then a
    due report; otherwise the next action ("" when the case's own organisation can take
    none of these)."""
    own = own_transitions(case)
    if "acute" in own and _acute_pending(case, acute_danger):
        return "acute"
    if "report" in own and case.report_required:
        return "report"
    return case.next_action if case.next_action in own else ""


def replay(steps: list[tuple[str, StepData]] | tuple[tuple[str, StepData], ...]) -> Case:
    """Rebuild a case from its stored steps (oldest first)."""
    case = Case()
    for name, data in steps:
        case = apply(case, name, data)
    return case
