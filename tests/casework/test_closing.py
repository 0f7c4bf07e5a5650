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


def test_a_concern_is_not_closed_as_not_confirmed_while_112_is_due():
    """Acute danger advised and neither a 112 step nor a weighing recorded: closing as
    "concern not confirmed" does not fit (the outside probe closed a level-4 case so at
    once); moving away still does, and a weighing or the 112 step lifts it."""
    from lens.casework.weighing import Decision, Decisions
    from lens.casework.workflow import with_danger

    pending = with_danger(OPEN_CASE, acute_danger=True)
    assert pending.acute_pending
    options = dict(close_options(pending))
    assert options["concern_not_confirmed"] == "acute_danger_first"
    assert options["moved_away"] == ""
    refused = check_transition(pending, "close", step("close", reason="concern_not_confirmed"))
    assert Problem("reason", "does_not_match_case") in refused
    weighed = replace(pending, weighing=Decisions(Decision.NOT_CONFIRMED, ()))
    assert why_not(weighed, "concern_not_confirmed") == ""
    assert not with_danger(OPEN_CASE, acute_danger=False).acute_pending
    called = replace(OPEN_CASE, history=(("acute", step("acute")),))
    assert not with_danger(called, acute_danger=True).acute_pending
