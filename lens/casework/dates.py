"""When a step can be dated: not in the future, and not before the case or the person
plausibly existed. Plain Python; the Django layer passes today, the day the case was
opened in the application and the person's birth year (lens.cases.actions.as_given),
so that every way in (page, API, command) meets the same bounds.
"""

from __future__ import annotations

from datetime import date, timedelta

from .steps import Problem

# No step of a meldcode case lies before this day, whatever else is known.
EARLIEST = date(1900, 1, 1)
# A case recorded after the fact: its steps may be dated up to a year before it was
# opened in the application (signals mapped and a colleague consulted on paper first);
# a step dated earlier is far more likely a typing error (0001-01-01, 2062 for 2026)
# than a course that ran a year unrecorded.
BEFORE_OPENING = timedelta(days=365)


def step_date_problems(
    on: date, *, today: date, opened_on: date, birth_year: int | None = None
) -> list[Problem]:
    """Why `on` cannot be a step's date: in the future (`in_future`), before 1900
    (`before_1900`), before the person's birth year (`before_birth`), or more than
    BEFORE_OPENING before the case was opened (`before_case`; `opened_on` is today for
    the opening step itself). Empty when it can."""
    if on > today:
        return [Problem("on", "in_future")]
    if on < EARLIEST:
        return [Problem("on", "before_1900")]
    if birth_year is not None and on.year < birth_year:
        return [Problem("on", "before_birth")]
    if on < opened_on - BEFORE_OPENING:
        return [Problem("on", "before_case")]
    return []
