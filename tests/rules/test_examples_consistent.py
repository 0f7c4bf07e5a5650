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


# --- retired codes mapped first, then compared (third outside probe) -----------------------


def test_a_retired_code_and_its_replacement_contradict(real_catalogue):
    new = real_catalogue.retired_signals["lots_of_cash"].replaced_by
    data = AssessmentInput(signals=(Observation("lots_of_cash"),), absent=(new,))
    assert [(p.value, p.code, p.message) for p in check_consistent(data, real_catalogue)] == [
        (
            new,
            "contradictory",
            f"code {new!r} (lots_of_cash) is given in more than one of signals, absent",
        )
    ]
    # two retired codes merged into one, one seen and one "don't know": one code, both named
    data = AssessmentInput(signals=(Observation("lots_of_cash"),), unknown=("luxury_items",))
    (found,) = check_consistent(data, real_catalogue)
    assert found.value == new and "(lots_of_cash, luxury_items)" in found.message
    # parse_input with the catalogue refuses it, as the API and lens assess call it
    with pytest.raises(InputError):
        parse_input({"signals": ["lots_of_cash"], "absent": [new]}, real_catalogue)


def test_a_code_now_a_risk_factor_is_no_signal_answer(real_catalogue):
    """possibly_minor is the risk factor young_age now: as a signal it becomes that risk
    factor, as "not seen" it says nothing about a signal; no contradiction left."""
    assert real_catalogue.retired_signals["possibly_minor"].replaced_by_risk_factor
    data = AssessmentInput(signals=(Observation("possibly_minor"),), absent=("possibly_minor",))
    assert check_consistent(data, real_catalogue) == []
    # without the catalogue (plain input, no mapping): still the literal comparison
    assert [p.code for p in check_consistent(data)] == ["contradictory"]
