"""Retired signal codes in engine input: read as what replaced them, in every list."""

from dataclasses import replace

import pytest

from lens.rules.engine import InputError, assess
from lens.rules.model import AssessmentInput, Observation, RetiredSignal

from .conftest import TODAY
from .factories import t


def retired(code, signal="", risk=""):
    return RetiredSignal(
        code, t(code), t("gone"), ("src",), replaced_by=signal, replaced_by_risk_factor=risk
    )


@pytest.fixture
def with_retired(catalogue):
    items = [
        retired("old_cash", signal="cash"),
        retired("oldest_cash", signal="old_cash"),  # a chain: oldest -> old -> cash
        retired("minor", risk="young"),  # now a risk factor
        retired("old_threat", signal="threatened"),
    ]
    return replace(catalogue, retired_signals={r.code: r for r in items})


def test_old_code_scores_as_its_replacement(with_retired, ruleset):
    old = assess(
        with_retired, ruleset, AssessmentInput(signals=(Observation("oldest_cash"),)), TODAY
    )
    new = assess(with_retired, ruleset, AssessmentInput(signals=(Observation("cash"),)), TODAY)
    assert [s.code for s in old.signals] == ["cash"]
    assert (old.level.number, old.total) == (new.level.number, new.total)


def test_merged_codes_count_once(with_retired, ruleset):
    data = AssessmentInput(
        signals=(
            Observation("cash", "school"),
            Observation("old_cash", "gp"),
            Observation("oldest_cash"),
        )
    )
    outcome = assess(with_retired, ruleset, data, TODAY)
    assert len(outcome.signals) == 1
    assert outcome.signals[0].reports == 3
    assert outcome.signals[0].organisation_types == ("gp", "school")
    assert outcome.total == 1  # one soft signal, not three


def test_code_replaced_by_a_risk_factor(with_retired, ruleset):
    data = AssessmentInput(
        signals=(Observation("minor"), Observation("debts")), risk_factors=("lvb",)
    )
    outcome = assess(with_retired, ruleset, data, TODAY)
    assert [s.code for s in outcome.signals] == ["debts"]
    assert outcome.risk_factors == ("lvb", "young")
    # Alone it is no signal at all: a risk factor never raises the level on its own.
    alone = assess(with_retired, ruleset, AssessmentInput(signals=(Observation("minor"),)), TODAY)
    assert (alone.signals, alone.risk_factors, alone.level.number) == ((), ("young",), 0)


def test_unknown_and_absent_lists_are_read_through_the_mapping(with_retired, ruleset):
    data = AssessmentInput(
        signals=(Observation("debts"),), unknown=("old_cash", "minor"), absent=("oldest_cash",)
    )
    outcome = assess(with_retired, ruleset, data, TODAY)
    assert outcome.unknown == ("cash",)


def test_acute_replacement_stays_acute(with_retired, ruleset):
    outcome = assess(
        with_retired, ruleset, AssessmentInput(signals=(Observation("old_threat"),)), TODAY
    )
    assert outcome.level.number == 4


def test_unknown_codes_are_still_refused(with_retired, ruleset):
    with pytest.raises(InputError) as caught:
        assess(with_retired, ruleset, AssessmentInput(signals=(Observation("nonsense"),)), TODAY)
    assert [p.value for p in caught.value.problems] == ["nonsense"]


def test_unknown_codes_in_the_unknown_and_absent_lists_are_refused_by_name(with_retired, ruleset):
    # "dangling" was retired for a signal this catalogue no longer has: unknown as well.
    catalogue = replace(
        with_retired,
        retired_signals={**with_retired.retired_signals, "dangling": retired("dangling", "gone")},
    )
    data = AssessmentInput(unknown=("old_cash", "nonsense"), absent=("dangling",))
    with pytest.raises(InputError) as caught:
        assess(catalogue, ruleset, data, TODAY)
    assert [(p.field, p.value) for p in caught.value.problems] == [
        ("unknown", "nonsense"),
        ("absent", "dangling"),
    ]
