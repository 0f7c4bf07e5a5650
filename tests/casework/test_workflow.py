"""Each transition allowed and refused, with the reason the workflow gives."""

from datetime import date, timedelta

import pytest

from lens.casework.free_text import NAME_MAX, TEXT_MAX, says_nothing
from lens.casework.weighing import Answers, Decision
from lens.casework.workflow import (
    OPEN,
    TRANSITIONS,
    Case,
    Consultation,
    Conversation,
    Problem,
    State,
    TransitionRefused,
    acute_advised,
    allowed_transitions,
    apply,
    check_transition,
    propose_case,
    replay,
)

from .factories import ALL_YES, DAY, HELP_ONLY, NOT_CONFIRMED, step

S = State


def run(*names: str, case: Case | None = None) -> Case:
    case = case or Case()
    for name in names:
        case = apply(case, name, step(name))
    return case


def problems(case: Case, name: str, **fields) -> list[Problem]:
    return check_transition(case, name, step(name, **fields))


WEIGHED = ("open", "map_signals", "consult", "converse", "weigh")


def test_the_five_steps_in_order_then_help_and_close():
    case = run(*WEIGHED, "organise_help", "review_help")
    assert case.state is S.FOLLOWING_HELP
    assert case.weighing.decision is Decision.ORGANISE_HELP
    case = apply(case, "close", step("close", reason="help_organised"))
    assert case.state is S.CLOSED
    assert case.close_reason == "help_organised"
    assert case.next_action == "" and case.next_due is None


def test_a_case_is_rebuilt_from_its_steps():
    case = run(*WEIGHED, "organise_help", "refer", "referral_answered")
    assert replay(case.history) == case


def test_allowed_transitions_come_from_the_table():
    assert allowed_transitions(S.NEW) == ["open"]
    assert allowed_transitions(S.CLOSED) == ["reopen"]
    assert set(allowed_transitions(S.ACUTE)) == {"refer", "referral_answered", "report", "acute"}
    assert "weigh" not in allowed_transitions(S.SIGNALS_MAPPED)  # consult and talk first


def test_unknown_transition_and_wrong_state_are_refused():
    assert check_transition(Case(), "fly", step("open")) == [Problem("", "unknown_transition")]
    assert problems(Case(), "consult") == [Problem("", "not_allowed_in_state")]
    assert problems(run("open"), "weigh") == [Problem("", "not_allowed_in_state")]
    with pytest.raises(TransitionRefused) as refused:
        apply(run("open"), "open", step("open"))
    assert refused.value.problems == [Problem("", "not_allowed_in_state")]


def test_every_step_records_who_and_what_was_done():
    found = check_transition(Case(), "open", step("open", by=" ", done=""))
    assert found == [Problem("by", "required"), Problem("done", "required")]


def test_text_that_turns_around_or_hides_is_refused_line_breaks_are_not():
    """The outside probe: a right-to-left override (U+202E) in "what was done" reversed
    the rest of the text on the case page and in the report."""
    for hidden in ("\u202e", "\u2066", "\u200b", "\x1b", "\u2028"):
        found = check_transition(Case(), "open", step("open", done=f"RTL{hidden}LTR"))
        assert found == [Problem("done", "invisible_characters")], repr(hidden)
        found = check_transition(Case(), "open", step("open", outcome=f"a{hidden}b"))
        assert found == [Problem("outcome", "invisible_characters")], repr(hidden)
    kept = step("open", done="Gesprek\r\n\tmet moeder", outcome="\u0645\u200c\u0627")
    assert check_transition(Case(), "open", kept) == []
    case = run("open", "map_signals")
    hidden = Consultation("veilig_thuis", organisation="VT\u202e", anonymous=True)
    assert problems(case, "consult", consultations=(hidden,)) == [
        Problem("consultations.1.organisation", "invisible_characters")
    ]


