"""Reading assessment input from decoded JSON (lens/rules/inputs.py) and checking it
against the catalogue (engine.check_input): every problem is named, none is skipped."""

from datetime import date

import pytest

from lens.rules.engine import InputError, assess, check_input, closest_codes
from lens.rules.inputs import parse_input
from lens.rules.model import AssessmentInput, Observation

from .conftest import TODAY


def problems_of(data):
    with pytest.raises(InputError) as info:
        parse_input(data)
    return [(p.field, p.value, p.message) for p in info.value.problems]


def test_full_input_is_read():
    data = {
        "signals": [
            {"code": "debts", "organisation_type": "school", "observed_on": "2026-10-01"},
            "cash",
            {"code": "anxious", "organisation_type": None, "observed_on": None},
        ],
        "unknown": ["injuries"],
        "absent": ["luxury"],
        "risk_factors": ["lvb"],
        "region": "a",
        "as_of": "2026-11-20",
    }
    assert parse_input(data) == AssessmentInput(
        signals=(
            Observation("debts", "school", date(2026, 10, 1)),
            Observation("cash"),
            Observation("anxious"),
        ),
        unknown=("injuries",),
        absent=("luxury",),
        risk_factors=("lvb",),
        region="a",
        as_of=date(2026, 11, 20),
    )


def test_only_signals_is_required():
    assert parse_input({"signals": []}) == AssessmentInput()
    assert parse_input({"signals": [], "region": None}).region == ""
    assert problems_of({}) == [("signals", "", "signals: required (may be an empty list)")]


def test_not_an_object():
    for value in ([], "debts", None, 3):
        assert problems_of(value) == [("", "", "expected a JSON object")]


def test_unknown_keys_are_named():
    assert problems_of({"signals": [], "sigs": [], "extra": 1}) == [
        ("", "extra, sigs", "unknown keys ['extra', 'sigs']")
    ]
    assert problems_of({"signals": [{"code": "debts", "org": "x", "when": "y"}]}) == [
        ("signals[0]", "org, when", "signals[0]: unknown keys ['org', 'when']")
    ]


# Values that are not strings are not echoed back (issue 9, defect 3: error bodies stay
# small whatever was sent); dates are shown as written, quoted.


def test_signals_must_be_a_list_of_objects_or_codes():
    assert problems_of({"signals": "debts"}) == [("signals", "debts", "signals: expected a list")]
    assert problems_of({"signals": ["debts", 7]}) == [
        ("signals[1]", "", "signals[1]: expected an object or a code")
    ]


def test_a_signal_needs_a_code():
    assert problems_of({"signals": [{"organisation_type": "school"}]}) == [
        ("signals[0]", "", "signals[0].code: a signal code is required")
    ]
    assert problems_of({"signals": [{"code": ""}]}) == [
        ("signals[0]", "", "signals[0].code: a signal code is required")
    ]
    assert problems_of({"signals": [{"code": 5}]}) == [
        ("signals[0]", "", "signals[0].code: a signal code is required")
    ]


def test_organisation_type_must_be_a_code():
    assert problems_of({"signals": [{"code": "debts", "organisation_type": 3}]}) == [
        ("signals[0]", "", "signals[0].organisation_type: expected a code")
    ]


def test_dates_must_be_iso_dates():
    assert problems_of({"signals": [{"code": "debts", "observed_on": "1-10-2026"}]}) == [
        (
            "signals[0].observed_on",
            "1-10-2026",
            "signals[0].observed_on: '1-10-2026' is not a date (YYYY-MM-DD)",
        )
    ]
    assert problems_of({"signals": [], "as_of": 20261120}) == [
        ("as_of", "20261120", "as_of: 20261120 is not a date (YYYY-MM-DD)")
    ]


def test_code_lists_must_be_lists_of_strings():
    for key in ("unknown", "absent", "risk_factors"):
        assert problems_of({"signals": [], key: "debts"}) == [
            (key, "", f"{key}: expected a list of codes")
        ]
        assert problems_of({"signals": [], key: ["debts", 1]}) == [
            (key, "", f"{key}: expected a list of codes")
        ]


def test_region_must_be_a_code():
    assert problems_of({"signals": [], "region": 12}) == [
        ("region", "", "region: expected a region code")
    ]


def test_every_problem_is_reported_at_once():
    found = problems_of(
        {
            "signals": [{"code": "debts", "observed_on": "x"}, 1],
            "unknown": "y",
            "region": 5,
            "as_of": "z",
            "more": 1,
        }
    )
    assert [field for field, _, _ in found] == [
        "",
        "signals[0].observed_on",
        "signals[1]",
        "region",
        "unknown",
        "as_of",
    ]


