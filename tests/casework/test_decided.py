"""The case's current decision (lens.casework.decided): never contradicting the steps
on record, whatever the latest weighing answered (outside probe M2)."""

from lens.casework.decided import case_decision
from lens.casework.weighing import Answers, Decision
from lens.casework.workflow import Case, apply

from .factories import ALL_YES, HELP_ONLY, NOT_CONFIRMED, step

NO_HELP = Answers(suspicion=True, unsafety=True, can_help=False, accepted=False, lasting=False)
WEIGHED = ("open", "map_signals", "consult", "converse")


def run(*steps) -> Case:
    case = Case()
    for item in steps:
        name, fields = (item, {}) if isinstance(item, str) else item
        case = apply(case, name, step(name, **fields))
    return case


def test_the_latest_weighing_decides_while_nothing_else_happened():
    assert case_decision(run(*WEIGHED)).decision is None
    decided = case_decision(run(*WEIGHED, ("weigh", {"answers": HELP_ONLY})))
    assert (decided.decision, decided.report_grounds) == (Decision.ORGANISE_HELP, ())


def test_a_later_weighing_does_not_undo_a_due_report():
    """The probe's contradiction: weighed "report", weighed again "not confirmed": the
    report stays due, so the decision is a report, not closing."""
    case = run(*WEIGHED, ("weigh", {"answers": ALL_YES}), ("weigh", {"answers": NOT_CONFIRMED}))
    assert case.report_required
    decided = case_decision(case)
    assert decided.decision == Decision.REPORT
    assert decided.report_grounds == ("acute_or_structural_unsafety",)


def test_a_report_made_is_the_decision_with_the_report_steps_grounds():
    case = run(
        *WEIGHED,
        ("weigh", {"answers": HELP_ONLY}),
        ("report", {"report_grounds": ("own_judgement",)}),
    )
    decided = case_decision(case)
    assert decided.decision == Decision.REPORT_AND_HELP  # the weighing allowed help
    assert decided.report_grounds == ("own_judgement",)


def test_acute_danger_makes_the_decision_a_report():
    decided = case_decision(run("open", ("acute", {})))
    assert (decided.decision, decided.report_grounds) == (Decision.REPORT, ("acute_danger",))
    case = run(*WEIGHED, ("weigh", {"answers": NO_HELP}), "acute")
    assert "acute_danger" in case_decision(case).report_grounds


def test_help_that_brings_no_safety_makes_the_decision_a_report_with_help():
    case = run(
        *WEIGHED,
        ("weigh", {"answers": HELP_ONLY}),
        "organise_help",
        ("review_help", {"lasting_safety": False}),
    )
    decided = case_decision(case)
    assert (decided.decision, decided.report_grounds) == (
        Decision.REPORT_AND_HELP,
        ("no_lasting_safety",),
    )


def test_a_reopened_case_has_no_decision_until_weighed_again():
    case = run(
        *WEIGHED,
        ("weigh", {"answers": ALL_YES}),
        ("report", {"report_grounds": ("acute_or_structural_unsafety",)}),
        ("close", {"reason": "reported_to_veilig_thuis"}),
        ("reopen", {}),
    )
    assert case_decision(case).decision is None
    case = apply(case, "map_signals", step("map_signals"))
    assert case_decision(case).decision is None