def test_free_text_has_its_limits_in_the_workflow_not_only_in_the_form():
    """4000 characters for what was done and the outcome, 200 for an organisation or
    whom was consulted: exactly the limit passes, one more is refused at its field."""
    assert check_transition(Case(), "open", step("open", done="d" * TEXT_MAX)) == []
    found = check_transition(Case(), "open", step("open", done="d" * (TEXT_MAX + 1)))
    assert found == [Problem("done", "too_long")]
    found = check_transition(Case(), "open", step("open", outcome="o" * (TEXT_MAX + 1)))
    assert found == [Problem("outcome", "too_long")]
    case = run("open", "map_signals")
    fits = Consultation("veilig_thuis", organisation="V" * NAME_MAX, anonymous=True)
    assert problems(case, "consult", consultations=(fits,)) == []
    for long, part in (
        (
            Consultation("veilig_thuis", organisation="V" * (NAME_MAX + 1), anonymous=True),
            "organisation",
        ),
        (Consultation("colleague", consultee="C" * (NAME_MAX + 1)), "consultee"),
    ):
        assert problems(case, "consult", consultations=(long,)) == [
            Problem(f"consultations.1.{part}", "too_long")
        ], long
    both = Consultation("veilig_thuis", organisation="V\u202e" * NAME_MAX, anonymous=True)
    assert problems(case, "consult", consultations=(both,)) == [
        Problem("consultations.1.organisation", "invisible_characters"),
        Problem("consultations.1.organisation", "too_long"),
    ]


def test_open_needs_a_known_trigger():
    assert problems(Case(), "open", trigger="") == [Problem("trigger", "required")]
    assert problems(Case(), "open", trigger="combined_outcome") == [
        Problem("trigger", "unknown_choice")
    ]
    case = run("open")
    assert case.state is S.OPENED
    # consult falls due in 5 working days; from "opened" the way there is mapping first
    assert (case.next_action, case.next_due) == ("map_signals", date(2026, 12, 8))


def test_fields_of_another_transition_are_refused():
    found = problems(run("open"), "map_signals", reason="moved_away")
    assert found == [Problem("reason", "not_for_this_transition")]


def test_steps_may_not_go_back_in_time():
    case = run("open")
    found = check_transition(case, "map_signals", step("map_signals", on=DAY - timedelta(1)))
    assert found == [Problem("on", "before_previous_step")]
    found = problems(case, "map_signals", next_due=DAY - timedelta(1))
    assert found == [Problem("next_due", "before_step_date")]


def test_an_own_due_date_is_at_most_two_years_after_the_step():
    case = run("open")
    assert problems(case, "map_signals", next_due=DAY + timedelta(730)) == []
    found = problems(case, "map_signals", next_due=DAY + timedelta(731))
    assert found == [Problem("next_due", "too_far_ahead")]
    found = problems(case, "map_signals", next_due=date(9999, 12, 31))
    assert found == [Problem("next_due", "too_far_ahead")]


def test_an_own_due_date_overrides_the_default_period():
    case = apply(run("open"), "map_signals", step("map_signals", next_due=date(2026, 12, 2)))
    assert (case.next_action, case.next_due) == ("consult", date(2026, 12, 2))


def test_an_own_due_date_may_not_postpone_a_due_report():
    case = run("open", "acute")
    assert problems(case, "refer", next_due=DAY + timedelta(1)) == [
        Problem("next_due", "later_than_report_due")
    ]
    assert problems(case, "acute", next_due=DAY + timedelta(1)) == [
        Problem("next_due", "later_than_report_due")
    ]
    weighing = run("open", "map_signals", "consult", "converse")
    late = step("weigh", answers=ALL_YES, next_due=DAY + timedelta(5))
    assert check_transition(weighing, "weigh", late) == [
        Problem("next_due", "later_than_report_due")
    ]
    assert problems(case, "report", next_due=DAY + timedelta(30)) == []


