"""The case's current step-5 decision, read from its steps: what a case page and the
case report show under "Besluit", so that it never contradicts the steps on record.

The latest weighing proposes a decision (lens.casework.weighing), but the steps can
say more: a report made (or due after acute danger, or after help that did not bring
safety) makes the decision a report whatever a later weighing answered; help organised
in the course makes it a report with help. Only the course since the latest reopening
counts: a reopened case has no current decision until it is weighed or reported again.
The grounds of a report are those recorded at the report step; before a report is made,
those of the weighing that makes it due. Plain Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from .weighing import REPORT_GROUNDS, Decision, decision_from_weighing
from .workflow import Case, course

# The ground of a report that acute danger made due (workflow: acute requires a report).
ACUTE_GROUND = "acute_danger"
# The ground of a report that a review finding no lasting safety made due (afweging 5).
LASTING_GROUND = REPORT_GROUNDS["lasting"][1]


@dataclass(frozen=True)
class CaseDecision:
    decision: Decision | None  # None: no decision yet in this course
    report_grounds: tuple[str, ...]  # codes (workflow.REPORT_GROUND_CODES)


def _unique(codes) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))


def case_decision(case: Case) -> CaseDecision:
    """The decision the case's steps show now (see the module's docstring)."""
    weighing = None
    reports: list[str] = []  # the grounds recorded at the report steps
    due: list[str] = []  # what made a report due since the last report
    handed = helped = False
    for name, data in course(case):
        if name == "weigh" and data.answers is not None:
            weighing = decision_from_weighing(data.answers)
            due += weighing.report_grounds
        elif name == "report":
            reports += data.report_grounds
            due = []
        elif name == "acute":
            due.append(ACUTE_GROUND)
        elif name == "organise_help":
            helped = True
        elif name == "review_help" and data.lasting_safety is False:
            due.append(LASTING_GROUND)  # afweging 5 "no": report (again)
        if data.referral_answer == "handed_to_veilig_thuis":
            handed = True
    if not (reports or handed or case.report_required):
        return CaseDecision(weighing.decision if weighing else None, ())
    helps = helped or (weighing is not None and weighing.help)
    decision = Decision.REPORT_AND_HELP if helps else Decision.REPORT
    grounds = due if case.report_required else reports
    return CaseDecision(decision, _unique(grounds or reports or due))
