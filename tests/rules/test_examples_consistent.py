"""Example-based tests of validation.check_consistent, which parse_input (the API's and
`lens assess`'s input) applies: a signal code in more than one of signals / unknown /
absent is refused, naming the code and the lists (the outside probe: all three at once
gave level 1, exit status 0), and so is a date before EARLIEST_DATE (the probe: as_of
0001-01-01 was accepted), tested at and just below the bound."""

from datetime import date

import pytest

from lens.rules.engine import InputError
from lens.rules.inputs import parse_input
from lens.rules.limits import EARLIEST_DATE
from lens.rules.model import AssessmentInput, Observation
from lens.rules.validation import check_consistent


def problems_of(data):
    with pytest.raises(InputError) as info:
        parse_input(data)
    return [(p.field, p.value, p.message, p.code) for p in info.value.problems]


def contradictory(code, lists):
    return ("", code, f"code {code!r} is given in more than one of {lists}", "contradictory")


def test_the_earliest_date_is_1900_01_01():
    assert EARLIEST_DATE.isoformat() == "1900-01-01"


def test_a_code_in_all_three_lists_is_refused_naming_them():
    data = {"signals": ["truancy"], "unknown": ["truancy"], "absent": ["truancy"]}
    assert problems_of(data) == [contradictory("truancy", "signals, unknown, absent")]


@pytest.mark.parametrize(
    ("data", "lists"),
    [
        ({"signals": [{"code": "debts"}], "unknown": ["debts"]}, "signals, unknown"),
        ({"signals": ["debts"], "absent": ["debts"]}, "signals, absent"),
        ({"signals": [], "unknown": ["debts"], "absent": ["debts"]}, "unknown, absent"),
    ],
)
def test_a_code_in_two_lists_is_refused(data, lists):
    assert problems_of(data) == [contradictory("debts", lists)]


def test_each_code_in_two_lists_is_named_once_in_code_order():
    data = {"signals": ["luxury", "debts", "debts"], "absent": ["luxury", "debts", "cash"]}
    assert problems_of(data) == [
        contradictory("debts", "signals, absent"),
        contradictory("luxury", "signals, absent"),
    ]


def test_codes_in_one_list_each_are_consistent():
    data = AssessmentInput(
        signals=(Observation("debts"), Observation("debts")),
        unknown=("cash", "cash"),
        absent=("luxury",),
    )
    assert check_consistent(data) == []


@pytest.mark.parametrize("where", ["as_of", "observed_on"])
def test_a_date_on_the_earliest_day_is_read_the_day_before_is_refused(where):
    def data(day):
        if where == "as_of":
            return {"signals": ["debts"], "as_of": day}
        return {"signals": [{"code": "debts", "observed_on": day}], "as_of": "2026-01-01"}

    parse_input(data("1900-01-01"))  # no InputError
    assert problems_of(data("1899-12-31")) == [
        (where, "1899-12-31", f"{where}: 1899-12-31 lies before 1900-01-01", "too_old")
    ]


def test_the_probes_date_and_every_early_observation_are_named():
    data = {
        "signals": [{"code": "debts", "observed_on": "0001-01-01"}, {"code": "cash"}],
        "as_of": "0001-01-01",
    }
    assert [(field, value) for field, value, _, _ in problems_of(data)] == [
        ("observed_on", "0001-01-01"),
        ("as_of", "0001-01-01"),
    ]


def test_no_dates_and_a_far_future_are_consistent():
    # A far-future as_of is read (observed_on may still not lie after it: check_input).
    assert check_consistent(AssessmentInput(signals=(Observation("debts"),))) == []
    assert check_consistent(AssessmentInput(as_of=date(9999, 12, 31))) == []
