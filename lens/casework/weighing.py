"""Meldcode step 4 and 5: the afwegingskader's five questions and the two decisions.

Since 1 January 2019 every meldcode has an afwegingskader (Besluit verplichte meldcode).
Its five questions (afwegingen), as published by the NJI and in the basisdocument "Het
afwegingskader in de Meldcode huiselijk geweld en kindermishandeling" (huiselijkgeweld.nl,
2018-05-08); wording and sources in docs/design/casework.md:

1. suspicion:  is there, after steps 1 to 4, a suspicion of (the threat of) violence?
2. unsafety:   is there acute and/or structural unsafety?
3. can_help:   can I offer or organise effective help to avert (future) harm?
4. accepted:   do the people involved accept the help and commit to it?
5. lasting:    does the help lead, in time, to the results needed for safety?

Step 5 is two decisions, in this order: (1) is reporting to Veilig Thuis necessary? It
is in every case of acute or structural unsafety, and whenever the professional cannot
give or organise effective help (or it is not accepted, or does not lead to safety);
(2) is organising help (also) possible? A report does not end the help: with acute or
structural unsafety questions 3 to 5 are gone through together with Veilig Thuis.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The five questions in the afwegingskader's order. The codes are stored; the Django
# layer shows the translated question.
QUESTIONS: tuple[str, ...] = ("suspicion", "unsafety", "can_help", "accepted", "lasting")


class Decision(StrEnum):
    NOT_CONFIRMED = "not_confirmed"  # question 1 no (and no unsafety): close and record
    ORGANISE_HELP = "organise_help"  # no report needed: organise help and follow it
    REPORT = "report"  # report to Veilig Thuis; own help not possible
    REPORT_AND_HELP = "report_and_help"  # report, and organise help together with VT


# Which answer to a question makes a report to Veilig Thuis necessary, and the code of
# that ground (stored with the decision, so the record says why it was reported).
REPORT_GROUNDS: dict[str, tuple[bool, str]] = {
    "unsafety": (True, "acute_or_structural_unsafety"),
    "can_help": (False, "no_effective_help"),
    "accepted": (False, "help_not_accepted"),
    "lasting": (False, "no_lasting_safety"),
}


@dataclass(frozen=True)
class Answers:
    """The professional's yes/no answer to each of the five questions."""

    suspicion: bool
    unsafety: bool
    can_help: bool
    accepted: bool
    lasting: bool

    @classmethod
    def from_mapping(cls, values: dict[str, bool]) -> Answers:
        return cls(**{q: values[q] for q in QUESTIONS})


@dataclass(frozen=True)
class Decisions:
    decision: Decision
    report_grounds: tuple[str, ...]  # codes from REPORT_GROUNDS, empty without a report

    @property
    def report(self) -> bool:
        return self.decision in (Decision.REPORT, Decision.REPORT_AND_HELP)

    @property
    def help(self) -> bool:
        return self.decision in (Decision.ORGANISE_HELP, Decision.REPORT_AND_HELP)


def decision_from_weighing(answers: Answers) -> Decisions:
    """The step-5 decisions that follow from the five answers.

    Acute or structural unsafety is always reported, even when question 1 was answered
    no: the two answers contradict each other and the safe reading wins. Without a
    suspicion and without unsafety the concern is not confirmed. Otherwise every "no"
    to questions 3 to 5 makes a report necessary, and help is organised (alongside a
    report, with Veilig Thuis) when it can be offered and is accepted.
    """
    if not answers.suspicion and not answers.unsafety:
        return Decisions(Decision.NOT_CONFIRMED, ())
    grounds = tuple(
        code
        for question, (answer, code) in REPORT_GROUNDS.items()
        if getattr(answers, question) is answer
    )
    help_possible = answers.can_help and answers.accepted
    if not grounds:
        return Decisions(Decision.ORGANISE_HELP, ())
    return Decisions(Decision.REPORT_AND_HELP if help_possible else Decision.REPORT, grounds)
