"""Default periods: working days over weekends and holidays, every period with a reason."""

from datetime import date

import pytest

from lens.casework.holidays import DUTCH_HOLIDAYS
from lens.casework.periods import DEFAULT_PERIODS, Period, add_working_days, next_due
from lens.casework.workflow import TRANSITIONS

FRIDAY = date(2026, 12, 4)
SATURDAY = date(2026, 12, 5)
MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (FRIDAY, 0, FRIDAY),
        (FRIDAY, 1, MONDAY),
        (FRIDAY, 5, date(2026, 12, 11)),
        (SATURDAY, 0, MONDAY),  # a step on a weekend counts from the next working day
        (SATURDAY, 1, date(2026, 12, 8)),
        (date(2026, 12, 1), 10, date(2026, 12, 15)),
    ],
)
def test_working_days_skip_weekends(start, days, due):
    assert add_working_days(start, days) == due


def test_holidays_are_skipped():
    christmas = (date(2026, 12, 25), date(2026, 12, 28))  # Fri 25 and (for the test) Mon 28
    assert add_working_days(date(2026, 12, 24), 1, christmas) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 24), 1, ()) == date(2026, 12, 25)
    # By default the Dutch public holidays: both Christmas days, then the weekend.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 4, 6),  # tweede Paasdag (Easter 5 April 2026)
        date(2026, 4, 27),  # Koningsdag
        date(2026, 5, 5),
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 25),  # tweede Pinksterdag
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2025, 4, 26),  # Koningsdag 2025: the 27th is a Sunday
        date(2027, 3, 29),  # tweede Paasdag 2027 (Easter 28 March)
    ],
)
def test_dutch_public_holidays(day):
    assert day in DUTCH_HOLIDAYS


def test_ordinary_days_are_not_holidays():
    assert date(2026, 4, 3) not in DUTCH_HOLIDAYS  # Good Friday is not in the list
    assert date(2025, 4, 27) not in DUTCH_HOLIDAYS
    assert date(2026, 12, 7) not in DUTCH_HOLIDAYS


def test_consult_after_a_holiday_week_counts_working_days_only():
    # Opened Thursday 30 April 2026: Koningsdag is behind, 5 May (Tuesday) is skipped.
    assert next_due("open", date(2026, 4, 30)) == ("consult", date(2026, 5, 8))


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(FRIDAY, -1)


def test_consult_within_five_working_days_of_opening():
    # Issue 13: consult within 5 working days of a level-2 outcome.
    assert next_due("open", FRIDAY) == ("consult", date(2026, 12, 11))


def test_acute_is_reported_the_same_working_day():
    assert next_due("acute", FRIDAY) == ("report", FRIDAY)
    assert next_due("acute", SATURDAY) == ("report", MONDAY)


def test_close_sets_no_next_action():
    assert next_due("close", FRIDAY) is None


def test_periods_are_configuration():
    periods = {**DEFAULT_PERIODS, "open": Period(2, "consult", "a shorter local agreement")}
    assert next_due("open", FRIDAY, periods) == ("consult", date(2026, 12, 8))


def test_every_period_has_a_reason_and_every_transition_but_close_a_period():
    assert all(p.reason.strip() and p.working_days >= 0 for p in DEFAULT_PERIODS.values())
    assert set(TRANSITIONS) - set(DEFAULT_PERIODS) == {"close"}
    assert set(DEFAULT_PERIODS) - set(TRANSITIONS) == {"report_required", "acute_danger"}


def test_the_proposed_due_date_is_what_the_step_sets():
    """One source (outside probe L1): what the step form proposes (`default_next`) is
    what `apply` stores without an own due date, also when a due report keeps its date
    and for acute danger on a weekend."""
    from lens.casework.workflow import Case, allowed_transitions, apply, default_next

    from .factories import ALL_YES, step

    saturday = date(2026, 12, 5)
    walks = [
        ("open",),
        ("open", "map_signals", "consult", "converse"),
        ("open", "map_signals", "consult", "converse", "weigh"),  # help only
        ("open", "acute"),
    ]
    for names in walks:
        case = Case()
        for name in names:
            case = apply(case, name, step(name, on=date(2026, 12, 1)))
        for on in (date(2026, 12, 2), saturday):
            for name in allowed_transitions(case.state):
                if name in ("open", "weigh", "close", "referral_answered"):
                    continue
                data = step(name, on=on)
                after = apply(case, name, data)
                assert default_next(case, name, on) == (after.next_action, after.next_due), (
                    names,
                    name,
                    on,
                )
    weighed = apply(
        apply(Case(), "open", step("open")), "map_signals", step("map_signals")
    )  # a report due: a consultation keeps the report's date
    weighed = apply(
        apply(apply(weighed, "consult", step("consult")), "converse", step("converse")),
        "weigh",
        step("weigh", answers=ALL_YES),
    )
    assert default_next(weighed, "consult", date(2026, 12, 2)) == (
        weighed.next_action,
        weighed.next_due,
    )
    acute = apply(Case(), "open", step("open", on=saturday))
    assert default_next(acute, "acute", saturday) == ("report", date(2026, 12, 7))


def test_working_days_counts_what_add_working_days_adds():
    from lens.casework.periods import working_days

    start = date(2026, 12, 1)
    for days in range(0, 30):
        assert working_days(start, add_working_days(start, days)) == days