def test_consultation_records_who_and_an_anonymous_one_the_organisation_only():
    case = run("open", "map_signals")
    assert problems(case, "consult", consultations=()) == [Problem("consultations", "required")]
    anonymous_named = Consultation(
        "veilig_thuis", organisation="VT", consultee="Jan", anonymous=True
    )
    assert problems(case, "consult", consultations=(anonymous_named,)) == [
        Problem("consultations.1.consultee", "anonymous_records_organisation_only")
    ]
    for missing in (Consultation("police_avim"), Consultation("colleague", anonymous=True)):
        assert problems(case, "consult", consultations=(missing,)) == [
            Problem("consultations.1.organisation", "organisation_required")
        ]
    assert problems(case, "consult", consultations=(Consultation("neighbour"),)) == [
        Problem("consultations.1.role", "unknown_choice")
    ]
    # A problem with the second consultation is the second's (the probe saw it at row 1).
    both = (Consultation("colleague", consultee="mentor"), Consultation("police_avim"))
    assert problems(case, "consult", consultations=both) == [
        Problem("consultations.2.organisation", "organisation_required")
    ]
    assert run("consult", case=case).state is S.CONSULTED


def test_consulting_again_after_new_signals():
    case = run(*WEIGHED, "map_signals", "consult", "consult")
    assert case.state is S.CONSULTED
    assert [name for name, _ in case.history].count("consult") == 3


def test_conversation_is_held_with_someone_or_not_held_for_a_reason():
    case = run("open", "map_signals", "consult")
    both = Conversation(held_with="parents", not_held_reason="unsafe")
    for wrong in (Conversation(), both):
        assert problems(case, "converse", conversation=wrong) == [
            Problem("conversation", "held_with_or_reason_not_held")
        ]
    assert problems(case, "converse", conversation=Conversation(not_held_reason="bored")) == [
        Problem("conversation", "unknown_choice")
    ]
    not_held = step("converse", conversation=Conversation(not_held_reason="unsafe"))
    assert apply(case, "converse", not_held).state is S.CONVERSATION


def test_weighing_needs_the_five_answers_and_sets_the_decision():
    case = run("open", "map_signals", "consult", "converse")
    assert problems(case, "weigh", answers=None) == [Problem("answers", "required")]
    case = apply(case, "weigh", step("weigh", answers=ALL_YES))
    assert case.weighing.decision is Decision.REPORT_AND_HELP
    assert case.report_required
    assert (case.next_action, case.next_due) == ("report", DAY + timedelta(1))


def test_help_needs_a_weighing_that_allows_it_and_a_required_report_first():
    case = run("open", "map_signals", "consult", "converse")
    report_only = Answers(True, False, False, True, True)
    reported = apply(case, "weigh", step("weigh", answers=report_only))
    assert problems(reported, "organise_help") == [
        Problem("", "weighing_does_not_allow_help"),
        Problem("", "report_first"),
    ]
    both = apply(case, "weigh", step("weigh", answers=ALL_YES))
    assert problems(both, "organise_help") == [Problem("", "report_first")]
    case = run("report", "organise_help", case=both)
    assert case.state is S.FOLLOWING_HELP and case.reported


def test_help_that_does_not_lead_to_safety_must_be_reported():
    case = run(*WEIGHED, "organise_help")
    case = apply(case, "review_help", step("review_help", lasting_safety=False))
    assert case.report_required and case.next_action == "report"
    assert problems(case, "close", reason="help_organised") == [Problem("", "report_first")]
    case = run("report", case=case)
    assert not case.report_required and case.state is S.REPORTED


def test_a_report_names_veilig_thuis_and_its_grounds():
    case = run("open")
    assert problems(case, "report", organisation="", report_grounds=()) == [
        Problem("organisation", "required"),
        Problem("report_grounds", "required"),
    ]
    assert problems(case, "report", report_grounds=("gut_feeling",)) == [
        Problem("report_grounds", "unknown_choice")
    ]
    assert run("report", case=case).state is S.REPORTED


@pytest.mark.parametrize("state", sorted(OPEN))
def test_acute_from_every_open_state_leads_to_reporting(state):
    case = Case(state=state, history=(("open", step("open")),))
    case = run("acute", case=case)
    assert case.state is S.ACUTE and case.report_required
    assert (case.next_action, case.next_due) == ("report", DAY)
    assert problems(case, "close") == [Problem("", "not_allowed_in_state")]
    assert run("report", case=case).state is S.REPORTED


def test_acute_needs_what_was_done():
    case = run("open")
    assert problems(case, "acute", emergency=()) == [Problem("emergency", "required")]
    assert problems(case, "acute", emergency=("called_113",)) == [
        Problem("emergency", "unknown_choice")
    ]


