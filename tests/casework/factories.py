"""Step data for each transition that the workflow accepts, for examples and properties."""

from datetime import date

from lens.casework.weighing import Answers
from lens.casework.workflow import Consultation, Conversation, StepData

DAY = date(2026, 12, 1)  # a Tuesday

ALL_YES = Answers(suspicion=True, unsafety=True, can_help=True, accepted=True, lasting=True)
HELP_ONLY = Answers(suspicion=True, unsafety=False, can_help=True, accepted=True, lasting=True)
NOT_CONFIRMED = Answers(
    suspicion=False, unsafety=False, can_help=False, accepted=False, lasting=False
)

# The transition-specific fields of a valid step, per transition.
VALID: dict[str, dict] = {
    "open": {"trigger": "by_hand"},
    "map_signals": {},
    "consult": {
        "consultations": (
            Consultation("colleague", consultee="mentor"),
            Consultation("zorgcoordinator", organisation="ZVH Midden-Brabant", anonymous=True),
        )
    },
    "refer": {"organisation": "Zorgcoördinator mensenhandel Midden-Brabant"},
    "referral_answered": {"referral_answer": "advice_given"},
    "converse": {"conversation": Conversation(held_with="person")},
    "weigh": {"answers": HELP_ONLY},
    "organise_help": {},
    "review_help": {"lasting_safety": True},
    "report": {"organisation": "Veilig Thuis Midden-Brabant", "report_grounds": ("own_judgement",)},
    "acute": {"emergency": ("called_112",)},
    "close": {"reason": "concern_not_confirmed"},
    "reopen": {"reason": "new_signals"},
}


def step(name: str, on: date = DAY, **fields) -> StepData:
    common = {"by": "user-7", "done": "what was done"}
    return StepData(on=on, **{**common, **VALID[name], **fields})
