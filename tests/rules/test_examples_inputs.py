"""Example-based tests of the bounds in lens/rules/inputs.py and engine.check_input: the
length of one code, the number of codes in one list, how a value that is no date is named
back, and how many unknown codes get suggestions. Each bound is tested just below, at and
just above its limit (MAX_CODE_LENGTH 64, MAX_CODES 200, SUGGESTED_CODES 5)."""

import pytest

from lens.rules.engine import InputError, check_input
from lens.rules.inputs import parse_input
from lens.rules.limits import MAX_CODE_LENGTH, MAX_CODES, SUGGESTED_CODES
from lens.rules.model import AssessmentInput, Observation

from .conftest import TODAY


def problems_of(data):
    with pytest.raises(InputError) as info:
        parse_input(data)
    return [(p.field, p.value, p.message, p.code) for p in info.value.problems]


def test_the_limits_below_are_these_numbers():
    # If a limit changes, the hand-written lengths in this file must be redone.
    assert (MAX_CODE_LENGTH, MAX_CODES, SUGGESTED_CODES) == (64, 200, 5)


# --- the length of one code ------------------------------------------------------------


def long_code_problem(where, code):
    return (where, code[:64] + "...", f"{where}: a code has at most 64 characters", "")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (lambda c: {"signals": [c]}, "signals[0]"),
        (lambda c: {"signals": [{"code": c}]}, "signals[0]"),
        (
            lambda c: {"signals": ["debts", {"code": "cash", "organisation_type": c}]},
            "signals[1].organisation_type",
        ),
        (lambda c: {"signals": [], "unknown": ["debts", c]}, "unknown[1]"),
        (lambda c: {"signals": [], "absent": [c]}, "absent[0]"),
        (lambda c: {"signals": [], "risk_factors": ["lvb", "young", c]}, "risk_factors[2]"),
        (lambda c: {"signals": [], "region": c}, "region"),
    ],
    ids=["code", "object_code", "organisation_type", "unknown", "absent", "risk_factors", "region"],
)
def test_a_code_of_64_characters_is_read_65_is_refused_and_shortened(data, where):
    exactly = "a" * 64
    parse_input(data(exactly))  # no InputError
    too_long = "b" * 64 + "c"
    assert problems_of(data(too_long)) == [long_code_problem(where, too_long)]


def test_a_long_code_is_one_problem_beside_the_others():
    # a too long signal code in an object and a wrong date: both named, in input order
    found = problems_of({"signals": [{"code": "x" * 70, "observed_on": "gisteren"}]})
    assert found == [
        long_code_problem("signals[0]", "x" * 70),
        (
            "signals[0].observed_on",
            "gisteren",  # the value as sent, quoted once: in the sentence (third probe)
            "signals[0].observed_on: 'gisteren' is not a date (YYYY-MM-DD)",
            "",
        ),
    ]


# --- the number of codes in one list ------------------------------------------------------


@pytest.mark.parametrize("key", ["signals", "unknown", "absent", "risk_factors"])
def test_200_codes_are_read_201_are_refused_before_anything_else(key):
    at_limit = {"signals": [], key: ["debts"] * 200}
    assert len(getattr(parse_input(at_limit), key)) == 200
    # 201 codes: only the count is named, even with other problems in the request
    # (an unknown key, a wrong region): they are not even looked at
    over = {"signals": [], key: ["debts"] * 201, "region": 5, "extra": 1}
    assert problems_of(over) == [
        (key, "201", f"{key}: at most 200 codes in one request (got 201)", "too_many")
    ]


def test_every_list_over_the_limit_is_named():
    data = {"signals": ["debts"] * 300, "unknown": ["x"] * 200, "absent": ["y"] * 201}
    assert [(field, value, code) for field, value, _, code in problems_of(data)] == [
        ("signals", "300", "too_many"),
        ("absent", "201", "too_many"),
    ]


def test_a_long_value_that_is_no_list_is_not_counted():
    # a string of 500 characters is no list of 500 codes: "expected a list of codes"
    assert problems_of({"signals": [], "unknown": "u" * 500}) == [
        ("unknown", "", "unknown: expected a list of codes", "")
    ]


# --- a value that is no date, named back --------------------------------------------------


def test_a_date_that_is_no_text_or_number_is_named_by_its_type():
    assert problems_of({"signals": [], "as_of": ["2026-11-20"]}) == [
        ("as_of", "list", "as_of: list is not a date (YYYY-MM-DD)", "")
    ]
    assert problems_of({"signals": [{"code": "debts", "observed_on": {"y": 2026}}]}) == [
        (
            "signals[0].observed_on",
            "dict",
            "signals[0].observed_on: dict is not a date (YYYY-MM-DD)",
            "",
        )
    ]
    assert problems_of({"signals": [], "as_of": 1.5}) == [
        ("as_of", "1.5", "as_of: 1.5 is not a date (YYYY-MM-DD)", "")
    ]


def test_a_long_date_value_is_shown_up_to_64_characters():
    # a text of 64 characters: shown whole (the value as sent, quoted in the sentence)
    fits = "d" * 64
    assert problems_of({"signals": [], "as_of": fits})[0][1] == fits
    # 65 characters: the first 64 are shown, then "..."
    long = "e" * 65
    shown = long[:64] + "..."
    assert problems_of({"signals": [], "as_of": long}) == [
        ("as_of", shown, f"as_of: {shown!r} is not a date (YYYY-MM-DD)", "")
    ]


def test_dates_are_read_only_in_the_extended_form():
    assert parse_input({"signals": [], "as_of": "2026-02-28"}).as_of.isoformat() == "2026-02-28"
    for text in ("20260228", "2026-2-28", "2026-02-30", " 2026-02-28", "2026-02-28T10:00"):
        ((field, value, _, _),) = problems_of({"signals": [], "as_of": text})
        assert (field, value) == ("as_of", text)


# --- suggestions for unknown codes: the first SUGGESTED_CODES (5) only -----------------------


def test_only_the_first_five_unknown_codes_get_suggestions(catalogue):
    # six typos, each close to a known code; the count runs across the fields
    data = AssessmentInput(
        signals=(Observation("debtz"), Observation("cassh", "scool")),
        unknown=("luxur", "injuris"),
        absent=("anxius",),
        risk_factors=("yung",),
    )
    problems = check_input(catalogue, data, TODAY)
    assert [(p.value, p.suggestions) for p in problems] == [
        ("debtz", ("debts",)),
        ("cassh", ("cash",)),
        ("scool", ("school",)),
        ("luxur", ("luxury",)),
        ("injuris", ("injuries",)),
        ("anxius", ()),  # the sixth: no suggestions, though "anxious" is close
        ("yung", ()),
    ]
    # the same sixth typo on its own does get its suggestion
    (alone,) = check_input(catalogue, AssessmentInput(absent=("anxius",)), TODAY)
    assert alone.suggestions == ("anxious",)