def test_referral_to_the_zorgcoordinator_comes_back_into_the_case():
    case = run("open", "map_signals")
    assert problems(case, "referral_answered") == [Problem("", "no_open_referral")]
    case = run("refer", case=case)
    assert case.state is S.SIGNALS_MAPPED and case.referral_open
    assert case.next_action == "referral_answered"
    assert problems(case, "refer") == [Problem("", "referral_already_open")]
    assert problems(case, "referral_answered", referral_answer="ignored") == [
        Problem("referral_answer", "unknown_choice")
    ]
    handed = apply(
        case,
        "referral_answered",
        step("referral_answered", referral_answer="handed_to_veilig_thuis"),
    )
    assert handed.reported and not handed.referral_open
    assert run("close", case=handed).state is S.CLOSED
    taken = apply(case, "referral_answered", step("referral_answered", referral_answer="taken_up"))
    closed = apply(taken, "close", step("close", reason="taken_over_by_zorgcoordinator"))
    assert closed.close_reason == "taken_over_by_zorgcoordinator"


def test_a_referral_does_not_postpone_a_required_report():
    case = run("open", "acute")
    case = run("refer", case=case)
    assert (case.next_action, case.next_due) == ("report", DAY)


@pytest.mark.parametrize(
    ("reason", "case_facts"),
    [
        ("help_organised", ()),
        ("reported_to_veilig_thuis", ()),
        ("taken_over_by_zorgcoordinator", ("refer", "referral_answered")),
    ],
)
def test_a_close_reason_must_match_the_case(reason, case_facts):
    case = run("open", "map_signals", *case_facts)
    assert problems(case, "close", reason=reason) == [Problem("reason", "does_not_match_case")]


def test_closing_needs_a_reason_from_the_list():
    case = run("open")
    assert problems(case, "close", reason="") == [Problem("reason", "required")]
    assert problems(case, "close", reason="bored") == [Problem("reason", "unknown_choice")]
    assert problems(case, "close", next_due=DAY) == [Problem("next_due", "not_for_this_transition")]


def test_not_confirmed_closes_and_a_required_report_blocks_closing():
    case = run("open", "map_signals", "consult", "converse")
    calm = apply(case, "weigh", step("weigh", answers=NOT_CONFIRMED))
    assert run("close", case=calm).close_reason == "concern_not_confirmed"
    worried = apply(case, "weigh", step("weigh", answers=ALL_YES))
    assert problems(worried, "close", reason="moved_away") == [Problem("", "report_first")]
    # A later weighing does not undo a required report: only a report does.
    again = apply(worried, "weigh", step("weigh", answers=HELP_ONLY))
    assert again.report_required


def test_a_closed_case_only_reopens_with_a_reason():
    case = run("open", "close")
    for name in TRANSITIONS:
        if name != "reopen":
            assert problems(case, name) == [Problem("", "not_allowed_in_state")]
    assert problems(case, "reopen", reason="") == [Problem("reason", "required")]
    assert problems(case, "reopen", reason="help_organised") == [
        Problem("reason", "unknown_choice")
    ]
    case = run("reopen", case=case)
    assert case.state is S.OPENED and case.close_reason == ""


def test_proposal_at_the_organisations_own_level_two_and_acute_shortcut():
    assert [propose_case(level, False) for level in range(5)] == [False, False, True, True, True]
    assert not propose_case(3, has_open_case=True)
    assert acute_advised(4, False) and acute_advised(1, True)
    assert not acute_advised(3, False)


def test_a_reopened_case_has_no_current_decision():
    # The decision of the weighing before closing is history: the reopened case is weighed
    # again before a decision holds (the page and the report show it as earlier).
    case = run(*WEIGHED, "organise_help", "close")
    assert case.weighing is not None
    case = run("reopen", case=case)
    assert case.weighing is None
    assert "organise_help" not in allowed_transitions(case.state)


