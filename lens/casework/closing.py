"""Why a meldcode case may be closed, and reopened: the reasons as data.

Each close reason names the fact of the case it needs (`holds`) and, when the case lacks
it, why it does not fit (`why_not`, a code the Django layer words). The workflow refuses
a reason that does not fit (lens.casework.workflow, `does_not_match_case`); the close
form offers the reasons that fit and lists the others with why not (`close_options`),
from this one table. Closing as a whole also waits for a due report (the workflow's
`report_first`). Plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Case(Protocol):
    """The facts of a case the reasons need (lens.casework.workflow.Case has them)."""

    help_organised: bool
    reported: bool
    referral_taken_up: bool
    acute_pending: bool  # acute danger advised, no 112 call or police in this course
    weighing: object | None  # the latest weighing's decisions


@dataclass(frozen=True)
class CloseReason:
    code: str
    holds: Callable[[Case], bool]  # the fact of the case the reason needs
    why_not: str = ""  # why it does not fit when the fact is missing


CLOSING: tuple[CloseReason, ...] = (
    CloseReason("help_organised", lambda case: case.help_organised, "no_help_organised"),
    # Veilig Thuis has the case: our report, or the zorgcoördinator's hand-over.
    CloseReason("reported_to_veilig_thuis", lambda case: case.reported, "not_reported"),
    CloseReason(
        "taken_over_by_zorgcoordinator", lambda case: case.referral_taken_up, "not_taken_up"
    ),
    # The weighing (or the professional) found no concern; not while acute danger is
    # advised and neither a 112 call nor a weighing is recorded.
    CloseReason(
        "concern_not_confirmed",
        lambda case: not case.acute_pending or case.weighing is not None,
        "acute_danger_first",
    ),
    # Needs no fact: the person left.
    CloseReason("moved_away", lambda case: True),
)
CLOSE_REASONS = tuple(reason.code for reason in CLOSING)
REOPEN_REASONS = ("new_signals", "new_information", "closed_in_error")
REASONS = {"close": CLOSE_REASONS, "reopen": REOPEN_REASONS}


def why_not(case: Case, code: str) -> str:
    """Why the close reason `code` does not fit `case` ("" when it fits, or when it is no
    close reason: the workflow refuses that as an unknown choice)."""
    reason = next((r for r in CLOSING if r.code == code), None)
    if reason is None or reason.holds(case):
        return ""
    return reason.why_not


def close_options(case: Case) -> list[tuple[str, str]]:
    """Every close reason with why it does not fit `case` ("" when it fits), in the
    table's order: what the close form offers and what it lists as not fitting."""
    return [(reason.code, why_not(case, reason.code)) for reason in CLOSING]
