"""When a step can be dated (lens.casework.dates): the outside probe recorded a step on
0001-01-01 and it was accepted."""

from datetime import date, timedelta

import pytest

from lens.casework.dates import BEFORE_OPENING, EARLIEST, step_date_problems
from lens.casework.workflow import Problem

TODAY = date(2026, 12, 7)
OPENED = date(2026, 11, 2)


def codes(on, **kwargs):
    kwargs = {"today": TODAY, "opened_on": OPENED, "birth_year": 2009, **kwargs}
    return [p.code for p in step_date_problems(on, **kwargs)]


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (date(1, 1, 1), "before_1900"),
        (date(1899, 12, 31), "before_1900"),
        (date(2008, 12, 31), "before_birth"),
        (OPENED - BEFORE_OPENING - timedelta(days=1), "before_case"),
        (TODAY + timedelta(days=1), "in_future"),
        (date(9999, 12, 31), "in_future"),
    ],
)
def test_dates_the_case_cannot_have_are_refused(on, code):
    assert codes(on) == [code]


@pytest.mark.parametrize("on", [OPENED - BEFORE_OPENING, OPENED, TODAY, date(2026, 1, 1)])
def test_dates_within_the_bounds_pass(on):
    assert codes(on) == []


def test_1900_holds_without_a_birth_year_and_the_opening_step_counts_from_today():
    assert codes(EARLIEST, birth_year=None, opened_on=EARLIEST) == []
    assert codes(date(1899, 1, 1), birth_year=None, opened_on=EARLIEST) == ["before_1900"]
    assert step_date_problems(
        TODAY - BEFORE_OPENING - timedelta(days=1), today=TODAY, opened_on=TODAY
    ) == [Problem("on", "before_case")]
