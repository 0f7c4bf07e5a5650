"""Close reasons as data (lens.casework.closing): the close form offers what fits the
case and the workflow accepts exactly that."""

from dataclasses import replace

import pytest

from lens.casework.closing import CLOSE_REASONS, CLOSING, close_options, why_not
from lens.casework.workflow import Case, Problem, State, check_transition

from .factories import step

OPEN_CASE = Case(state=State.CONSULTED)
FACTS = ("help_organised", "reported", "referral_taken_up")


@pytest.mark.parametrize("facts", [(), *((f,) for f in FACTS), FACTS])
def test_the_workflow_accepts_exactly_the_reasons_the_form_offers(facts):
    case = replace(OPEN_CASE, **{f: True for f in facts})
    for code, why in close_options(case):
        found = check_transition(case, "close", step("close", reason=code))
        assert (Problem("reason", "does_not_match_case") in found) is bool(why), (code, facts)


def test_a_new_case_may_close_only_as_not_confirmed_or_moved_away():
    options = dict(close_options(OPEN_CASE))
    assert [code for code, why in options.items() if not why] == [
        "concern_not_confirmed",
        "moved_away",
    ]
    assert options == {
        "help_organised": "no_help_organised",
        "reported_to_veilig_thuis": "not_reported",
        "taken_over_by_zorgcoordinator": "not_taken_up",
        "concern_not_confirmed": "",
        "moved_away": "",
    }


def test_every_reason_that_needs_a_fact_says_why_not():
    assert tuple(r.code for r in CLOSING) == CLOSE_REASONS
    for reason in CLOSING:
        assert reason.holds(OPEN_CASE) or reason.why_not, reason.code
    assert why_not(OPEN_CASE, "no_such_reason") == ""