# --- checking against the catalogue ---------------------------------------------------------


def test_check_input_names_every_unknown_code(catalogue):
    data = AssessmentInput(
        signals=(Observation("debtz", "scool"), Observation("debts", "school")),
        unknown=("anxius",),
        absent=("injuris",),
        risk_factors=("lvb", "yung"),
        region="c",
    )
    problems = check_input(catalogue, data, TODAY)
    assert [(p.field, p.value) for p in problems] == [
        ("signals", "debtz"),
        ("organisation_type", "scool"),
        ("unknown", "anxius"),
        ("absent", "injuris"),
        ("risk_factors", "yung"),
        ("region", "c"),
    ]
    by_value = {p.value: p for p in problems}
    assert by_value["debtz"].message == "unknown signals code 'debtz'"
    assert by_value["scool"].suggestions[0] == "school"
    assert by_value["anxius"].suggestions[0] == "anxious"
    assert by_value["injuris"].suggestions[0] == "injuries"
    assert by_value["yung"].suggestions[0] == "young"


def test_valid_input_has_no_problems(catalogue):
    data = AssessmentInput(
        signals=(Observation("debts", "school", TODAY),),
        unknown=("anxious",),
        absent=("injuries",),
        risk_factors=("lvb",),
        region="a",
    )
    assert check_input(catalogue, data, TODAY) == []


def test_a_date_on_the_assessment_day_is_fine_the_next_day_is_not(catalogue, ruleset):
    today = AssessmentInput(signals=(Observation("debts", observed_on=TODAY),))
    assert assess(catalogue, ruleset, today, TODAY).level.number == 1
    later = AssessmentInput(signals=(Observation("debts", observed_on=date(2026, 11, 24)),))
    with pytest.raises(InputError) as info:
        assess(catalogue, ruleset, later, TODAY)
    (problem,) = info.value.problems
    assert (problem.field, problem.value) == ("observed_on", "2026-11-24")
    assert problem.message == (
        "observed_on 2026-11-24 of 'debts' lies after the assessment date 2026-11-23"
    )
    # as_of moves the assessment date: the same date is then in the past
    moved = AssessmentInput(signals=later.signals, as_of=date(2026, 12, 1))
    assert assess(catalogue, ruleset, moved, TODAY).level.number == 1


def test_input_error_message_joins_the_problems(catalogue, ruleset):
    with pytest.raises(InputError) as info:
        assess(catalogue, ruleset, AssessmentInput(signals=(Observation("a"),), region="z"), TODAY)
    assert str(info.value) == "unknown signals code 'a'; unknown region code 'z'"


def test_closest_codes_by_code_and_by_label():
    labels = {"lots_of_cash": "Veel contant geld", "truancy": "Spijbelen"}
    assert closest_codes("lots_of_csh", list(labels), labels) == ("lots_of_cash",)
    # by (Dutch) label: "spijbelen" is part of the label of truancy, in any case
    assert closest_codes("Spijbelen", list(labels), labels) == ("truancy",)
    # a typo in the label's word: no part of the label, but close enough to it
    assert closest_codes("spijbelem", list(labels), labels) == ("truancy",)
    assert closest_codes("xyz", list(labels), labels) == ()


def test_closest_codes_finds_a_code_by_the_words_of_a_long_label():
    # "contant geld" (underscores read as spaces) is part of a long label that is
    # otherwise not similar to the code (similarity 2*11/54 = 0.41)
    labels = {"lots_of_cash": "Veel contant geld op zak zonder verklaring"}
    assert closest_codes("contant_geld", list(labels), labels) == ("lots_of_cash",)


def test_closest_codes_similarity_thresholds():
    # by code: similarity 2*2/8 = 0.5 is close enough (the cut-off is 0.5)
    assert closest_codes("abcd", ["abxy"], {"abxy": "zzzz"}) == ("abxy",)
    # by label: it must be more than 0.6 similar; "abcxy" vs "abczz" is exactly 0.6
    assert closest_codes("abcxy", ["k"], {"k": "abczz"}) == ()
    assert closest_codes("abcxy", ["k"], {"k": "abcxz"}) == ("k",)  # 0.8


def test_closest_codes_gives_at_most_three():
    many = {f"debt{i}": "debt" for i in range(6)}
    found = closest_codes("debt", list(many), many)
    assert len(found) == 3 and set(found) <= set(many)
