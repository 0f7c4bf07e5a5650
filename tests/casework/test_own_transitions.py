"""What the case's own organisation can take (own_transitions / own_problems): the one
rule for what a case page offers and what the actions accept."""

from __future__ import annotations

import pytest

from lens.casework.workflow import (
    ANSWERED_BY_COORDINATOR,
    TRANSITIONS,
    Case,
    Problem,
    State,
    allowed_transitions,
    apply,
    check_transition,
    own_problems,
    own_transitions,
)

from .factories import ALL_YES, step

S = State


def run(*names: str) -> Case:
    case = Case()
    for name in names:
        case = apply(case, name, step(name))
    return case


CASES = {
    "opened": ("open",),
    "referred": ("open", "map_signals", "refer"),
    "answered": ("open", "map_signals", "refer", "referral_answered"),
    "acute": ("open", "acute"),
    "weighed": ("open", "map_signals", "consult", "converse", "weigh"),
    "closed": ("open", "close"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_what_is_offered_is_allowed_and_passes_the_context_rules(name):
    case = run(*CASES[name])
    offered = own_transitions(case)
    assert set(offered) <= set(allowed_transitions(case.state))
    assert not ANSWERED_BY_COORDINATOR & set(offered)
    assert "open" not in offered
    for transition in offered:  # valid data is then accepted
        assert check_transition(case, transition, step(transition)) == [], transition
    for transition in set(TRANSITIONS) - set(offered):
        assert own_problems(case, transition), transition


def test_a_referral_is_offered_only_when_none_is_open():
    assert "refer" in own_transitions(run("open"))
    assert own_problems(run(*CASES["referred"]), "refer") == [Problem("", "referral_already_open")]
    assert "refer" in own_transitions(run(*CASES["answered"]))


def test_the_coordinators_answer_is_never_the_organisations():
    for name in CASES:
        assert own_problems(run(*CASES[name]), "referral_answered") == [
            Problem("", "answered_by_coordinator")
        ]


def test_closing_is_not_offered_while_a_report_is_due():
    talked = run("open", "map_signals", "consult", "converse")
    case = apply(talked, "weigh", step("weigh", answers=ALL_YES))
    assert case.report_required and "close" in allowed_transitions(case.state)
    assert own_problems(case, "close") == [Problem("", "report_first")]
    assert "report" in own_transitions(case) and "close" not in own_transitions(case)