def test_a_reopened_case_with_an_unanswered_referral_waits_for_the_answer():
    waiting = run("open", "refer")
    assert waiting.next_action == "referral_answered"
    case = run("open", "refer", "close", "reopen")
    assert case.referral_open
    assert case.next_action == "referral_answered" == waiting.next_action
    assert case.next_due == waiting.next_due  # the same period, from the reopening's date
    assert run("open", "close", "reopen").next_action != "referral_answered"


def test_reopening_takes_in_an_answer_given_while_the_case_was_closed():
    """The zorgcoördinator answered the open referral while the case was closed: the
    reopening carries that answer (set by the Django layer), so the case does not wait."""
    closed = run("open", "refer", "close")
    case = apply(closed, "reopen", step("reopen", referral_answer="taken_up"))
    assert not case.referral_open and case.referral_taken_up
    assert case.next_action != "referral_answered"
    assert case.next_action == run("open", "close", "reopen").next_action
    handed = apply(closed, "reopen", step("reopen", referral_answer="handed_to_veilig_thuis"))
    assert handed.reported and not handed.referral_taken_up
    advice = apply(closed, "reopen", step("reopen", referral_answer="advice_given"))
    assert (advice.referral_open, advice.referral_taken_up, advice.reported) == (
        False,
        False,
        False,
    )
    # Only an open referral's answer, only a known answer, never on another transition.
    assert problems(run("open", "close"), "reopen", referral_answer="taken_up") == [
        Problem("referral_answer", "no_open_referral")
    ]
    assert problems(closed, "reopen", referral_answer="maybe") == [
        Problem("referral_answer", "unknown_choice")
    ]
    assert problems(run("open"), "map_signals", referral_answer="taken_up") == [
        Problem("referral_answer", "not_for_this_transition")
    ]


# Texts that show nothing although they are not empty (the outside probe): a Hangul
# filler, a Braille blank, combining marks alone, zero-width joiners, the object
# replacement character, private-use characters.
SHOWS_NOTHING = (
    "\u3164",
    "\u2800\u2800",
    "\u0301\u0308",
    "\u200d\u200c",
    "\ufffc",
    "\ue000\uf8ff",
    " \u3164 \u2800 ",
)


@pytest.mark.parametrize("blank", SHOWS_NOTHING)
def test_a_text_of_invisible_characters_only_counts_as_not_given(blank):
    assert says_nothing(blank)
    found = check_transition(Case(), "open", step("open", done=blank))
    assert Problem("done", "says_nothing") in found
    assert all(p.field == "done" for p in found)
    case = run("open", "map_signals", "consult", "converse", "weigh")
    found = problems(case, "report", organisation=blank)
    assert found == [Problem("organisation", "says_nothing")]
    case = run("open", "map_signals")
    nameless = Consultation("veilig_thuis", organisation=blank, anonymous=True)
    assert Problem("consultations.1.organisation", "organisation_required") in problems(
        case, "consult", consultations=(nameless,)
    )


def test_a_text_with_something_visible_says_something():
    for text in ("a\u0301", "\u3164x", "Gesprek\u200dmet", "\u0645\u200c\u0627", "1"):
        assert not says_nothing(text), repr(text)
    assert says_nothing("") and says_nothing(" \n\t")


def test_a_case_opened_in_acute_danger_goes_straight_to_112_then_the_report():
    """Issue 13: level 4 or an acute signal goes straight to "112 gebeld / politie
    ingeschakeld" and reporting: the opening step's next action is the 112 step, due the
    same working day, then the report."""
    from lens.casework.workflow import first_step

    case = apply(Case(), "open", step("open", trigger="acute_danger"))
    assert (case.next_action, case.next_due) == ("acute", DAY)
    assert first_step(case, acute_danger=True) == "acute"
    case = apply(case, "acute", step("acute"))
    assert (case.next_action, case.next_due) == ("report", DAY)
    assert first_step(case, acute_danger=True) == "report"  # 112 was called: report
    case = apply(case, "report", step("report"))
    assert first_step(case, acute_danger=True) != "acute"  # not 112 again and again
    calm = apply(Case(), "open", step("open", trigger="proposed"))
    assert calm.next_action == "map_signals"
    assert first_step(calm, acute_danger=False) == "map_signals"
    assert first_step(calm, acute_danger=True) == "acute"  # danger that came after opening
