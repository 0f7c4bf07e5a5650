"""The step-5 decisions against the afwegingskader, for all 32 combinations of answers."""

from itertools import product

import pytest

from lens.casework.weighing import QUESTIONS, Answers, Decision, decision_from_weighing

COMBINATIONS = list(product((False, True), repeat=5))


def expected(suspicion, unsafety, can_help, accepted, lasting):
    """The rule as the afwegingskader states it, written independently of the module:
    report in every case of acute or structural unsafety, and when (with a suspicion)
    effective help cannot be given or organised, is not accepted or does not lead to
    lasting safety; organise help when it can be given and is accepted."""
    concern = suspicion or unsafety
    report = unsafety or (suspicion and not (can_help and accepted and lasting))
    help_ = concern and can_help and accepted
    grounds = [
        ground
        for ground, holds in (
            ("acute_or_structural_unsafety", unsafety),
            ("no_effective_help", concern and not can_help),
            ("help_not_accepted", concern and not accepted),
            ("no_lasting_safety", concern and not lasting),
        )
        if holds
    ]
    decision = {
        (False, False): Decision.NOT_CONFIRMED,
        (False, True): Decision.ORGANISE_HELP,
        (True, False): Decision.REPORT,
        (True, True): Decision.REPORT_AND_HELP,
    }[(report, help_)]
    return decision, tuple(grounds)


def test_there_are_32_combinations_of_the_five_questions():
    assert len(QUESTIONS) == 5
    assert len(set(COMBINATIONS)) == 32


@pytest.mark.parametrize("values", COMBINATIONS, ids=lambda v: "".join("YN"[not x] for x in v))
def test_decision_follows_the_afwegingskader(values):
    outcome = decision_from_weighing(Answers(*values))
    assert (outcome.decision, outcome.report_grounds) == expected(*values)
    assert outcome.report == (outcome.decision in (Decision.REPORT, Decision.REPORT_AND_HELP))
    assert outcome.help == (outcome.decision in (Decision.ORGANISE_HELP, Decision.REPORT_AND_HELP))


def test_unsafety_is_always_reported_even_when_help_works():
    # Professional norm 1: acute and/or structural unsafety is always reported; help can
    # go on alongside, with Veilig Thuis.
    outcome = decision_from_weighing(Answers(True, True, True, True, True))
    assert outcome.decision is Decision.REPORT_AND_HELP
    assert outcome.report_grounds == ("acute_or_structural_unsafety",)


def test_no_effective_help_is_reported():
    # Professional norm 2: without unsafety, but the professional cannot give or
    # organise effective help.
    outcome = decision_from_weighing(Answers(True, False, False, True, True))
    assert outcome.decision is Decision.REPORT
    assert outcome.report_grounds == ("no_effective_help",)


def test_help_that_is_accepted_and_works_is_organised_without_a_report():
    outcome = decision_from_weighing(Answers(True, False, True, True, True))
    assert outcome.decision is Decision.ORGANISE_HELP
    assert outcome.report_grounds == ()


def test_no_suspicion_and_no_unsafety_closes():
    for rest in product((False, True), repeat=3):
        assert decision_from_weighing(Answers(False, False, *rest)).decision is (
            Decision.NOT_CONFIRMED
        )


def test_answers_from_a_mapping_need_all_five():
    values = dict.fromkeys(QUESTIONS, True)
    assert Answers.from_mapping(values) == Answers(True, True, True, True, True)
    del values["lasting"]
    with pytest.raises(KeyError):
        Answers.from_mapping(values)
