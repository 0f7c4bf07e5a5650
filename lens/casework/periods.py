"""Default periods of the meldcode casework: configuration, each with its reason.

After every transition the case's next action gets a due date: the transition's period
in working days (Monday to Friday, minus the Dutch public holidays of
`holidays.DUTCH_HOLIDAYS`, or the holidays the caller passes). An organisation
may change the numbers; the reasons say what a change weighs against. Only the first
period comes from the issue; the others are the project's own judgement and should be
checked with an aandachtsfunctionaris and the zorgcoördinator mensenhandel.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .holidays import DUTCH_HOLIDAYS


@dataclass(frozen=True)
class Period:
    working_days: int
    next_action: str  # code of the action that falls due
    reason: str


# transition code -> the period of the next action it sets. A transition without an
# entry (close) sets no next action.
DEFAULT_PERIODS: Mapping[str, Period] = {
    "open": Period(
        5,
        "consult",
        "Consult within 5 working days of a level-2 outcome (issue 13): a case is proposed "
        "at level 2, so the clock starts when it is opened.",
    ),
    "map_signals": Period(
        5,
        "consult",
        "New or newly mapped signals are discussed within the same 5 working days as a "
        "level-2 outcome: signals lose value when they wait.",
    ),
    "consult": Period(
        10,
        "converse",
        "Two working weeks to prepare a conversation and find a moment when it is safe; "
        "longer lets the situation run on without a weighing (project judgement).",
    ),
    "refer": Period(
        10,
        "referral_answered",
        "The zorgcoördinator's answer is expected within two working weeks; after that "
        "the professional asks again (project judgement).",
    ),
    "referral_answered": Period(
        5,
        "weigh",
        "Take the zorgcoördinator's answer into the weighing within a working week "
        "(project judgement).",
    ),
    "converse": Period(
        5,
        "weigh",
        "Weigh while the conversation is fresh: one working week (project judgement).",
    ),
    "weigh": Period(
        2,
        "decide",
        "The decisions follow from the weighing; a required report should not wait "
        "(project judgement).",
    ),
    "organise_help": Period(
        20,
        "review_help",
        "Afweging 5 asks whether help leads to safety 'binnen de gewenste termijn': "
        "review after four working weeks by default (project judgement).",
    ),
    "review_help": Period(
        20,
        "review_help",
        "Keep following the help every four working weeks until it is closed (project judgement).",
    ),
    "report": Period(
        10,
        "follow_up_report",
        "Ask Veilig Thuis after two working weeks what happened with the report and what "
        "is still asked of the professional (project judgement).",
    ),
    "report_required": Period(
        1,
        "report",
        "A report the afwegingskader makes necessary (or a review that finds no lasting "
        "safety) is made without delay: the next working day at the latest (project "
        "judgement).",
    ),
    "acute_danger": Period(
        0,
        "acute",
        "Opened at level 4 or with an acute signal: call 112 or the police first, the "
        "same day, then report (issue 13: acute danger goes straight to 112 and reporting).",
    ),
    "acute": Period(
        0,
        "report",
        "After 112 or the police, report to Veilig Thuis the same day: acute danger is "
        "always reported (afwegingskader, professional norm 1).",
    ),
    "reopen": Period(
        5,
        "consult",
        "A reopened case is discussed again within the level-2 period of 5 working days.",
    ),
}


def is_working_day(day: date, holidays: Collection[date] = DUTCH_HOLIDAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date] = DUTCH_HOLIDAYS) -> date:
    """`days` working days after `start`; 0 is `start` itself, or the next working day
    when `start` falls on a weekend or holiday."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while not is_working_day(current, holidays):
        current += timedelta(days=1)
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def next_due(
    transition: str,
    on: date,
    periods: Mapping[str, Period] = DEFAULT_PERIODS,
    holidays: Collection[date] = DUTCH_HOLIDAYS,
) -> tuple[str, date] | None:
    """The next action and its due date after `transition` on `on`, or None (close)."""
    period = periods.get(transition)
    if period is None:
        return None
    return period.next_action, add_working_days(on, period.working_days, holidays)


def working_days(start: date, end: date, holidays: Collection[date] = DUTCH_HOLIDAYS) -> int:
    """How many working days `end` lies after `start` (0 when it is not later): the
    inverse of `add_working_days` for a working day `end`."""
    days = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            days += 1
    return days
